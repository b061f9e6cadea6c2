namespace Bank.Core.Audit;

/// <summary>One line of the audit trail: who did what to whom, and when. Never updated or deleted by the product.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public long? ActorUserId { get; set; }

    public required string Action { get; set; }

    public long? TargetUserId { get; set; }

    /// <summary>A short, human-readable detail (no secrets).</summary>
    public string? Details { get; set; }

    public string? IpAddress { get; set; }
}

/// <summary>The audit actions the product records.</summary>
public static class AuditActions
{
    public const string UserCreated = "user.created";
    public const string RoleChanged = "user.role-changed";
    public const string StatusChanged = "user.status-changed";
    public const string PasswordReset = "user.password-reset";
    public const string PasswordChanged = "user.password-changed";
    public const string UserUnlocked = "user.unlocked";
    public const string MoneyMoved = "money.moved";
    public const string AccountStatusChanged = "account.status-changed";
    public const string AuthorizationDenied = "authorization.denied";
    public const string BootstrapSuperAdmin = "system.bootstrap-super-admin";
}
