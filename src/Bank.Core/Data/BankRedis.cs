using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Bank.Core.Data;

/// <summary>
/// Redis beside the database when several instances run (<c>Redis:ConnectionString</c>; registered only then): the
/// sign-in limit per address counted across instances, the end of a session told to every instance, the readiness check.
/// The SignalR backplane and the cache's second level open connections of their own with the same setting. One
/// connection, opened at first use and kept; it reconnects by itself when Redis comes back.
/// </summary>
public sealed class BankRedis : IAsyncDisposable
{
    /// <summary>The configuration key.</summary>
    public const string Setting = "Redis:ConnectionString";

    /// <summary>What every key and channel the bank writes into Redis starts with.</summary>
    public const string Prefix = "bank:";

    private readonly Lazy<Task<ConnectionMultiplexer>> _connection;

    /// <summary>A connection to the Redis of <paramref name="connectionString"/> (StackExchange.Redis syntax: <c>host:port,password=…,ssl=true</c>).</summary>
    public BankRedis(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Start even when Redis is away for a moment, and keep trying in the background.
        options.AbortOnConnectFail = false;
        _connection = new(() => ConnectionMultiplexer.ConnectAsync(options), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The configured connection string, or null when Redis is not configured (one instance).</summary>
    public static string? ConnectionStringOf(IConfiguration configuration) =>
        configuration[Setting] is { Length: > 0 } value ? value : null;

    /// <summary>
    /// Whether Redis answers now, as far as the connection knows (it notices a lost server within a second or so). Callers
    /// on a request's path ask first, so that while Redis is away they go on without it at once instead of waiting for a
    /// command's timeout (5 seconds). The first call opens the connection.
    /// </summary>
    public bool IsConnected => _connection.Value is { IsCompletedSuccessfully: true } open && open.Result.IsConnected;

    /// <summary>The database (number 0 unless the connection string says otherwise).</summary>
    public async Task<IDatabase> DatabaseAsync() => (await _connection.Value).GetDatabase();

    /// <summary>Publish and subscribe.</summary>
    public async Task<ISubscriber> SubscriberAsync() => (await _connection.Value).GetSubscriber();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            try
            {
                await (await _connection.Value).DisposeAsync();
            }
            catch (Exception)
            {
                // It never connected; nothing to close.
            }
        }
    }
}
