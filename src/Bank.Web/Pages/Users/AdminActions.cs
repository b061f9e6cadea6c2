using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Users;
using Bank.Web.Infrastructure;

namespace Bank.Web.Pages.Users;

/// <summary>
/// The administrators' actions on the details page: their names (the <c>confirm</c> query), the form that holds each
/// one's control, Core's answer for each (<see cref="UserActions"/>: offered or why not), the checks of the manage form's
/// choice, and what each one's confirmation page says. Pure: the page model applies them.
/// </summary>
public static class AdminActions
{
    /// <summary>Role and/or status change.</summary>
    public const string Change = "change";

    /// <summary>New one-time password.</summary>
    public const string ResetPassword = "reset-password";

    /// <summary>Lift a lockout.</summary>
    public const string Unlock = "unlock";

    /// <summary>Remove the second factor.</summary>
    public const string ResetTwoFactor = "reset-two-factor";

    /// <summary>Freeze the account.</summary>
    public const string Freeze = "freeze";

    /// <summary>Unfreeze the account.</summary>
    public const string Unfreeze = "unfreeze";

    /// <summary>Close the account for good.</summary>
    public const string Close = "close";

    /// <summary>The form of the role and status selects.</summary>
    public const string ManageForm = "manage";

    /// <summary>The form of the password, unlock and second-factor buttons.</summary>
    public const string AccessForm = "access";

    /// <summary>The form of the account buttons.</summary>
    public const string AccountForm = "account";

    /// <summary>The refusal of a role and status change that changes neither.</summary>
    public const string NothingToChange = "Nothing to change: choose another role or status.";

    /// <summary>The form of the details page that holds <paramref name="action"/>'s control.</summary>
    public static string FormOf(string action) => action switch
    {
        Change => ManageForm,
        ResetPassword or Unlock or ResetTwoFactor => AccessForm,
        _ => AccountForm,
    };

    /// <summary>
    /// The change to send for the manage form's choice: only what differs from <paramref name="current"/>, so that a role
    /// change does not also "change" the status to itself; null when nothing differs.
    /// </summary>
    public static UserChange? ChangeOf(UserDetails? current, string? newRole, string? newStatus, string? reason)
    {
        var role = newRole == current?.Role.Name() ? null : newRole;
        var status = newStatus == current?.Status.Name() ? null : newStatus;
        return role is null && status is null ? null : new UserChange(role, status, reason);
    }

    /// <summary>The account action that sets <paramref name="status"/> (an account form's hidden field).</summary>
    public static string ForAccountStatus(string? status) =>
        EnumText.TryParse<AccountStatus>(status, out var after)
            ? after switch { AccountStatus.Frozen => Freeze, AccountStatus.Closed => Close, _ => Unfreeze }
            : Freeze;

    /// <summary>
    /// The error key a refusal of <paramref name="action"/> is shown under (in <see cref="FormOf"/>): a change's under the
    /// role when the role was changed (from <paramref name="currentRole"/>), else under the status.
    /// </summary>
    public static string FieldOf(string action, string? newRole, Role? currentRole) => action == Change
        ? newRole is { } role && role != currentRole?.Name() ? "role" : "status"
        : FormOf(action);

    /// <summary>
    /// Core's answer for <paramref name="action"/>; null for a name that is none of them. A role or status change is
    /// answered by the status's (the page's one control changes either; both are the viewer's to change, or neither).
    /// </summary>
    public static ActionAnswer? AnswerFor(string action, UserActions actions) => action switch
    {
        Change => actions.ChangeStatus,
        ResetPassword => actions.ResetPassword,
        Unlock => actions.Unlock,
        ResetTwoFactor => actions.ResetTwoFactor,
        Freeze => actions.FreezeAccount,
        Unfreeze => actions.UnfreezeAccount,
        Close => actions.CloseAccount,
        _ => null,
    };

