using System.ComponentModel.DataAnnotations;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bank.Core.Jobs;

/// <summary>How long what the bank no longer needs is kept (section <c>Retention</c>).</summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Retention";

    /// <summary>Days an ended session (signed out, revoked, idle or past its lifetime) is kept; the login history stays.</summary>
    [Range(1, 3650)]
    public int EndedSessionDays { get; set; } = 7;

    /// <summary>Hours an Idempotency-Key is remembered: a retry within this time answers the first result again.</summary>
    [Range(1, 24 * 365)]
    public int IdempotencyKeyHours { get; set; } = 24;

    /// <summary>Days a sent mail's row is kept in the outbox (its content is dropped at sending already).</summary>
    [Range(1, 3650)]
    public int SentMailDays { get; set; } = 30;

    /// <summary>Seconds in which a user's repeated denials (403) make one audit entry and one summary, not one each.</summary>
    [Range(1, 3600)]
    public int DenialWindowSeconds { get; set; } = 60;
}

/// <summary>What one purge removed.</summary>
public sealed record Purged(int Sessions, int IdempotencyKeys, int Mails);

/// <summary>
/// Removes, in batches (short write transactions, so that the single SQLite writer is never held long), the ended
/// sessions, Idempotency-Keys and sent mail older than <see cref="RetentionOptions"/> allows. The audit trail, the ledger
/// and the login history are never purged.
/// </summary>
public sealed class Retention(BankDbContext db, WriteGate gate, TimeProvider clock, IOptions<RetentionOptions> options)
{
    private const int Batch = 1000;

    /// <summary>Purges everything past its retention; returns how much went.</summary>
    public async Task<Purged> PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var endedBefore = now.AddDays(-settings.EndedSessionDays);
        var keysBefore = now.AddHours(-settings.IdempotencyKeyHours);
        var mailBefore = now.AddDays(-settings.SentMailDays);

        // A session has ended when it was revoked, reached its lifetime, or went idle: idle sessions are dead long
        // before any retention, since the idle timeout is minutes and the retention days.
        var sessions = await InBatchesAsync(() => db.Sessions
            .Where(s => s.RevokedAt < endedBefore || s.ExpiresAt < endedBefore || s.LastSeenAt < endedBefore)
            .OrderBy(s => s.Id).Select(s => s.Id).Take(Batch), ids => db.Sessions.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct), ct);
        // Keys have a composite primary key: a batch is the oldest ones up to the latest time among them (one statement).
        var keys = await InBatchesAsync(() => db.IdempotencyRecords
            .Where(r => r.CreatedAt < keysBefore)
            .OrderBy(r => r.CreatedAt).Select(r => r.CreatedAt).Take(Batch), times =>
            {
                var upTo = times.Max();
                return db.IdempotencyRecords.Where(r => r.CreatedAt < keysBefore && r.CreatedAt <= upTo).ExecuteDeleteAsync(ct);
            }, ct);
        var mails = await InBatchesAsync(() => db.OutboxMessages
            .Where(m => m.Status == OutboxStatus.Sent && m.SentAt < mailBefore)
            .OrderBy(m => m.Id).Select(m => m.Id).Take(Batch), ids => db.OutboxMessages.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct), ct);
        return new Purged(sessions, keys, mails);
    }

    /// <summary>Deletes batch after batch (each its own short transaction) until a batch comes back short.</summary>
    private async Task<int> InBatchesAsync<TKey>(Func<IQueryable<TKey>> batch, Func<List<TKey>, Task<int>> delete, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var done = await gate.WriteAsync(db, async t =>
            {
                var keys = await batch().ToListAsync(t);
                return Result.Ok((Found: keys.Count, Deleted: keys.Count == 0 ? 0 : await delete(keys)));
            }, ct);
            var (found, deleted) = done.Value;
            total += deleted;
            if (found < Batch)
            {
                return total;
            }
        }
    }
}

/// <summary>
/// The background housekeeping: every minute it writes the summaries of repeated denials whose window has ended
/// (<see cref="DenialAudit"/>), and every hour (and at start) it runs <see cref="Retention.PurgeAsync"/>. Each instance
/// runs it; purges by two instances at once only find less to delete.
/// </summary>
public sealed partial class RetentionJob(IServiceScopeFactory scopes, DenialAudit denials, TimeProvider clock, ILogger<RetentionJob> log) : BackgroundService
{
    /// <summary>How often the job wakes.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMinutes(1);

    /// <summary>How often it purges.</summary>
    public static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset? lastPurge = null;
        using var timer = new PeriodicTimer(Tick, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await denials.FlushAsync(scope.ServiceProvider.GetRequiredService<AuditTrail>(), stoppingToken);
                if (lastPurge is not { } last || clock.GetUtcNow() - last >= PurgeEvery)
                {
                    var purged = await scope.ServiceProvider.GetRequiredService<Retention>().PurgeAsync(stoppingToken);
                    lastPurge = clock.GetUtcNow();
                    LogPurged(purged.Sessions, purged.IdempotencyKeys, purged.Mails);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may be away for a moment; the next tick tries again.
                LogTrouble(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: removed {Sessions} ended session(s), {Keys} Idempotency-Key(s), {Mails} sent mail row(s).")]
    private partial void LogPurged(int sessions, int keys, int mails);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention could not run (database unreachable?); it tries again in a minute.")]
    private partial void LogTrouble(Exception ex);
}
