using System.Text.Json.Serialization;
using Bank.Core.Accounts;

namespace Bank.Core.Users;

/// <summary>
/// What the viewer may do to one user now (the details' <c>actions</c>): each administrative action allowed, or not with
/// the reason, a sentence a person reads. It comes from the checks the actions themselves make, and where an action
/// refuses, the reason is its refusal's message. Where there is nothing to do (a user who is not locked or has no second
/// factor, an account that is already frozen or not frozen) the answer is not allowed, though the action itself does not
/// refuse: it answers as it always has (unlock, for example, says that the user was not locked).
/// </summary>
/// <param name="ChangeRole">Give the user another role (PATCH the user with <c>role</c>).</param>
/// <param name="ChangeStatus">Give the user another stored status (PATCH the user with <c>status</c>).</param>
/// <param name="ResetPassword">A new one-time password.</param>
/// <param name="Unlock">Lift a sign-in lockout.</param>
/// <param name="ResetTwoFactor">Remove the user's second factor.</param>
/// <param name="FreezeAccount">Freeze the customer's account.</param>
/// <param name="UnfreezeAccount">Unfreeze the customer's account.</param>
/// <param name="CloseAccount">Close the customer's account for good.</param>
public sealed record UserActions(
    ActionAnswer ChangeRole,
    ActionAnswer ChangeStatus,
    ActionAnswer ResetPassword,
    ActionAnswer Unlock,
    ActionAnswer ResetTwoFactor,
    ActionAnswer FreezeAccount,
    ActionAnswer UnfreezeAccount,
    ActionAnswer CloseAccount)
{
    /// <summary>Why unlocking does not apply (the action itself would only reset the count of failed attempts).</summary>
    public const string NotLocked = "This user is not locked.";

    /// <summary>Why a second-factor reset does not apply.</summary>
    public const string NoSecondFactor = "This user has no second factor.";

    /// <summary>Why no account action applies to a member of staff.</summary>
    public const string NoAccount = "This user has no account.";

    /// <summary>
    /// The answer for <paramref name="actor"/> about <paramref name="user"/> as they are now: their customer account (or
    /// null), whether a lockout holds, whether they have a confirmed second factor, and whether they are the last active
    /// Super_Admin.
    /// </summary>
    internal static UserActions For(Actor actor, User user, Account? account, bool locked, bool hasSecondFactor, bool lastSuperAdmin)
    {
        var manages = UserAdministration.Manages(actor, user);
        // ChangeAsync's rules, in its order: the last active Super_Admin stays one, a customer keeps the role while the
        // account is open.
        var change = !manages ? ActionAnswer.No(AdministrationFailures.MayNotChange())
            : lastSuperAdmin ? ActionAnswer.NotYet(AdministrationFailures.LastSuperAdmin())
            : ActionAnswer.Yes;
        return new UserActions(
            ChangeRole: change.Allowed && user.Role == Role.Customer && account is { Status: not AccountStatus.Closed }
                ? ActionAnswer.NotYet(AdministrationFailures.AccountStillOpen())
                : change,
            ChangeStatus: change,
            ResetPassword: manages ? ActionAnswer.Yes : ActionAnswer.No(AdministrationFailures.MayNotResetPassword()),
            Unlock: !manages ? ActionAnswer.No(AdministrationFailures.MayNotUnlock()) : locked ? ActionAnswer.Yes : ActionAnswer.No(NotLocked),
            ResetTwoFactor: !manages ? ActionAnswer.No(AdministrationFailures.MayNotResetTwoFactor())
                : hasSecondFactor ? ActionAnswer.Yes : ActionAnswer.No(NoSecondFactor),
            FreezeAccount: AccountAction(actor, account, AccountStatus.Frozen),
            UnfreezeAccount: AccountAction(actor, account, AccountStatus.Active),
            CloseAccount: AccountAction(actor, account, AccountStatus.Closed));
    }

    /// <summary>Setting the account to <paramref name="after"/>, checked as <see cref="AccountService.ChangeStatusAsync"/> checks it.</summary>
    private static ActionAnswer AccountAction(Actor actor, Account? account, AccountStatus after)
    {
        if (!AccountService.MayChangeStatus(actor))
        {
            return ActionAnswer.No(LedgerFailures.AdministratorsOnly());
        }

        if (account is null)
        {
            return ActionAnswer.No(NoAccount);
        }

        if (account.Status == AccountStatus.Closed)
        {
            return ActionAnswer.No(LedgerFailures.ClosedForGood());
        }

        if (account.Status == after)
        {
            // The action would answer "done" and change nothing.
            return ActionAnswer.No(after == AccountStatus.Frozen ? "The account is already frozen." : "The account is not frozen.");
        }

        return AccountService.StatusChangeRefusal(account.Status, after, account.BalancePaise) is { } refused
            ? ActionAnswer.NotYet(refused)
            : ActionAnswer.Yes;
    }
}

/// <summary>One administrative action on a user: allowed, or not with the reason (a sentence a person reads).</summary>
public sealed record ActionAnswer
{
    /// <summary>The answer of an action that may be done now.</summary>
    public static ActionAnswer Yes { get; } = new() { Allowed = true, Offered = true };

    /// <summary>Whether the action may be done now.</summary>
    public required bool Allowed { get; init; }

    /// <summary>Why not, when it may not; absent when it may.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    /// <summary>
    /// Whether a screen offers the action (its control, its confirmation): when it is allowed, and also when the action
    /// itself refuses it only for now, until something else is done first (an account emptied, a customer's account
    /// closed, another Super_Admin made active); the confirmation says so before the action refuses. Not in the API's answer.
    /// </summary>
    [JsonIgnore]
    public bool Offered { get; init; }

    /// <summary>Not allowed, and not offered: not this actor's to do, or nothing to do on the user as they are.</summary>
    internal static ActionAnswer No(string reason) => new() { Allowed = false, Reason = reason };

    /// <summary>Not allowed, in the words of the action's own refusal.</summary>
    internal static ActionAnswer No(Failure refusal) => No(refusal.Message);

    /// <summary>Not allowed until something else is done first, in the words of the action's own refusal; still offered.</summary>
    internal static ActionAnswer NotYet(Failure refusal) => new() { Allowed = false, Reason = refusal.Message, Offered = true };
}
