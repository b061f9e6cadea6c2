using Bank.Core.Data;

namespace Bank.Core.Audit;

/// <summary>
/// Appends to the audit trail. <see cref="Record"/> adds the event to the unit of work in progress, so that the event
/// and its record stand or fall together; <see cref="WriteAsync"/> writes an event that has no unit of work of its own.
/// </summary>
public sealed class AuditTrail(BankDbContext db, WriteGate gate, TimeProvider clock)
{
    /// <summary>Adds an event to the current unit of work (call inside <see cref="WriteGate.WriteAsync{T}"/>).</summary>
    public void Record(Actor? actor, string action, long? targetUserId, string? details = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(),
            ActorUserId = actor?.UserId.Value,
            Action = action,
            TargetUserId = targetUserId,
            Details = details is null ? null : StoredText.Clip(details, AuditEvent.DetailsMaxLength),
            IpAddress = actor?.IpAddress,
        });

    /// <summary>
    /// The trail of another unit of work's context (a group commit's, handed to its work by
    /// <see cref="WriteGate.WriteGroupedAsync{T}"/>), so that <see cref="Record"/> adds to that unit.
    /// </summary>
    internal AuditTrail For(BankDbContext unit) => ReferenceEquals(unit, db) ? this : new(unit, gate, clock);

    /// <summary>Writes one event in a transaction of its own (for example, a refusal by the web layer).</summary>
    public Task WriteAsync(Actor actor, string action, string? details, CancellationToken ct) =>
        gate.WriteAsync(db, _ =>
        {
            Record(actor, action, null, details);
            return Task.FromResult(Result.Done);
        }, ct);
}
