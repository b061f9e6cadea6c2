using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bank.Core.Money;
using Bank.Core.Users;

namespace Bank.Core.Accounts;

/// <summary>A checked order; <paramref name="Hash"/> (of its meaning) only when it carries an Idempotency-Key.</summary>
internal sealed record ValidOrder(TransactionType Type, long AmountPaise, string? ToAccountNumber, string? Narration, string? Key, string? Hash, Channel Channel);

/// <summary>An account's state as a refusal's reason needs it: its status, its owner's (none for the bank's own) and its balance.</summary>
internal sealed record AccountState(AccountStatus Status, UserStatus? Owner, long BalancePaise)
{
    /// <summary>Whether a transfer may be paid into it: an Active account of an Active user.</summary>
    public bool CanReceive => Status == AccountStatus.Active && Owner == UserStatus.Active;
}

/// <summary>
/// The order in which a movement is refused, written once for the move (<see cref="LedgerService"/>) and its review
/// (<see cref="TransferReviews"/>), so that both give the same first refusal with the same words: who may move money
/// (<see cref="MayMove"/>); the order itself (<see cref="Check"/>: type, amount, limit, fields, check digit); the payer's
/// own account (<see cref="Own"/>: closed, frozen, user not Active, the same account, insufficient funds); and only then
/// the receiving account (<see cref="Payee"/>: one answer whatever its reason). Each caller calls them in this order and
/// reads only what the next rule needs.
/// </summary>
internal static class MovementRules
{
    /// <summary>First: only a customer moves money, and only from their own account.</summary>
    public static Failure? MayMove(Actor actor) =>
        actor.Role == Role.Customer ? null : Failure.Forbidden("Only customers move money, and only from their own account.");

    /// <summary>Second: the order as sent, before anything is read (an amount typed into a form is read here too).</summary>
    public static Result<ValidOrder> Check(MoneyOrder order, long limitPaise)
    {
        if (!EnumText.TryParse<TransactionType>(order.Type, out var type))
        {
            return Failure.Validation("type", EnumText.MustBeOneOf<TransactionType>());
        }

        if (!Paise(order).TryGet(out var paise, out var invalidAmount))
        {
            return invalidAmount;
        }

        if (paise > limitPaise)
        {
            return LedgerFailures.LimitExceeded(limitPaise);
        }

        var errors = new FieldErrors();
        var narration = string.IsNullOrWhiteSpace(order.Narration) ? null : order.Narration.Trim();
        if (narration is { Length: > LedgerTransaction.NarrationMaxLength })
        {
            errors.Add("narration", $"Must be at most {LedgerTransaction.NarrationMaxLength} characters.");
        }
        else if (narration is not null && narration.Any(char.IsControl))
        {
            errors.Add("narration", "Must be one line of text without control characters.");
        }

        var to = string.IsNullOrWhiteSpace(order.ToAccountNumber) ? null : order.ToAccountNumber.Trim();
        if (type == TransactionType.Transfer && to is null)
        {
            errors.Add("toAccountNumber", "Is required for a transfer.");
        }
        else if (type != TransactionType.Transfer && to is not null)
        {
            errors.Add("toAccountNumber", "Is only for transfers; leave it out for a deposit or a withdrawal.");
        }

        var key = order.IdempotencyKey;
        if (key is not null && (key.Length is 0 or > IdempotencyRecord.KeyMaxLength || key.Any(c => c is < '!' or > '~')))
        {
            errors.Add("Idempotency-Key", $"Must be 1 to {IdempotencyRecord.KeyMaxLength} visible ASCII characters (a UUID is a good choice).");
        }

        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        if (to is not null && !AccountNumber.IsValid(to))
        {
            return LedgerFailures.InvalidAccountNumber();
        }

        // The request's meaning, not its bytes: the same order sent with other spacing or field order is the same request.
        var meaning = string.Join('\u001f', type.ToString(), paise.ToString(CultureInfo.InvariantCulture), to ?? "", narration ?? "");
        var hash = key is null ? null : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(meaning)));
        return Result.Ok(new ValidOrder(type, paise, to, narration, key, hash, order.Channel));
    }

    /// <summary>
    /// Third: the customer's own account, which moves by <paramref name="deltaPaise"/> (negative when money leaves it);
    /// <paramref name="toOwnAccount"/> when a transfer names it as the payee. These say nothing about the payee.
    /// </summary>
    public static Failure? Own(AccountState own, long deltaPaise, bool toOwnAccount) => own.Status switch
    {
        AccountStatus.Closed => LedgerFailures.Closed(),
        AccountStatus.Frozen => LedgerFailures.Frozen(),
        _ when own.Owner != UserStatus.Active => LedgerFailures.CustomerNotActive(),
        _ when toOwnAccount => LedgerFailures.SameAccount(),
        _ when own.BalancePaise + deltaPaise < 0 => LedgerFailures.InsufficientFunds(),
        _ => null,
    };

    /// <summary>Last: the receiving account of a transfer. Unknown, the bank's own, frozen, closed or owner not Active: one answer.</summary>
    public static Failure? Payee(bool canReceive) => canReceive ? null : LedgerFailures.CannotReceive();

    /// <summary>The paise of the order's amount: a number (the API), or text as a person typed it (a form).</summary>
    private static Result<long> Paise(MoneyOrder order)
    {
        long paise;
        string? problem;
        if (order.Amount is { } rupees)
        {
            if (Rupees.TryToPaise(rupees, out paise, out problem))
            {
                return paise;
            }
        }
        else if (order.TypedAmount is { } typed)
        {
            if (Rupees.TryParseTyped(typed, out paise, out problem))
            {
                return paise;
            }
        }
        else
        {
            problem = "Must be a number of rupees, for example 1500.50.";
        }

        return LedgerFailures.InvalidAmount(problem!);
    }
}
