using Bank.Core.Data;

namespace Bank.Core.Audit;

/// <summary>Appends to the audit trail, inside the caller's transaction so that the event and its record stand or fall together.</summary>
public sealed class AuditTrail(TimeProvider clock)
{
    public void Record(BankDbContext db, Actor? actor, string action, long? targetUserId, string? details = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(),
            ActorUserId = actor?.UserId,
            Action = action,
            TargetUserId = targetUserId,
            Details = details is { Length: > 1000 } ? details[..1000] : details,
            IpAddress = actor?.IpAddress,
        });
}
