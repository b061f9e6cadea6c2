using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Audit;
using Bank.Core.Auth;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

/// <summary>
/// One user (staff): profile, account, recent transactions and sign-ins; the administrators' actions. Every action goes
/// in three steps without any script: its button asks for a confirmation page (GET, <c>?confirm=…</c>) that says what will
/// happen, with an optional reason; Confirm posts; a success answers 303 to this page, which shows the result once
/// (TempData), and a refusal comes back at once, next to the control that was used, with nothing changed.
/// </summary>
public sealed class DetailsModel(
    UserDirectory directory,
    UserAdministration administration,
    LoginHistory history,
    AccountService accounts,
    Statements statements,
    Display display,
    Actor actor) : BankPageModel
{
    /// <summary>The form of the role and status selects.</summary>
    public const string ManageForm = "manage";

    /// <summary>The form of the password, unlock and second-factor buttons.</summary>
    public const string AccessForm = "access";

    /// <summary>The form of the account buttons.</summary>
    public const string AccountForm = "account";

    private const int RecentCount = 10;

    /// <summary>The user shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string UserId { get; set; } = "";

    /// <summary>The action to confirm (one of <see cref="AdminActions"/>), from the action's button.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Confirm { get; set; }

    /// <summary>The role chosen in the manage form.</summary>
    [BindProperty(SupportsGet = true)]
    public string? NewRole { get; set; }

    /// <summary>The status chosen in the manage form.</summary>
    [BindProperty(SupportsGet = true)]
    public string? NewStatus { get; set; }

    /// <summary>The account status of an account action.</summary>
    [BindProperty]
    public string? AccountStatus { get; set; }

    /// <summary>Why (optional), typed on the confirmation page; it goes in the audit entry of the action.</summary>
    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>The user's details.</summary>
    public UserDetails? Details { get; private set; }

    /// <summary>The user's latest sign-in attempts (administrators).</summary>
    public IReadOnlyList<LoginRecord> Logins { get; private set; } = [];

    /// <summary>The account's latest lines.</summary>
    public IReadOnlyList<TransactionLine> Recent { get; private set; } = [];

    /// <summary>A password reset's one-time password, shown once on the page the reset redirected to.</summary>
    public string? TemporaryPassword { get; private set; }

    /// <summary>The confirmation page of an action, when one was asked for; the page shows only it.</summary>
    public ConfirmStep? Step { get; private set; }

    /// <summary>The action whose refusal the page shows (its button names the error).</summary>
    public string? RefusedAction { get; private set; }

    /// <summary>Whether the viewer may manage this user.</summary>
    public bool CanManage { get; private set; }

    /// <summary>Whether the viewer is an administrator (account actions, sign-ins).</summary>
    public bool IsAdministrator => actor.Role.IsAdministrator();

    /// <summary>The roles the viewer may give.</summary>
    public IEnumerable<Role> AssignableRoles => Roles.All.Where(r => actor.Role.CanManage(r));

    /// <summary>The role the manage form shows: the one just tried when it was refused, else the user's.</summary>
    public string SelectedRole => ActiveForm == ManageForm && NewRole is not null ? NewRole : Details?.Role.Name() ?? "";

    /// <summary>The status the manage form shows: the one just tried when it was refused, else the user's.</summary>
    public string SelectedStatus => ActiveForm == ManageForm && NewStatus is not null ? NewStatus : Details?.Status.Name() ?? "";

    /// <summary>The error key a refusal of <paramref name="action"/> is shown under (with <see cref="FormOf"/>).</summary>
    public string FieldOf(string action) => action switch
    {
        AdminActions.Change => NewRole is { } role && role != Details?.Role.Name() ? "role" : "status",
        AdminActions.ResetPassword or AdminActions.Unlock or AdminActions.ResetTwoFactor => AccessForm,
        _ => AccountForm,
    };

    /// <summary>The form of the details page that holds <paramref name="action"/>'s control.</summary>
    public static string FormOf(string action) => action switch
    {
        AdminActions.Change => ManageForm,
        AdminActions.ResetPassword or AdminActions.Unlock or AdminActions.ResetTwoFactor => AccessForm,
        _ => AccountForm,
    };

    /// <summary>aria-describedby for the button of <paramref name="action"/>: its error, when it was just refused.</summary>
    public string? ButtonDescribedBy(string action) =>
        RefusedAction == action ? ErrorId(FieldOf(action), FormOf(action)) : null;

    /// <summary>Shows the user, the result of the action just done (once), or the confirmation page of an action.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        // TempData: read once, then gone (the cookie is rewritten without it at the end of this request).
        SuccessMessage = TempData[NoticeKey(UserId)] as string;
        TemporaryPassword = TempData[PasswordKey(UserId)] as string;
        await LoadAsync(ct);
        if (Confirm is { } action && Details is { } details)
        {
            if (Unavailable(action, details) is { } why)
            {
                Refuse(action, why);
            }
            else
            {
                Step = StepFor(action, details);
            }
        }
    }

    /// <summary>Saves a confirmed role and/or status change.</summary>
    public async Task<IActionResult> OnPostChangeAsync(CancellationToken ct)
    {
        // Send only what the form changed, so that a role change does not also "change" the status to itself.
        var current = (await directory.GetAsync(actor, UserId, ct)).Match<UserDetails?>(d => d, _ => null);
        var role = current is not null && NewRole == current.Role.Name() ? null : NewRole;
        var status = current is not null && NewStatus == current.Status.Name() ? null : NewStatus;
        if (role is null && status is null)
        {
            await LoadAsync(ct);
            Refuse(AdminActions.Change, "Nothing to change: choose another role or status.");
            return Page();
        }

        return await FinishAsync(AdminActions.Change, await administration.ChangeAsync(actor, UserId, new UserChange(role, status, Reason), ct),
            changed => $"Saved: {changed.FirstName} {changed.LastName} is now {Display.Role(changed.Role)}, {changed.Status.Name()}. Their sessions have ended; they must sign in again.", ct);
    }

    /// <summary>Gives the user a new one-time password, shown once on the page it redirects to.</summary>
    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct) =>
        await FinishAsync(AdminActions.ResetPassword, await administration.ResetPasswordAsync(actor, UserId, Reason, ct),
            _ => "The password is reset and the user's sessions have ended.", ct, password: temporary => temporary);

    /// <summary>Freezes, unfreezes or closes the user's account.</summary>
    public async Task<IActionResult> OnPostAccountAsync(CancellationToken ct)
    {
        var action = AccountActionOf(AccountStatus);
        var account = (await directory.GetAsync(actor, UserId, ct)).Match(d => d.Account, _ => null);
        if (account is null)
        {
            await LoadAsync(ct);
            Refuse(action, "This user has no account.");
            return Page();
        }

        return await FinishAsync(action, await accounts.ChangeStatusAsync(actor, account.AccountNumber, new AccountChange(AccountStatus, Reason), ct),
            changed => $"The account {changed.AccountNumber} is now {changed.Status.Name()}.", ct);
    }

    /// <summary>Removes the user's second factor (they set it up again at their next sign-in where it is required).</summary>
    public async Task<IActionResult> OnPostResetTwoFactorAsync(CancellationToken ct) =>
        await FinishAsync(AdminActions.ResetTwoFactor, await administration.ResetTwoFactorAsync(actor, UserId, Reason, ct),
            hadOne => hadOne
                ? "The second factor is reset and the user's sessions have ended. They set up a new one at their next sign-in if their role requires it."
                : "The user had no second factor.",
            ct);

    /// <summary>Lifts a sign-in lockout.</summary>
    public async Task<IActionResult> OnPostUnlockAsync(CancellationToken ct) =>
        await FinishAsync(AdminActions.Unlock, await administration.UnlockAsync(actor, UserId, Reason, ct),
            wasLocked => wasLocked ? "Unlocked: the user can sign in again." : "The user was not locked.", ct);

    private static string NoticeKey(string userId) => "Users.Details.Notice." + userId;

    private static string PasswordKey(string userId) => "Users.Details.Password." + userId;

    private static string AccountActionOf(string? status) =>
        EnumText.TryParse<AccountStatus>(status, out var parsed)
            ? parsed switch { Core.Accounts.AccountStatus.Frozen => AdminActions.Freeze, Core.Accounts.AccountStatus.Closed => AdminActions.Close, _ => AdminActions.Unfreeze }
            : AdminActions.Freeze;

    /// <summary>
    /// After a success: the result for the next GET of this page (TempData), and 303 to it. After a refusal: this page at
    /// once, with the error next to the control that was used (or on the confirmation page, for a reason that is too long).
    /// </summary>
    private async Task<IActionResult> FinishAsync<T>(string action, Result<T> result, Func<T, string> notice, CancellationToken ct, Func<T, string>? password = null)
    {
        if (result.TryGet(out var value, out var failure))
        {
            TempData[NoticeKey(UserId)] = notice(value);
            if (password is not null)
            {
                TempData[PasswordKey(UserId)] = password(value);
            }

            return new SeeOtherResult(Url.Page("/Users/Details", new { userId = UserId }) ?? "/Users");
        }

        await LoadAsync(ct);
        if (Details is { } details && failure.FieldErrors?.ContainsKey(AuditReason.Field) == true)
        {
            Step = StepFor(action, details);
            Show(failure);
        }
        else if (action == AdminActions.Change && failure.FieldErrors is { Count: > 0 })
        {
            ActiveForm = ManageForm;
            RefusedAction = action;
            Show(failure);
        }
        else
        {
            Refuse(action, failure.FieldErrors is { Count: > 0 } errors ? string.Join(" ", errors.Values.SelectMany(m => m)) : failure.Message);
            if (failure.Type.Kind is FailureKind.Forbidden or FailureKind.NotFound)
            {
                Response.StatusCode = failure.Type.Kind == FailureKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status403Forbidden;
            }
        }

        return Page();
    }

    /// <summary>Shows why <paramref name="action"/> was not done, next to its control; nothing was changed.</summary>
    private void Refuse(string action, string why)
    {
        ActiveForm = FormOf(action);
        RefusedAction = action;
        ShowFieldError(FieldOf(action), why);
        ErrorMessage = "Nothing was changed.";
    }

    /// <summary>Why <paramref name="action"/> does not apply to the user as they are now; null when it does.</summary>
    private string? Unavailable(string action, UserDetails d)
    {
        switch (action)
        {
            case AdminActions.Change:
                if (!CanManage)
                {
                    return "You may not change this user's role or status.";
                }

                if (NewRole is not null && !AssignableRoles.Any(r => r.Name() == NewRole))
                {
                    return "Choose a role from the list.";
                }

                if (NewStatus is not null && !EnumText.TryParse<UserStatus>(NewStatus, out _))
                {
                    return "Choose a status from the list.";
                }

                return (NewRole ?? d.Role.Name()) == d.Role.Name() && (NewStatus ?? d.Status.Name()) == d.Status.Name()
                    ? "Nothing to change: choose another role or status."
                    : null;
            case AdminActions.ResetPassword:
                return CanManage ? null : "You may not reset this user's password.";
            case AdminActions.Unlock:
                return !CanManage ? "You may not unlock this user." : d.LockedUntil is null ? "This user is not locked." : null;
            case AdminActions.ResetTwoFactor:
                return !CanManage ? "You may not reset this user's second factor." : d.TwoFactorEnabled ? null : "This user has no second factor.";
            case AdminActions.Freeze or AdminActions.Unfreeze or AdminActions.Close:
                if (!IsAdministrator)
                {
                    return "Only administrators can freeze, unfreeze or close accounts.";
                }

                return d.Account?.Status switch
                {
                    null => "This user has no account.",
                    Core.Accounts.AccountStatus.Closed => "The account is closed; a closed account cannot be reopened.",
                    Core.Accounts.AccountStatus.Frozen when action == AdminActions.Freeze => "The account is already frozen.",
                    Core.Accounts.AccountStatus.Active when action == AdminActions.Unfreeze => "The account is not frozen.",
                    _ => null,
                };
            default:
                return "Choose an action on this page.";
        }
    }

    /// <summary>What the confirmation page of <paramref name="action"/> says: who, from what to what, and what follows.</summary>
    private ConfirmStep StepFor(string action, UserDetails d)
    {
        var name = $"{d.FirstName} {d.LastName}";
        var who = new KeyValuePair<string, string>("User", $"{name} ({d.UserId}, {Display.Role(d.Role)})");
        const string SessionsEnd = "All of their sessions end at once: they are signed out everywhere and must sign in again.";
        switch (action)
        {
            case AdminActions.Change:
                {
                    var roleAfter = EnumText.TryParse<Role>(NewRole, out var r) ? r : d.Role;
                    var statusAfter = EnumText.TryParse<UserStatus>(NewStatus, out var s) ? s : d.Status;
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
                        if (d.Role == Role.Customer && d.Account is { Status: not Core.Accounts.AccountStatus.Closed } open)
                        {
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
                        [who, Change("Role", Display.Role(d.Role), Display.Role(roleAfter)), Change("Status", d.Status.Name(), statusAfter.Name())],
                        consequences, Irreversible: false,
                        new Dictionary<string, string?> { [nameof(NewRole)] = roleAfter.Name(), [nameof(NewStatus)] = statusAfter.Name() });
                }

            case AdminActions.ResetPassword:
                return new ConfirmStep(action, "Reset", $"Reset the password of {name}?", "Yes, reset the password",
                    [who, new("Password now", d.MustChangePassword ? "One-time password, not yet changed" : "Chosen by the user")],
                    [
                        "Their current password stops working. " + SessionsEnd,
                        "A new one-time password is shown to you once, on the next page: give it to the user in person. They must change it when they sign in.",
                        "A sign-in lockout, if any, is lifted.",
                    ],
                    Irreversible: false, new Dictionary<string, string?>());
            case AdminActions.Unlock:
                return new ConfirmStep(action, "Unlock", $"Unlock sign-in for {name}?", "Yes, unlock",
                    [who, new("Locked until", display.Time(d.LockedUntil))],
                    ["They can sign in again at once; their count of failed attempts starts again from zero."],
                    Irreversible: false, new Dictionary<string, string?>());
            case AdminActions.ResetTwoFactor:
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
                    var after = action switch { AdminActions.Freeze => Core.Accounts.AccountStatus.Frozen, AdminActions.Close => Core.Accounts.AccountStatus.Closed, _ => Core.Accounts.AccountStatus.Active };
                    List<KeyValuePair<string, string>> facts =
                    [
                        new("Customer", $"{name} ({d.UserId})"),
                    new("Account", account.AccountNumber),
                    new("Balance", Display.Rupees(account.Balance)),
                    Change("Status", account.Status.Name(), after.Name()),
                ];
                    var hidden = new Dictionary<string, string?> { [nameof(AccountStatus)] = after.Name() };
                    return action switch
                    {
                        AdminActions.Freeze => new ConfirmStep(action, "Account", $"Freeze account {account.AccountNumber}?", "Yes, freeze the account", facts,
                            [
                                "While it is frozen no money moves in or out: the customer cannot deposit, withdraw or transfer, and transfers to it are refused.",
                            "The balance stays as it is. You can unfreeze the account later.",
                        ],
                            Irreversible: false, hidden),
                        AdminActions.Unfreeze => new ConfirmStep(action, "Account", $"Unfreeze account {account.AccountNumber}?", "Yes, unfreeze the account", facts,
                            ["The customer can deposit, withdraw and transfer again, and receive transfers."],
                            Irreversible: false, hidden),
                        _ => new ConfirmStep(action, "Account", $"Close account {account.AccountNumber} for good?", "Yes, close the account for good", facts,
                            [
                                "This cannot be undone: a closed account can never be reopened, and no money can move in or out of it again.",
                            account.Balance == 0
                                ? "The balance is zero, as closing requires."
                                : $"It holds {Display.Rupees(account.Balance)}: an account can be closed only at zero balance, so this will be refused until it is emptied.",
                            "Once it is closed, the customer's role can be changed (for example to Employee).",
                        ],
                            Irreversible: true, hidden),
                    };
                }
        }
    }

    private static KeyValuePair<string, string> Change(string what, string before, string after) =>
        new(what, before == after ? $"{before} (unchanged)" : $"{before} → {after}");

    private async Task LoadAsync(CancellationToken ct)
    {
        if (!Succeeded(await directory.GetAsync(actor, UserId, ct), out var details))
        {
            return;
        }

        Details = details;
        CanManage = actor.Role.CanManage(details.Role) && details.UserId != actor.UserId.ToString();
        if (details.Account is not null)
        {
            Recent = (await statements.ListAsync(actor, new TransactionQuery(UserId: details.UserId, Limit: RecentCount), ct)).Match(page => page.Items, _ => []);
        }

        if (actor.Role.IsAdministrator())
        {
            Logins = (await history.ForUserAsync(actor, UserId, new LoginQuery(Limit: RecentCount), ct)).Match(page => page.Items, _ => []);
        }
    }
}

/// <summary>The administrators' actions on the details page, as the <c>confirm</c> query names them.</summary>
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
