using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bank.Core.Audit;

/// <summary>One line of the audit trail: who did what to whom, and when. Never updated or deleted by the product.</summary>
public sealed class AuditEvent
{
    /// <summary>The longest detail kept.</summary>
    public const int DetailsMaxLength = 1000;

    /// <summary>Order of recording.</summary>
    public long Id { get; set; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Who did it (null for the system itself).</summary>
    public long? ActorUserId { get; set; }

    /// <summary>What was done: one of <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    /// <summary>Whom it was done to.</summary>
    public long? TargetUserId { get; set; }

    /// <summary>A short, human-readable detail (no secrets).</summary>
    public string? Details { get; set; }

    /// <summary>The actor's address.</summary>
    public string? IpAddress { get; set; }
}

/// <summary>The audit actions the product records.</summary>
public static class AuditActions
{
    /// <summary>A user was created.</summary>
    public const string UserCreated = "user.created";

    /// <summary>A user's role changed.</summary>
    public const string RoleChanged = "user.role-changed";

    /// <summary>A user's stored status changed.</summary>
    public const string StatusChanged = "user.status-changed";

    /// <summary>An administrator gave a user a new one-time password.</summary>
    public const string PasswordReset = "user.password-reset";

    /// <summary>A user changed their own password.</summary>
    public const string PasswordChanged = "user.password-changed";

    /// <summary>Someone signed in as the user typed a wrong current password when changing it.</summary>
    public const string PasswordChangeFailed = "user.password-change-failed";

    /// <summary>A user confirmed a new second factor (TOTP authenticator).</summary>
    public const string TwoFactorEnabled = "user.two-factor-enabled";

    /// <summary>A wrong, replayed or used-up second-factor code or recovery code was typed.</summary>
    public const string TwoFactorFailed = "user.two-factor-failed";

    /// <summary>A recovery code completed a sign-in (and is used up).</summary>
    public const string RecoveryCodeUsed = "user.recovery-code-used";

    /// <summary>An administrator removed a user's second factor.</summary>
    public const string TwoFactorReset = "user.two-factor-reset";

    /// <summary>An administrator lifted a lockout.</summary>
    public const string UserUnlocked = "user.unlocked";

    /// <summary>Money moved.</summary>
    public const string MoneyMoved = "money.moved";

    /// <summary>A customer reviewed a transfer: the payee's account was looked up (and their masked name shown, when it can receive).</summary>
    public const string TransferReviewed = "money.transfer-reviewed";

    /// <summary>An account was frozen, unfrozen or closed.</summary>
    public const string AccountStatusChanged = "account.status-changed";

    /// <summary>The demo-data command filled the bank with demo people and their history (one event per run, none per movement).</summary>
    public const string DemoDataLoaded = "demo.loaded";

    /// <summary>A signed-in user was refused (403).</summary>
    public const string AuthorizationDenied = "authorization.denied";

    /// <summary>A Super_Admin sent the month-to-date login report.</summary>
    public const string ReportSent = "report.sent";

    /// <summary>A Super_Admin put a failed mail back in the queue.</summary>
    public const string MailRetried = "mail.retried";

    /// <summary>The first Super_Admin was created.</summary>
    public const string BootstrapSuperAdmin = "system.bootstrap-super-admin";

    /// <summary>Every action above, in order (the audit list's filter offers these).</summary>
    public static IReadOnlyList<string> All { get; } = typeof(AuditActions)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();
}

/// <summary>Table <c>audit_events</c>, append-only.</summary>
internal sealed class AuditEventMapping : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> e)
    {
        e.ToTable("audit_events");
        e.Property(a => a.Action).HasMaxLength(64);
        e.Property(a => a.Details).HasMaxLength(AuditEvent.DetailsMaxLength);
        e.Property(a => a.IpAddress).HasMaxLength(64);
        e.HasIndex(a => new { a.TargetUserId, a.Id });
        e.HasIndex(a => a.At);
        // What one user did lately (the transfer reviews per hour): without it the count read every event of the hour.
        e.HasIndex(a => new { a.ActorUserId, a.Action, a.At });
    }
}
