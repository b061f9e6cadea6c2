using System.Threading.RateLimiting;
using Bank.Core.Data;
using StackExchange.Redis;

namespace Bank.Web.Infrastructure;

/// <summary>
/// A fixed window of <c>limit</c> permits counted in Redis, so that every instance adds to the same count: the sign-in
/// limit per address trips at the same total whichever instance the attempts reach. The window starts at the first
/// attempt (one atomic script: INCR, and PEXPIRE on the first), and a refusal says when it ends (Retry-After). When
/// Redis cannot be reached, this instance counts in its own memory until it can again, so the limit still holds per
/// instance; the lockout per user (in the database) holds in any case.
/// </summary>
public sealed partial class SharedWindowLimiter(BankRedis redis, string partition, int limit, TimeSpan window, TimeProvider clock, ILogger log)
    : RateLimiter
{
    private const string Script = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            ttl = tonumber(ARGV[1])
        end
        return { count, ttl }
        """;

    private readonly RedisKey _key = BankRedis.Prefix + "sign-in:" + partition;
    private readonly Lazy<FixedWindowRateLimiter> _fallback = new(() => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
    {
        PermitLimit = limit,
        Window = window,
        QueueLimit = 0,
    }));

    private long _lastUsed = clock.GetTimestamp();

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration => clock.GetElapsedTime(Interlocked.Read(ref _lastUsed));

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>The synchronous attempt the middleware makes first: never granted here, so that it asks Redis (<see cref="AcquireAsyncCore"/>).</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.Refused;

    /// <inheritdoc/>
    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsed, clock.GetTimestamp());
        if (permitCount == 0)
        {
            return Lease.Granted;
        }

        if (!redis.IsConnected)
        {
            return await FallbackAsync(permitCount, null, cancellationToken);
        }

        try
        {
            var database = await redis.DatabaseAsync();
            var answer = (RedisResult[])(await database.ScriptEvaluateAsync(Script, [_key], [(long)window.TotalMilliseconds]))!;
            var count = (long)answer[0];
            var wait = TimeSpan.FromMilliseconds((long)answer[1]);
            return count <= limit ? Lease.Granted : new Lease(false, wait);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            return await FallbackAsync(permitCount, ex, cancellationToken);
        }
    }

    private async ValueTask<RateLimitLease> FallbackAsync(int permitCount, Exception? ex, CancellationToken cancellationToken)
    {
        LogFallback(ex);
        return await _fallback.Value.AcquireAsync(permitCount, cancellationToken);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _fallback.IsValueCreated)
        {
            _fallback.Value.Dispose();
        }

        base.Dispose(disposing);
    }

    [LoggerMessage(LogLevel.Warning, "Redis did not answer: sign-in attempts are counted by this instance alone for now.")]
    private partial void LogFallback(Exception? ex);

    private sealed class Lease(bool acquired, TimeSpan? retryAfter = null) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);

        public static readonly Lease Refused = new(false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
