namespace Bank.Core.Accounts;

/// <summary>One money movement (deposit, withdrawal or transfer); its <see cref="LedgerEntry"/> rows sum to zero.</summary>
public sealed class LedgerTransaction
{
    public long Id { get; set; }

    /// <summary>The public id: <c>TXN</c> and 12 random uppercase letters and digits.</summary>
    public required string TransactionId { get; set; }

    public TransactionType Type { get; set; }

    /// <summary>The amount moved, in paise (always positive).</summary>
    public long AmountPaise { get; set; }

    public string? Narration { get; set; }

    public long InitiatedByUserId { get; set; }

    public Channel Channel { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public List<LedgerEntry> Entries { get; set; } = [];
}

/// <summary>
/// One posting of a transaction to one account: a signed amount (credit positive) and the balance it left.
/// Customer entries carry what the statements and filters need, so that lists read one table through one index.
/// </summary>
public sealed class LedgerEntry
{
    public long Id { get; set; }

    public long LedgerTransactionId { get; set; }

    public long AccountId { get; set; }

    /// <summary>The account's owner (null for the bank's own accounts), for "by User ID" searches.</summary>
    public long? UserId { get; set; }

    public TransactionType Type { get; set; }

    /// <summary>Signed paise: positive adds to the account's balance, negative takes from it.</summary>
    public long AmountPaise { get; set; }

    public long BalanceAfterPaise { get; set; }

    /// <summary>The other customer account of a transfer.</summary>
    public long? CounterpartyAccountId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum TransactionType
{
    Credit,
    Debit,
    Transfer,
}

/// <summary>How a movement was asked for.</summary>
public enum Channel
{
    Web,
    Api,
}

/// <summary>
/// A stored answer to a request that carried an Idempotency-Key, written in the same database transaction as
/// the movement, so that a retry gets the original answer and never moves money twice.
/// </summary>
public sealed class IdempotencyRecord
{
    public long UserId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of the request's meaning (type, amount, accounts, narration), hex.</summary>
    public required string RequestHash { get; set; }

    /// <summary>The public id of the transaction the key produced (written before the transaction row, in the same database transaction).</summary>
    public required string TransactionId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
