using System.Linq.Expressions;
using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Notifications;

/// <summary>One outgoing mail as the Outgoing mail page and the API show it (never its content).</summary>
public sealed record MailRecord(
    long Id,
    MailKind Kind,
    string Recipient,
    string Subject,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? SentAt,
    string? LastError);

/// <summary>Which mails, and the page (the API's query names; the page binds the same record).</summary>
/// <param name="Status">pending, sent or failed; all when empty.</param>
/// <param name="Cursor">The previous page's nextCursor.</param>
/// <param name="Limit">Mails per page.</param>
public sealed record MailQuery(string? Status = null, string? Cursor = null, int? Limit = null) : IPageQuery;

/// <summary>
/// The outbox as Super_Admins watch it: pending, sent and failed mails, newest first and keyset-paged, and the retry of a
/// failed one (audited). Only Super_Admins: the list names every customer who signed in.
/// </summary>
public sealed class OutgoingMail(BankDbContext db, WriteGate gate, AuditTrail audit, Outbox outbox, TimeProvider clock)
{
    /// <summary>A page of mails, newest first.</summary>
    public async Task<Result<Page<MailRecord>>> ListAsync(Actor actor, MailQuery query, CancellationToken ct)
    {
        if (actor.Role != Role.SuperAdmin)
        {
            return Failure.Forbidden("Only a Super_Admin sees the outgoing mail.");
        }

        var errors = new FieldErrors();
        var status = errors.Parse<OutboxStatus>("status", query.Status);
        var window = query.Window<MailKey>($"mail:{status?.Name() ?? "all"}", errors);
        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        var before = window.After?.Id ?? long.MaxValue;
        var mails = db.OutboxMessages.AsNoTracking().Where(m => m.Id < before);
        if (status is { } only)
        {
            mails = mails.Where(m => m.Status == only);
        }

        var rows = await mails.OrderByDescending(m => m.Id).Take(window.Fetch)
            .Select(Record)
            .ToListAsync(ct);
        return window.ToPage(rows, m => new MailKey(m.Id), m => m);
    }

    /// <summary>Puts a failed mail back in the queue with a fresh count of attempts; it goes out on the sender's next round.</summary>
    public async Task<Result<MailRecord>> RetryAsync(Actor actor, long id, CancellationToken ct)
    {
        if (actor.Role != Role.SuperAdmin)
        {
            return Failure.Forbidden("Only a Super_Admin retries outgoing mail.");
        }

        var now = clock.GetUtcNow();
        var result = await gate.WriteAsync(db, async t =>
        {
            var mail = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.Status, m.Kind }).FirstOrDefaultAsync(t);
            if (mail is null)
            {
                return Failure.NotFound($"There is no outgoing mail {id}.");
            }

            var changed = await db.OutboxMessages.Where(m => m.Id == id && m.Status == OutboxStatus.Failed).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Pending)
                .SetProperty(m => m.Attempts, 0)
                .SetProperty(m => m.NextAttemptAt, now)
                .SetProperty(m => m.ClaimedBy, (string?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), t);
            if (changed == 0)
            {
                return FailureTypes.Conflict.Because($"Mail {id} is {mail.Status.Name()}; only a failed mail can be retried.");
            }

            audit.Record(actor, AuditActions.MailRetried, null, $"Mail {id} ({mail.Kind.Name()}) queued again.");
            return Result.Done;
        }, ct);
        if (result.Failure is { } failure)
        {
            return failure;
        }

        outbox.Wake();
        var row = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == id)
            .Select(Record)
            .FirstAsync(ct);
        return row;
    }

    /// <summary>A row as the page and the API show it (the next attempt only while one is to come), translated to SQL.</summary>
    private static readonly Expression<Func<OutboxMessage, MailRecord>> Record = m => new MailRecord(
        m.Id, m.Kind, m.Recipient, m.Subject, m.Status, m.Attempts, m.CreatedAt,
        m.Status == OutboxStatus.Pending ? m.NextAttemptAt : null, m.SentAt, m.LastError);

    /// <summary>The sort key of a mail: newest first by id.</summary>
    private sealed record MailKey(long Id);
}
