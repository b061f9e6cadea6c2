using System.Collections.Concurrent;
using Bank.Core.Auth;
using Bank.Core.Data;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Bank.Web.Hubs;

/// <summary>
/// The balance hub's open connections on this instance, with the session each was authorized by. A connection ends with
/// its session: at once when the session is signed out (or replaced), through this instance or, with Redis, through any
/// (<see cref="SessionEndedAsync"/>); otherwise within <see cref="LiveConnectionSweeper.Interval"/>, when the sweeper finds the
/// session revoked (password, role or status change), idle, past its lifetime or its user no longer Active.
/// A connection's handshake is answered before the hub takes it (<see cref="Add"/>), so a session can end in between;
/// the sessions ended within the last <see cref="LiveConnectionSweeper.Interval"/> are remembered, and a connection of
/// one of them is closed as it is taken.
/// </summary>
public sealed partial class LiveConnections(ILogger<LiveConnections> log, TimeProvider clock, BankRedis? redis = null) : ISessionEndListener
{
    /// <summary>The Redis channel on which an instance tells the others that a session has ended.</summary>
    public static readonly RedisChannel SessionsEnded = RedisChannel.Literal(BankRedis.Prefix + "sessions-ended");

    private readonly ConcurrentDictionary<string, Entry> _open = new(StringComparer.Ordinal);

    /// <summary>The sessions that ended lately, with when this instance learnt it.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    /// <summary>How many connections are open here.</summary>
    public int Count => _open.Count;

    /// <summary>Keeps a connection that was authorized by a session; closes it at once if the session has ended meanwhile.</summary>
    public void Add(HubCallerContext connection, string sessionId)
    {
        _open[connection.ConnectionId] = new Entry(sessionId, connection);
        // Checked after keeping it: an end learnt concurrently either sees the entry or is seen here.
        if (_ended.ContainsKey(sessionId))
        {
            Close(sessionId);
        }
    }

    /// <summary>Whether a connection is open here (and in its user's group).</summary>
    public bool Has(string connectionId) => _open.ContainsKey(connectionId);

    /// <summary>Forgets a connection that ended.</summary>
    public void Remove(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>The sessions that have open connections here.</summary>
    public IReadOnlyCollection<string> Sessions() => _open.Values.Select(e => e.SessionId).ToHashSet(StringComparer.Ordinal);

    /// <summary>Closes every connection of a session that has ended; returns how many there were.</summary>
    public int Close(string sessionId)
    {
        var closed = 0;
        foreach (var (id, entry) in _open)
        {
            if (entry.SessionId == sessionId && _open.TryRemove(id, out _))
            {
                entry.Connection.Abort();
                closed++;
            }
        }

        return closed;
    }

    /// <summary>
    /// A session has ended (signed out or replaced; <see cref="SessionService"/> tells): closes its connections here and,
    /// with Redis, tells every other instance to close theirs. Telling them is best effort: the sweeper of each instance
    /// closes them anyway.
    /// </summary>
    public async Task SessionEndedAsync(string sessionId)
    {
        Ended(sessionId);
        if (redis is null)
        {
            return;
        }

        try
        {
            await (await redis.SubscriberAsync()).PublishAsync(SessionsEnded, sessionId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotTold(ex);
        }
    }

    /// <summary>With Redis: closes the connections here of the sessions other instances say have ended.</summary>
    public async Task ListenAsync()
    {
        if (redis is not null)
        {
            await (await redis.SubscriberAsync()).SubscribeAsync(SessionsEnded, (_, sessionId) => Ended(sessionId.ToString()));
        }
    }

    /// <summary>Remembers that a session ended (forgetting the ends older than the sweeper's interval) and closes its connections.</summary>
    private void Ended(string sessionId)
    {
        var now = clock.GetUtcNow();
        foreach (var (id, at) in _ended)
        {
            if (now - at > LiveConnectionSweeper.Interval)
            {
                _ended.TryRemove(id, out _);
            }
        }

        _ended[sessionId] = now;
        Close(sessionId);
    }

    [LoggerMessage(LogLevel.Warning, "Could not tell the other instances that a session ended; their sweepers will close its connections.")]
    private partial void LogNotTold(Exception ex);

    private sealed record Entry(string SessionId, HubCallerContext Connection);
}

/// <summary>Closes the live connections whose sessions have ended, every <see cref="Interval"/> on the bank's clock.</summary>
public sealed partial class LiveConnectionSweeper(
    LiveConnections connections, IServiceScopeFactory scopes, TimeProvider clock, ILogger<LiveConnectionSweeper> log) : BackgroundService
{
    /// <summary>How often the sessions of open connections are checked; a revoked session loses its stream within this time.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private long _checks;

    /// <summary>How many timed checks have ended (each after its sweep, done or failed): one more after each tick.</summary>
    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>Closes the connections of every session that is no longer alive; returns how many were closed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var sessions = connections.Sessions();
        if (sessions.Count == 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var alive = await scope.ServiceProvider.GetRequiredService<SessionService>().AliveAsync(sessions, ct);
        var closed = sessions.Where(s => !alive.Contains(s)).Sum(connections.Close);
        if (closed > 0)
        {
            LogClosed(closed);
        }

        return closed;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await connections.ListenAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is away: the sweeps below still close the connections of ended sessions.
            LogNotListening(ex);
        }

        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be away for a moment; the next tick tries again.
                LogFailed(ex);
            }
            finally
            {
                Interlocked.Increment(ref _checks);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Closed {Count} live connection(s) whose session has ended.")]
    private partial void LogClosed(int count);

    [LoggerMessage(LogLevel.Warning, "Could not listen for sessions ended through other instances; the sweeps close their connections.")]
    private partial void LogNotListening(Exception ex);

    [LoggerMessage(LogLevel.Warning, "Could not check the sessions of the live connections.")]
    private partial void LogFailed(Exception ex);
}
