using Bank.Core.Money;

namespace Bank.Core.Accounts;

/// <summary>The ledger's refusals with their messages; each is a row of <see cref="FailureTypes"/>.</summary>
public static class LedgerFailures
{
    /// <summary>Not a positive rupee amount with at most two decimals.</summary>
    public static Failure InvalidAmount(string problem) =>
        FailureTypes.InvalidAmount.Because($"The amount is not valid: {problem}", Fields("amount", problem));

    /// <summary>Above the per-transaction limit.</summary>
    public static Failure LimitExceeded(long limitPaise) =>
        FailureTypes.LimitExceeded.Because($"The amount is over the limit of {Rupees.Format(limitPaise)} per transaction.",
            Fields("amount", $"Must be at most {Rupees.Format(limitPaise)}."));

    /// <summary>The balance is less than the amount.</summary>
    public static Failure InsufficientFunds() =>
        FailureTypes.InsufficientFunds.Because("Insufficient funds: the balance is less than the amount. Nothing was taken from your account.");

    /// <summary>The customer's own account is frozen.</summary>
    public static Failure Frozen() =>
        FailureTypes.AccountFrozen.Because("Your account is frozen: no money can move in or out. Please contact the branch.");

    /// <summary>The customer's own account is closed.</summary>
    public static Failure Closed() => FailureTypes.AccountClosed.Because("Your account is closed: no money can move in or out.");

    /// <summary>A closed account stays closed.</summary>
    public static Failure ClosedForGood() =>
        FailureTypes.AccountClosed.Because("The account is closed; a closed account cannot be reopened.");

    /// <summary>Freezing, unfreezing and closing accounts is for administrators.</summary>
    public static Failure AdministratorsOnly() => Failure.Forbidden("Only administrators can freeze, unfreeze or close accounts.");

    /// <summary>The receiving account number is mistyped.</summary>
    public static Failure InvalidAccountNumber() =>
        FailureTypes.InvalidAccountNumber.Because("The account number is not valid: it must be 12 digits with a correct check digit. Please check it for typing errors.",
            Fields("toAccountNumber", "Must be 12 digits with a correct check digit (a mistyped digit or two swapped digits are caught)."));

    /// <summary>
    /// The receiving account cannot take the transfer, whatever the reason (no such customer account, frozen, closed, owner
    /// not Active): the same words for each, so that nobody learns another customer's state by trying to pay them.
    /// </summary>
    public static Failure CannotReceive() =>
        FailureTypes.UnknownAccount.Because("This account cannot receive transfers. Please check the account number with the person you are paying.",
            Fields("toAccountNumber", "This account cannot receive transfers."));

    /// <summary>Too many transfer reviews (payee look-ups) in the last hour.</summary>
    public static Failure TooManyReviews(int perHour) =>
        FailureTypes.TooManyPayeeReviews.Because(
            $"You have checked {perHour} payees in the last hour, the most we allow. Please try again later, or contact the branch.");

    /// <summary>A transfer to the sender's own account.</summary>
    public static Failure SameAccount() =>
        FailureTypes.SameAccount.Because("You cannot transfer to your own account.", Fields("toAccountNumber", "Must be another customer's account."));

    /// <summary>The customer's own user is not Active.</summary>
    public static Failure CustomerNotActive() =>
        FailureTypes.CustomerNotActive.Because("Your user is not active, so no money can move. Please contact the branch.");

    /// <summary>The customer has no account of their own to move money from.</summary>
    public static Failure NoAccount() => Failure.NotFound("You have no account to move money from.");

    /// <summary>The Idempotency-Key came with another request before.</summary>
    public static Failure IdempotencyConflict() =>
        FailureTypes.IdempotencyConflict.Because("This Idempotency-Key was already used for a different request. Use a new key for a new transaction.");

    /// <summary>An account is closed only at zero balance.</summary>
    public static Failure AccountNotEmpty(long balancePaise) =>
        FailureTypes.AccountNotEmpty.Because($"An account can be closed only at zero balance; this one holds {Rupees.Format(balancePaise)}.");

    /// <summary>Another change committed first; nothing happened.</summary>
    public static Failure ChangedMeanwhile(string message) => FailureTypes.Conflict.Because(message);

    private static Dictionary<string, string[]> Fields(string field, string message) => new() { [field] = [message] };
}
