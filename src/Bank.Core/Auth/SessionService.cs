using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Auth;

/// <summary>A live session as every request sees it; <paramref name="TwoFactor"/> is what its second factor still needs.</summary>
public sealed record SessionInfo(string SessionId, UserId UserId, Role Role, bool MustChangePassword, TwoFactorStep? TwoFactor);

/// <summary>
/// Hears at once that a session was ended on purpose (signed out, or replaced by a new sign-in in the same browser), after
/// the end is committed: the hub's live connections close that session's connections. Every other end (a password, role
/// or status change, idle or absolute expiry) is found by the hub's sweeper.
/// </summary>
public interface ISessionEndListener
{
    /// <summary>The session <paramref name="sessionId"/> has ended.</summary>
    Task SessionEndedAsync(string sessionId);
}

/// <summary>
/// Sessions kept in the database. The secret token travels in the cookie or the bearer header; only its
/// SHA-256 is stored, and every request checks revocation, idle timeout, absolute lifetime and the user's status.
/// </summary>
public sealed class SessionService(
    BankDbContext db, WriteGate gate, TimeProvider clock, IOptions<SecurityOptions> options, IEnumerable<ISessionEndListener> listeners)
{
    /// <summary>How stale <see cref="Session.LastSeenAt"/> may grow before a request refreshes it (saves a write per request).</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(30);

    /// <summary>The session of a token hash with its user, read on every request: compiled once, not translated each time.</summary>
    private static readonly CompiledQuery<Func<BankDbContext, string, CancellationToken, Task<SessionRow?>>> SessionOf = new(() => EF.CompileAsyncQuery(
        (BankDbContext db, string id, CancellationToken ct) => db.Sessions.AsNoTracking()
            .Where(s => s.Id == id && s.RevokedAt == null)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new SessionRow(s.LastSeenAt, s.ExpiresAt, s.TwoFactorPending, u.Id, u.Role, u.Status, u.MustChangePassword))
            .FirstOrDefault()));

    /// <summary>
    /// Adds a new session for the user, waiting for <paramref name="twoFactor"/> when given; call inside a write transaction.
    /// Returns the secret token.
    /// </summary>
    public (string Token, Session Session) Start(UserId userId, Channel channel, ClientInfo client, TwoFactorStep? twoFactor)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var session = new Session
        {
            Id = HashToken(token),
            UserId = userId.Value,
            Channel = channel,
            CreatedAt = now,
            LastSeenAt = now,
            ExpiresAt = now + options.Value.AbsoluteLifetime,
            IpAddress = client.IpAddress,
            UserAgent = client.TrimmedUserAgent,
            TwoFactorPending = twoFactor,
        };
        db.Sessions.Add(session);
        return (token, session);
    }

    /// <summary>
    /// The session a token names, if it is still alive and its user may still sign in. A request the user made counts as
    /// activity (idle timeout); one a page makes by itself (<paramref name="activity"/> false: the live balance's polls)
    /// does not, or an open page would keep its session alive forever.
    /// </summary>
    public async Task<SessionInfo?> ValidateAsync(string? token, CancellationToken ct, bool activity = true)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var id = HashToken(token);
        var row = await SessionOf.For(db)(db, id, ct);
        var now = clock.GetUtcNow();
        if (row is null || row.Status != UserStatus.Active || now >= row.ExpiresAt || now - row.LastSeenAt > options.Value.IdleTimeout)
        {
            return null;
        }

        if (activity && now - row.LastSeenAt > TouchInterval)
        {
            await gate.WriteAsync(db, async t =>
            {
                await db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now), t);
                return Result.Done;
            }, ct);
        }

        return new SessionInfo(id, new UserId(row.Id), row.Role, row.MustChangePassword, row.TwoFactorPending);
    }

    /// <summary>
    /// Which of these sessions are still alive: not revoked, neither idle nor past their lifetime, their user Active. It only
    /// reads (a live connection that watches does not keep its session alive, as requests do).
    /// </summary>
    public async Task<IReadOnlySet<string>> AliveAsync(IReadOnlyCollection<string> sessionIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var activeSince = now - options.Value.IdleTimeout;
        var alive = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in sessionIds.Chunk(500))
        {
            alive.UnionWith(await db.Sessions.AsNoTracking()
                .Where(s => chunk.Contains(s.Id) && s.RevokedAt == null && s.ExpiresAt > now && s.LastSeenAt >= activeSince)
                .Join(db.Users.Where(u => u.Status == UserStatus.Active), s => s.UserId, u => u.Id, (s, u) => s.Id)
                .ToListAsync(ct));
        }

        return alive;
    }

    /// <summary>Ends one session (sign-out) and tells the listeners.</summary>
    public async Task EndAsync(string sessionId, string reason, CancellationToken ct)
    {
        await gate.WriteAsync(db, async t =>
        {
            await RevokeAsync(sessionId, reason, t);
            return Result.Done;
        }, ct);
        await AnnounceEndAsync(sessionId);
    }

    /// <summary>Ends one session if it is still live; call inside a write transaction. Returns whether it was.</summary>
    internal async Task<bool> RevokeAsync(string sessionId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.Sessions.Where(s => s.Id == sessionId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, reason), ct) == 1;
    }

    /// <summary>Tells the listeners that a session has ended; call after the end is committed.</summary>
    internal async Task AnnounceEndAsync(string sessionId)
    {
        foreach (var listener in listeners)
        {
            await listener.SessionEndedAsync(sessionId);
        }
    }

    /// <summary>Ends every session of a user but one; call inside a write transaction.</summary>
    public Task<int> RevokeAllAsync(long userId, string? exceptSessionId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Sessions.Where(s => s.UserId == userId && s.RevokedAt == null && s.Id != exceptSessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, reason), ct);
    }

    /// <summary>
    /// Marks a live session's second factor as done, if it was waiting for <paramref name="step"/>; call inside a write
    /// transaction. Returns whether it was.
    /// </summary>
    public async Task<bool> CompleteTwoFactorAsync(string sessionId, TwoFactorStep step, CancellationToken ct) =>
        await db.Sessions.Where(s => s.Id == sessionId && s.RevokedAt == null && s.TwoFactorPending == step)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.TwoFactorPending, (TwoFactorStep?)null), ct) == 1;

    /// <summary>What a session still has to do about its second factor (null: nothing, or no such session).</summary>
    public Task<TwoFactorStep?> TwoFactorPendingAsync(string sessionId, CancellationToken ct) =>
        db.Sessions.Where(s => s.Id == sessionId).Select(s => s.TwoFactorPending).FirstOrDefaultAsync(ct);

    /// <summary>The stored form of a session token (SHA-256, hex): the session id; also of other random secrets (recovery codes).</summary>
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>What a request needs of its session and user.</summary>
internal sealed record SessionRow(
    DateTimeOffset LastSeenAt, DateTimeOffset ExpiresAt, TwoFactorStep? TwoFactorPending, long Id, Role Role, UserStatus Status, bool MustChangePassword);
