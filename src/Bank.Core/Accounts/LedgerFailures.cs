namespace Bank.Core.Accounts;

/// <summary>Why a money movement or account change was refused: one stable code per reason (the API's problem types).</summary>
public static class LedgerFailures
{
    public const string InvalidAmountCode = "invalid-amount";
    public const string LimitExceededCode = "limit-exceeded";
    public const string InsufficientFundsCode = "insufficient-funds";
    public const string AccountFrozenCode = "account-frozen";
    public const string AccountClosedCode = "account-closed";
    public const string InvalidAccountNumberCode = "invalid-account-number";
    public const string UnknownAccountCode = "unknown-account";
    public const string SameAccountCode = "same-account";
    public const string CustomerNotActiveCode = "customer-not-active";
    public const string RecipientNotActiveCode = "recipient-not-active";
    public const string IdempotencyConflictCode = "idempotency-conflict";
    public const string AccountNotEmptyCode = "account-not-empty";

    /// <summary>Every code above, for the web layer's status mapping and the API reference.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        InvalidAmountCode, LimitExceededCode, InsufficientFundsCode, AccountFrozenCode, AccountClosedCode,
        InvalidAccountNumberCode, UnknownAccountCode, SameAccountCode, CustomerNotActiveCode, RecipientNotActiveCode,
        IdempotencyConflictCode, AccountNotEmptyCode,
    ];

    public static Failure InvalidAmount(string problem) =>
        new(InvalidAmountCode, $"The amount is not valid: {problem}", Fields("amount", problem));

    public static Failure LimitExceeded(long limitPaise) =>
        new(LimitExceededCode, $"The amount is over the limit of {Money.Money.Format(limitPaise)} per transaction.",
            Fields("amount", $"Must be at most {Money.Money.Format(limitPaise)}."));

    public static Failure InsufficientFunds() =>
        new(InsufficientFundsCode, "Insufficient funds: the balance is less than the amount. Nothing was taken from your account.");

    public static Failure Frozen(bool recipient) => new(AccountFrozenCode, recipient
        ? "The receiving account is frozen and cannot receive money."
        : "Your account is frozen: no money can move in or out. Please contact the branch.");

    public static Failure Closed(bool recipient) => new(AccountClosedCode, recipient
        ? "The receiving account is closed."
        : "Your account is closed: no money can move in or out.");

    public static Failure InvalidAccountNumber() =>
        new(InvalidAccountNumberCode, "The account number is not valid: it must be 12 digits with a correct check digit. Please check it for typing errors.",
            Fields("toAccountNumber", "Must be 12 digits with a correct check digit (a mistyped digit or two swapped digits are caught)."));

    public static Failure UnknownAccount() =>
        new(UnknownAccountCode, "No customer account has this account number.", Fields("toAccountNumber", "No customer account has this number."));

    public static Failure SameAccount() =>
        new(SameAccountCode, "You cannot transfer to your own account.", Fields("toAccountNumber", "Must be another customer's account."));

    public static Failure CustomerNotActive() =>
        new(CustomerNotActiveCode, "Your user is not active, so no money can move. Please contact the branch.");

    public static Failure RecipientNotActive() =>
        new(RecipientNotActiveCode, "The owner of the receiving account is not active; the account cannot receive money now.");

    public static Failure IdempotencyConflict() =>
        new(IdempotencyConflictCode, "This Idempotency-Key was already used for a different request. Use a new key for a new transaction.");

    public static Failure AccountNotEmpty(long balancePaise) =>
        new(AccountNotEmptyCode, $"An account can be closed only at zero balance; this one holds {Money.Money.Format(balancePaise)}.");

    private static Dictionary<string, string[]> Fields(string field, string message) => new() { [field] = [message] };
}
