using Bank.Core.Data;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bank.Core.Reports;

/// <summary>
/// Where the staff dashboard's figures are kept for <see cref="DashboardOptions.CacheSeconds"/>, and forgotten when a
/// member of staff changes what they count (a user created, a role or status changed), so that their own write shows at
/// once. One instance: in memory. Several instances (<see cref="BankRedis"/> configured): in Redis only, with no copy in
/// each process's memory, because HybridCache (10.x) removes an entry from its own memory and from Redis but does not tell
/// the other instances, whose copies would outlive the change; one read of a few kilobytes from Redis is the price.
/// </summary>
public sealed partial class DashboardCache(
    HybridCache cache, IOptions<DashboardOptions> options, ILogger<DashboardCache> log, BankRedis? redis = null)
{
    private const string StaffKey = "dashboard:staff";

    /// <summary>Whether the figures live in Redis only (several instances).</summary>
    public bool Shared => redis is not null;

    /// <summary>The staff figures, cached or computed by <paramref name="compute"/> (always computed when caching is off).</summary>
    public async ValueTask<StaffFigures> StaffAsync(Func<CancellationToken, ValueTask<StaffFigures>> compute, CancellationToken ct)
    {
        var seconds = options.Value.CacheSeconds;
        if (seconds == 0)
        {
            return await compute(ct);
        }

        var lifetime = TimeSpan.FromSeconds(seconds);
        var entry = new HybridCacheEntryOptions
        {
            Expiration = lifetime,
            LocalCacheExpiration = lifetime,
            Flags = Shared ? HybridCacheEntryFlags.DisableLocalCache : HybridCacheEntryFlags.None,
        };
        return await cache.GetOrCreateAsync(StaffKey, compute, entry, cancellationToken: ct);
    }

    /// <summary>
    /// Forgets the staff figures on every instance: the next dashboard computes them again. Never fails the write that
    /// asked: with Redis away, the figures are at most <see cref="DashboardOptions.CacheSeconds"/> old.
    /// </summary>
    public async Task ForgetStaffAsync(CancellationToken ct)
    {
        try
        {
            await cache.RemoveAsync(StaffKey, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotForgotten(ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not remove the staff dashboard's cached figures; they expire on their own.")]
    private partial void LogNotForgotten(Exception ex);
}
