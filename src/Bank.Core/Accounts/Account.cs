namespace Bank.Core.Accounts;

/// <summary>A bank account: a customer's, or one of the bank's own (internal cash).</summary>
public sealed class Account
{
    public long Id { get; set; }

    /// <summary>12 digits, the last a Verhoeff check digit.</summary>
    public required string AccountNumber { get; set; }

    /// <summary>The owning customer; null for the bank's internal accounts.</summary>
    public long? UserId { get; set; }

    public AccountKind Kind { get; set; }

    public required string Branch { get; set; }

    public required string Currency { get; set; }

    /// <summary>Balance in paise (minor units); never a floating-point number.</summary>
    public long BalancePaise { get; set; }

    public AccountStatus Status { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset? LastTransactionAt { get; set; }
}

public enum AccountKind
{
    Customer,
    InternalCash,
}

public enum AccountStatus
{
    Active,
    Frozen,
    Closed,
}
