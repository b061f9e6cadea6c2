namespace Bank.Core.Accounts;

/// <summary>A bank account: a customer's, or one of the bank's own (internal cash).</summary>
public sealed class Account
{
    /// <summary>The only currency the bank keeps.</summary>
    public const string Rupee = "INR";

    /// <summary>Internal key (lock order of the ledger).</summary>
    public long Id { get; set; }

    /// <summary>12 digits, the last a Verhoeff check digit.</summary>
    public required string AccountNumber { get; set; }

    /// <summary>The owning customer; null for the bank's internal accounts.</summary>
    public long? UserId { get; set; }

    /// <summary>A customer's account, or one of the bank's own.</summary>
    public AccountKind Kind { get; set; }

    /// <summary>The branch that keeps the account.</summary>
    public required string Branch { get; set; }

    /// <summary>ISO 4217 code; always <see cref="Rupee"/>.</summary>
    public required string Currency { get; set; }

    /// <summary>Balance in paise (minor units); never a floating-point number.</summary>
    public long BalancePaise { get; set; }

    /// <summary>Whether money may move.</summary>
    public AccountStatus Status { get; set; }

    /// <summary>When the account was opened.</summary>
    public DateTimeOffset OpenedAt { get; set; }

    /// <summary>When money last moved in or out.</summary>
    public DateTimeOffset? LastTransactionAt { get; set; }
}

/// <summary>Whose an account is.</summary>
public enum AccountKind
{
    /// <summary>A customer's account.</summary>
    Customer,

    /// <summary>The bank's internal cash: the other side of every deposit and withdrawal.</summary>
    InternalCash,
}

/// <summary>Whether money may move on an account.</summary>
public enum AccountStatus
{
    /// <summary>Money moves in and out.</summary>
    Active,

    /// <summary>Nothing moves until an administrator unfreezes it.</summary>
    Frozen,

    /// <summary>Closed for good (only at zero balance).</summary>
    Closed,
}
