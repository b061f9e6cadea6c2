using Bank.Core.Data;
using Bank.Core.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bank.Core.Notifications;

/// <summary>
/// Sends what is due in the outbox. A batch is claimed with one conditional UPDATE (on PostgreSQL over rows locked
/// <c>FOR UPDATE SKIP LOCKED</c>, so instances never claim the same row); a claim is a lease, and a row whose lease ran out
/// (its instance died) is due again. Each attempt is counted when claimed; a failure waits an exponential, jittered while,
/// and after <c>Mail:Outbox:MaxAttempts</c> the message is failed until a Super_Admin retries it. A sent message keeps
/// its row (who, what, when, attempts) but not its content: a sign-in mail with its chart is some 60 KB.
/// </summary>
public sealed partial class OutboxDispatcher(
    BankDbContext db,
    WriteGate gate,
    MailComposer composer,
    IMailSender sender,
    TimeProvider clock,
    Instance instance,
    IOptions<MailOptions> options,
    ILogger<OutboxDispatcher> log)
{
    /// <summary>Claims one batch of due messages and sends each; returns how many were claimed.</summary>
    public Task<int> SendDueAsync(CancellationToken ct) => SendDueAsync(ct, CancellationToken.None);

    /// <summary>
    /// Claims one batch of due messages and sends each; returns how many were claimed. Once <paramref name="stopping"/> is
    /// cancelled (the instance stops) nothing more is claimed, the message being sent is finished, and the rest of the batch
    /// is handed back at once (claim and its counted attempt undone) for another instance or the next start;
    /// <paramref name="ct"/> cuts everything off (the shutdown time is up).
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct, CancellationToken stopping)
    {
        if (stopping.IsCancellationRequested)
        {
            return 0;
        }

        var ids = await ClaimAsync(ct);
        for (var i = 0; i < ids.Count; i++)
        {
            if (stopping.IsCancellationRequested)
            {
                await ReleaseAsync([.. ids.Skip(i)], ct);
                break;
            }

            await SendAsync(ids[i], ct);
        }

        return ids.Count;
    }

    /// <summary>Hands back claimed messages that were not tried: no claim, and the attempt counted at the claim undone.</summary>
    private async Task ReleaseAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        await gate.WriteAsync(db, async t =>
        {
            await db.OutboxMessages.Where(m => ids.Contains(m.Id) && m.ClaimedBy == instance.Name).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null)
                .SetProperty(m => m.Attempts, m => m.Attempts - 1), t);
            return Result.Done;
        }, ct);
        LogReleased(ids.Count);
    }

    /// <summary>Claims up to a batch of due messages for this instance.</summary>
    internal async Task<IReadOnlyList<long>> ClaimAsync(CancellationToken ct)
    {
        var settings = options.Value.Outbox;
        var now = clock.GetUtcNow();
        var skipLocked = db.Provider == DatabaseProvider.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        var text =
            "UPDATE outbox_messages SET claimed_by = @me, claimed_until = @until, attempts = attempts + 1 WHERE id IN (" +
            "SELECT id FROM outbox_messages WHERE status = 'Pending' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now) " +
            $"ORDER BY next_attempt_at, id LIMIT @batch{skipLocked}) RETURNING id";
        var claimed = await gate.WriteAsync(db, async t => Result.Ok(await Sql.RowsAsync(db, text, r => r.GetInt64(0), t,
            ("@me", instance.Name),
            ("@until", Sql.Timestamp(db, now.AddSeconds(settings.LeaseSeconds))),
            ("@now", Sql.Timestamp(db, now)),
            ("@batch", settings.BatchSize))), ct);
        return [.. claimed.Value!.Order()];
    }

    private async Task SendAsync(long id, CancellationToken ct)
    {
        var row = await db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.ClaimedBy == instance.Name, ct);
        if (row is null)
        {
            return;
        }

        try
        {
            MimeMessage message;
            if (row.Content is null)
            {
                message = await composer.ComposeAsync(row, ct);
                using var buffer = new MemoryStream();
                await message.WriteToAsync(buffer, ct);
                var content = buffer.ToArray();
                await UpdateAsync(id, s => s.SetProperty(m => m.Content, content), ct);
            }
            else
            {
                using var buffer = new MemoryStream(row.Content);
                message = await MimeMessage.LoadAsync(buffer, ct);
            }

            await sender.SendAsync(message, ct);
            var now = clock.GetUtcNow();
            await UpdateAsync(id, s => s
                .SetProperty(m => m.Status, OutboxStatus.Sent)
                .SetProperty(m => m.SentAt, now)
                .SetProperty(m => m.Content, (byte[]?)null)
                .SetProperty(m => m.LastError, (string?)null)
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), ct);
            LogSent(id, row.Kind, row.Attempts);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            var settings = options.Value.Outbox;
            var error = MailErrors.Describe(ex);
            var failed = row.Attempts >= settings.MaxAttempts;
            var next = clock.GetUtcNow() + RetryDelay(row.Attempts, settings, Random.Shared.NextDouble());
            await UpdateAsync(id, s => s
                .SetProperty(m => m.Status, failed ? OutboxStatus.Failed : OutboxStatus.Pending)
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), CancellationToken.None);
            LogFailed(id, row.Kind, row.Attempts, failed, ex.GetType().Name);
        }
    }

    /// <summary>
    /// The wait after attempt <paramref name="attempt"/> failed: the base doubled per attempt, at most the maximum, of which a
    /// random half to whole is taken (<paramref name="jitter"/> in [0, 1)), so that instances that failed together do not
    /// retry together.
    /// </summary>
    internal static TimeSpan RetryDelay(int attempt, OutboxSettings settings, double jitter)
    {
        var full = Math.Min(settings.RetryMaxSeconds, settings.RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromSeconds(full * (0.5 + (jitter / 2)));
    }

    /// <summary>Changes the row only while this instance still holds its claim.</summary>
    private Task<Result<bool>> UpdateAsync(long id, Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<OutboxMessage>> set, CancellationToken ct) =>
        gate.WriteAsync(db, async t =>
        {
            await db.OutboxMessages.Where(m => m.Id == id && m.ClaimedBy == instance.Name).ExecuteUpdateAsync(set, t);
            return Result.Done;
        }, ct);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: {Count} claimed mail not tried yet handed back to the outbox.")]
    private partial void LogReleased(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mail {Id} ({Kind}) sent on attempt {Attempt}.")]
    private partial void LogSent(long id, MailKind kind, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {Id} ({Kind}) attempt {Attempt} failed ({Error}); failed for good: {Failed}.")]
    private partial void LogFailed(long id, MailKind kind, int attempt, bool failed, string error);
}
