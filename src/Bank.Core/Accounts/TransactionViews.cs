using Bank.Core.Money;
using Bank.Core.Users;

namespace Bank.Core.Accounts;

/// <summary>A customer's account as staff and its owner see it.</summary>
public sealed record AccountView(
    string AccountNumber,
    decimal Balance,
    string Currency,
    AccountStatus Status,
    string Branch,
    DateTimeOffset OpenedAt,
    DateTimeOffset? LastTransactionAt)
{
    /// <summary>The view of an account row.</summary>
    public static AccountView From(Account a) =>
        new(a.AccountNumber, Rupees.FromPaise(a.BalancePaise), a.Currency, a.Status, a.Branch, a.OpenedAt, a.LastTransactionAt);
}

/// <summary>
/// One line of a statement: a transaction as one customer account saw it (a transfer has a line for each side).
/// </summary>
/// <param name="TransactionId">The transaction's id (both sides of a transfer share it).</param>
/// <param name="Type">credit, debit or transfer.</param>
/// <param name="Direction">in (money came into the account) or out.</param>
/// <param name="Amount">Rupees, always positive; the direction says which way.</param>
/// <param name="BalanceAfter">The account's balance after this line, in rupees.</param>
/// <param name="AccountNumber">The account the line belongs to.</param>
/// <param name="UserId">The account's owner.</param>
/// <param name="CounterpartyAccountNumber">The other customer's account of a transfer; null for a deposit or a withdrawal.</param>
/// <param name="CounterpartyName">
/// The other customer of a transfer as registered: the full name for staff, the first name and the last name's initial
/// ("Ravi K.") for a customer; null for a deposit or a withdrawal.
/// </param>
/// <param name="Narration">The payer's note.</param>
/// <param name="InitiatedBy">Who moved the money (shown to staff and to the customer who did).</param>
/// <param name="Channel">web or api.</param>
/// <param name="CreatedAt">When, in UTC.</param>
public sealed record TransactionLine(
    string TransactionId,
    TransactionType Type,
    Direction Direction,
    decimal Amount,
    decimal BalanceAfter,
    string AccountNumber,
    string? UserId,
    string? CounterpartyAccountNumber,
    string? CounterpartyName,
    string? Narration,
    string? InitiatedBy,
    Channel Channel,
    DateTimeOffset CreatedAt);

/// <summary>One transaction with the lines the viewer may see (a customer: their own; staff: every customer side).</summary>
public sealed record TransactionDetails(
    string TransactionId,
    TransactionType Type,
    decimal Amount,
    string? Narration,
    string? InitiatedBy,
    Channel Channel,
    DateTimeOffset CreatedAt,
    IReadOnlyList<TransactionLine> Lines);

/// <summary>A request to move money from the signed-in customer's account.</summary>
/// <param name="Type">credit (deposit), debit (withdrawal) or transfer.</param>
/// <param name="Amount">Rupees; null when the caller could not read a number (the edge reports that itself), or for an order typed into a form (<see cref="Typed"/>).</param>
/// <param name="ToAccountNumber">The receiving account of a transfer.</param>
/// <param name="Narration">The customer's note (one line).</param>
/// <param name="IdempotencyKey">Optional: a retry with the same key and request gets the first answer.</param>
/// <param name="Channel">The door the request came through.</param>
public sealed record MoneyOrder(
    string? Type,
    decimal? Amount,
    string? ToAccountNumber = null,
    string? Narration = null,
    string? IdempotencyKey = null,
    Channel Channel = Channel.Api)
{
    /// <summary>The amount as a person typed it into a form (blank when nothing was typed); Core reads it (<see cref="Rupees.TryParseTyped"/>).</summary>
    public string? TypedAmount { get; private init; }

    /// <summary>An order from a form: every field as typed, the amount too (text stays text until Core reads it).</summary>
    public static MoneyOrder Typed(string? type, string? amount, string? toAccountNumber, string? narration, string? idempotencyKey, Channel channel) =>
        new(type, null, toAccountNumber, narration, idempotencyKey, channel) { TypedAmount = amount ?? "" };
}

/// <summary>The initiator's line of a movement; <see cref="Replayed"/> when it is the stored answer to a repeated Idempotency-Key.</summary>
public sealed record MoneyMoved(TransactionLine Line, bool Replayed);

/// <summary>Filters and paging of the transactions list and its CSV export (the API's query names; the page binds the same record).</summary>
/// <param name="UserId">Staff: one customer's lines.</param>
/// <param name="TransactionId">One transaction's lines.</param>
/// <param name="AccountNumber">One account's lines.</param>
/// <param name="Type">credit, debit or transfer.</param>
/// <param name="From">A date (a whole day in the bank's time zone) or an ISO 8601 time with an offset.</param>
/// <param name="To">Up to and including this date or time.</param>
/// <param name="MinAmount">Rupees, at least.</param>
/// <param name="MaxAmount">Rupees, at most.</param>
/// <param name="Cursor">The previous page's nextCursor.</param>
/// <param name="Limit">Lines per page (the export takes every page).</param>
public sealed record TransactionQuery(
    string? UserId = null,
    string? TransactionId = null,
    string? AccountNumber = null,
    string? Type = null,
    string? From = null,
    string? To = null,
    string? MinAmount = null,
    string? MaxAmount = null,
    string? Cursor = null,
    int? Limit = null) : IPageQuery;

/// <summary>A change of account status by an administrator, with an optional reason for the audit trail.</summary>
/// <param name="Status">Active, Frozen or Closed.</param>
/// <param name="Reason">Why (optional, at most 200 characters); kept in the audit entry of the change.</param>
public sealed record AccountChange(string? Status, string? Reason = null);

/// <summary>What the ledger check found: ok, the counts, and each thing that is off.</summary>
public sealed record LedgerReport(
    bool Ok,
    int Accounts,
    long Transactions,
    long Entries,
    decimal SumOfEntries,
    decimal SumOfBalances,
    IReadOnlyList<string> Problems);

/// <summary>A customer's new balance after a movement, for live updates of their open pages.</summary>
public sealed record BalanceUpdate(UserId UserId, decimal Balance, TransactionLine Line);

/// <summary>Tells a customer's open pages about a movement on their account (SignalR in the web host; nothing elsewhere).</summary>
public interface IBalanceUpdates
{
    /// <summary>Sends each update to its customer's open pages.</summary>
    Task PublishAsync(IReadOnlyList<BalanceUpdate> updates, CancellationToken ct);
}

/// <summary>Used where nobody listens (command-line verbs, Core tests).</summary>
public sealed class NoBalanceUpdates : IBalanceUpdates
{
    /// <inheritdoc/>
    public Task PublishAsync(IReadOnlyList<BalanceUpdate> updates, CancellationToken ct) => Task.CompletedTask;
}