    /// <summary>
    /// Why the confirmation of <paramref name="action"/> on <paramref name="d"/> is not shown: Core's reason when the action
    /// is not offered, or what is wrong with the manage form's choice (<paramref name="newRole"/> among the roles
    /// <paramref name="viewer"/> may give, <paramref name="newStatus"/>); null when it is shown.
    /// </summary>
    public static string? WhyNot(string action, UserDetails d, string? newRole, string? newStatus, Role viewer)
    {
        if (AnswerFor(action, d.Actions) is not { } answer)
        {
            return "Choose an action on this page.";
        }

        if (!answer.Offered)
        {
            return answer.Reason;
        }

        if (action != Change)
        {
            return null;
        }

        if (newRole is not null && !Roles.All.Any(r => viewer.CanManage(r) && r.Name() == newRole))
        {
            return "Choose a role from the list.";
        }

        if (newStatus is not null && !EnumText.TryParse<UserStatus>(newStatus, out _))
        {
            return "Choose a status from the list.";
        }

        return (newRole ?? d.Role.Name()) == d.Role.Name() && (newStatus ?? d.Status.Name()) == d.Status.Name() ? NothingToChange : null;
    }

    /// <summary>
    /// What the confirmation page of <paramref name="action"/> says about <paramref name="d"/>: who, from what to what, and
    /// what follows (a role or status change to <paramref name="newRole"/> and <paramref name="newStatus"/>).
    /// </summary>
    public static ConfirmStep StepFor(string action, UserDetails d, string? newRole, string? newStatus, Display display)
    {
        var name = $"{d.FirstName} {d.LastName}";
        var who = new KeyValuePair<string, string>("User", $"{name} ({d.UserId}, {Display.Role(d.Role)})");
        const string SessionsEnd = "All of their sessions end at once: they are signed out everywhere and must sign in again.";
        switch (action)
        {
            case Change:
                {
                    var roleAfter = EnumText.TryParse<Role>(newRole, out var r) ? r : d.Role;
                    var statusAfter = EnumText.TryParse<UserStatus>(newStatus, out var s) ? s : d.Status;
                    var roleChanges = roleAfter != d.Role;
                    var statusChanges = statusAfter != d.Status;
                    var consequences = new List<string> { SessionsEnd };
                    if (roleChanges)
                    {
                        consequences.Add(roleAfter switch
                        {
                            Role.SuperAdmin => "As a Super_Admin they can manage every user, other Super_Admins included, give any role, and read the whole audit trail.",
                            Role.Admin => "As an Admin they can create users and manage Employees and Customers: roles, statuses, passwords and accounts.",
                            Role.Employee => "As an Employee they can read users and every customer's transactions, but change nothing.",
                            _ => "As a Customer they lose every staff page.",
                        });
                        if (d.Actions.ChangeRole is { Allowed: false, Offered: true } && d.Account is { } open)
                        {
                            // Core's answer: offered, but refused while the customer's account is open.
                            consequences.Add($"Their account {open.AccountNumber} is still open: the change will be refused until it is closed (at zero balance).");
                        }
                    }

                    if (statusChanges)
                    {
                        consequences.Add(statusAfter == UserStatus.Active
                            ? "They can sign in again."
                            : $"While {statusAfter.Name()}, they cannot sign in{(d.Account is null ? "" : " or move money")}.");
                    }

                    var title = roleChanges && statusChanges
                        ? $"Change the role and status of {name}?"
                        : roleChanges ? $"Change the role of {name} to {Display.Role(roleAfter)}?" : $"Change the status of {name} to {statusAfter.Name()}?";
                    return new ConfirmStep(action, "Change", title,
                        roleChanges && statusChanges ? "Yes, change role and status" : roleChanges ? "Yes, change the role" : "Yes, change the status",
                        [who, FromTo("Role", Display.Role(d.Role), Display.Role(roleAfter)), FromTo("Status", d.Status.Name(), statusAfter.Name())],
                        consequences, Irreversible: false,
                        new Dictionary<string, string?> { [nameof(DetailsModel.NewRole)] = roleAfter.Name(), [nameof(DetailsModel.NewStatus)] = statusAfter.Name() });
                }

            case ResetPassword:
                return new ConfirmStep(action, "Reset", $"Reset the password of {name}?", "Yes, reset the password",
                    [who, new("Password now", d.MustChangePassword ? "One-time password, not yet changed" : "Chosen by the user")],
                    [
                        "Their current password stops working. " + SessionsEnd,
                        "A new one-time password is shown to you once, on the next page: give it to the user in person. They must change it when they sign in.",
                        "A sign-in lockout, if any, is lifted.",
                    ],
                    Irreversible: false, new Dictionary<string, string?>());
            case Unlock:
                return new ConfirmStep(action, "Unlock", $"Unlock sign-in for {name}?", "Yes, unlock",
                    [who, new("Locked until", display.Time(d.LockedUntil))],
                    ["They can sign in again at once; their count of failed attempts starts again from zero."],
                    Irreversible: false, new Dictionary<string, string?>());
            case ResetTwoFactor:
                return new ConfirmStep(action, "ResetTwoFactor", $"Reset the second factor of {name}?", "Yes, reset the second factor",
                    [who, new("Second factor", "On (authenticator app)")],
                    [
                        "Their authenticator app and recovery codes stop working. " + SessionsEnd,
                        "They sign in with their password alone; where their role requires a second factor, they set up a new one at their next sign-in.",
                    ],
                    Irreversible: false, new Dictionary<string, string?>());
            default:
                {
                    var account = d.Account!;
                    var after = action switch { Freeze => AccountStatus.Frozen, Close => AccountStatus.Closed, _ => AccountStatus.Active };
                    List<KeyValuePair<string, string>> facts =
                    [
                        new("Customer", $"{name} ({d.UserId})"),
                    new("Account", account.AccountNumber),
                    new("Balance", Display.Rupees(account.Balance)),
                    FromTo("Status", account.Status.Name(), after.Name()),
                ];
                    var hidden = new Dictionary<string, string?> { [nameof(DetailsModel.AccountStatus)] = after.Name() };
                    return action switch
                    {
                        Freeze => new ConfirmStep(action, "Account", $"Freeze account {account.AccountNumber}?", "Yes, freeze the account", facts,
                            [
                                "While it is frozen no money moves in or out: the customer cannot deposit, withdraw or transfer, and transfers to it are refused.",
                            "The balance stays as it is. You can unfreeze the account later.",
                        ],
                            Irreversible: false, hidden),
                        Unfreeze => new ConfirmStep(action, "Account", $"Unfreeze account {account.AccountNumber}?", "Yes, unfreeze the account", facts,
                            ["The customer can deposit, withdraw and transfer again, and receive transfers."],
                            Irreversible: false, hidden),
                        _ => new ConfirmStep(action, "Account", $"Close account {account.AccountNumber} for good?", "Yes, close the account for good", facts,
                            [
                                "This cannot be undone: a closed account can never be reopened, and no money can move in or out of it again.",
                            d.Actions.CloseAccount is { Allowed: false, Offered: true }
                                ? $"It holds {Display.Rupees(account.Balance)}: an account can be closed only at zero balance, so this will be refused until it is emptied."
                                : "The balance is zero, as closing requires.",
                            "Once it is closed, the customer's role can be changed (for example to Employee).",
                        ],
                            Irreversible: true, hidden),
                    };
                }
        }
    }

    private static KeyValuePair<string, string> FromTo(string what, string before, string after) =>
        new(what, before == after ? $"{before} (unchanged)" : $"{before} → {after}");
}

/// <summary>
/// A confirmation page: what <see cref="Action"/> will do (<see cref="Facts"/>: who, from what to what;
/// <see cref="Consequences"/>), the page handler that does it, its button's words, and the hidden fields it sends.
/// </summary>
public sealed record ConfirmStep(
    string Action,
    string Handler,
    string Title,
    string ConfirmLabel,
    IReadOnlyList<KeyValuePair<string, string>> Facts,
    IReadOnlyList<string> Consequences,
    bool Irreversible,
    IReadOnlyDictionary<string, string?> Hidden);
