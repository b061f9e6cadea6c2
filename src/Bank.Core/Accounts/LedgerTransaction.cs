using System.Text.Json.Serialization;

namespace Bank.Core.Accounts;

/// <summary>One money movement (deposit, withdrawal or transfer); its <see cref="LedgerEntry"/> rows sum to zero.</summary>
public sealed class LedgerTransaction
{
    /// <summary>The longest narration a customer may write.</summary>
    public const int NarrationMaxLength = 140;

    /// <summary>Internal key.</summary>
    public long Id { get; set; }

    /// <summary>The public id: <c>TXN</c> and 12 random uppercase letters and digits.</summary>
    public required string TransactionId { get; set; }

    /// <summary>Deposit, withdrawal or transfer.</summary>
    public TransactionType Type { get; set; }

    /// <summary>The amount moved, in paise (always positive).</summary>
    public long AmountPaise { get; set; }

    /// <summary>The customer's note.</summary>
    public string? Narration { get; set; }

    /// <summary>The customer who asked for the movement.</summary>
    public long InitiatedByUserId { get; set; }

    /// <summary>Whether it came from the web pages or the API.</summary>
    public Channel Channel { get; set; }

    /// <summary>When it was committed (UTC, microseconds).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The postings, summing to zero.</summary>
    public List<LedgerEntry> Entries { get; set; } = [];
}

/// <summary>
/// One posting of a transaction to one account: a signed amount (credit positive) and the balance it left.
/// Customer entries carry what the statements and filters need, so that lists read one table through one index.
/// </summary>
public sealed class LedgerEntry
{
    /// <summary>Internal key; the tie-breaker of newest-first paging.</summary>
    public long Id { get; set; }

    /// <summary>The transaction this entry belongs to.</summary>
    public long LedgerTransactionId { get; set; }

    /// <summary>The account posted to.</summary>
    public long AccountId { get; set; }

    /// <summary>The account's owner (null for the bank's own accounts), for "by User ID" searches.</summary>
    public long? UserId { get; set; }

    /// <summary>The transaction's type, copied so that the type filter reads this table alone.</summary>
    public TransactionType Type { get; set; }

    /// <summary>Signed paise: positive adds to the account's balance, negative takes from it.</summary>
    public long AmountPaise { get; set; }

    /// <summary>The account's balance right after this entry.</summary>
    public long BalanceAfterPaise { get; set; }

    /// <summary>The other customer account of a transfer.</summary>
    public long? CounterpartyAccountId { get; set; }

    /// <summary>The transaction's time, copied for newest-first paging.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a movement does (SPEC §4); written <c>credit</c>, <c>debit</c>, <c>transfer</c> on the wire.</summary>
public enum TransactionType
{
    /// <summary>A deposit into the customer's account.</summary>
    [JsonStringEnumMemberName("credit")]
    Credit,

    /// <summary>A withdrawal from the customer's account.</summary>
    [JsonStringEnumMemberName("debit")]
    Debit,

    /// <summary>Money from one customer's account to another's.</summary>
    [JsonStringEnumMemberName("transfer")]
    Transfer,
}

/// <summary>Which way money moved on the account a statement line belongs to; <c>in</c> or <c>out</c> on the wire.</summary>
public enum Direction
{
    /// <summary>The balance went up.</summary>
    [JsonStringEnumMemberName("in")]
    In,

    /// <summary>The balance went down.</summary>
    [JsonStringEnumMemberName("out")]
    Out,
}

/// <summary>
/// A stored answer to a request that carried an Idempotency-Key, written in the same database transaction as
/// the movement, so that a retry gets the original answer and never moves money twice.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>The longest Idempotency-Key accepted.</summary>
    public const int KeyMaxLength = 255;

    /// <summary>The customer the key belongs to (keys are scoped per user).</summary>
    public long UserId { get; set; }

    /// <summary>The key as the client sent it.</summary>
    public required string Key { get; set; }

    /// <summary>SHA-256 of the request's meaning (type, amount, accounts, narration), hex.</summary>
    public required string RequestHash { get; set; }

    /// <summary>The public id of the transaction the key produced (written before the transaction row, in the same database transaction).</summary>
    public required string TransactionId { get; set; }

    /// <summary>When the key was first used.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
