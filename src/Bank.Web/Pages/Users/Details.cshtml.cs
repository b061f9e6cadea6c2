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
/// (TempData), and a refusal comes back at once, next to the control that was used, with nothing changed. Which actions
/// are offered, and why not, is Core's answer (<see cref="UserDetails.Actions"/>); the page only shows it.
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

    /// <summary>The user's details, with Core's answer on each action.</summary>
    public UserDetails? Details { get; private set; }

    /// <summary>The user's latest sign-in attempts; null for a viewer who is not an administrator.</summary>
    public IReadOnlyList<LoginRecord>? Logins { get; private set; }

    /// <summary>The account's latest lines.</summary>
    public IReadOnlyList<TransactionLine> Recent { get; private set; } = [];

    /// <summary>A password reset's one-time password, shown once on the page the reset redirected to.</summary>
    public string? TemporaryPassword { get; private set; }

    /// <summary>The confirmation page of an action, when one was asked for; the page shows only it.</summary>
    public ConfirmStep? Step { get; private set; }

    /// <summary>The roles the viewer may give.</summary>
    public IEnumerable<Role> AssignableRoles => Roles.All.Where(r => actor.Role.CanManage(r));

    /// <summary>The role and the status the manage form shows: the ones just tried when they were refused, else the user's.</summary>
    public (string Role, string Status) Selected => ActiveForm == AdminActions.ManageForm
        ? (NewRole ?? Details?.Role.Name() ?? "", NewStatus ?? Details?.Status.Name() ?? "")
        : (Details?.Role.Name() ?? "", Details?.Status.Name() ?? "");

    /// <summary>Shows the user, the result of the action just done (once), or the confirmation page of an action.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        // TempData: read once, then gone (the cookie is rewritten without it at the end of this request).
        SuccessMessage = TempData[NoticeKey(UserId)] as string;
        TemporaryPassword = TempData[PasswordKey(UserId)] as string;
        await LoadAsync(ct);
        if (Confirm is not { } action || Details is not { } details)
        {
            return;
        }

        if (AdminActions.WhyNot(action, details, NewRole, NewStatus, actor.Role) is { } why)
        {
            Refuse(action, why);
            return;
        }

        Step = AdminActions.StepFor(action, details, NewRole, NewStatus, display);
    }

    /// <summary>Saves a confirmed role and/or status change.</summary>
    public async Task<IActionResult> OnPostChangeAsync(CancellationToken ct) =>
        AdminActions.ChangeOf((await directory.GetAsync(actor, UserId, ct)).Value, NewRole, NewStatus, Reason) is not { } change
            ? await RefuseAsync(AdminActions.Change, AdminActions.NothingToChange, ct)
            : await FinishAsync(AdminActions.Change, await administration.ChangeAsync(actor, UserId, change, ct),
                changed => $"Saved: {changed.FirstName} {changed.LastName} is now {Display.Role(changed.Role)}, {changed.Status.Name()}. Their sessions have ended; they must sign in again.", ct);

    /// <summary>Gives the user a new one-time password, shown once on the page it redirects to.</summary>
    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct) =>
        await FinishAsync(AdminActions.ResetPassword, await administration.ResetPasswordAsync(actor, UserId, Reason, ct),
            _ => "The password is reset and the user's sessions have ended.", ct, password: temporary => temporary);

    /// <summary>Freezes, unfreezes or closes the user's account.</summary>
    public async Task<IActionResult> OnPostAccountAsync(CancellationToken ct)
    {
        var action = AdminActions.ForAccountStatus(AccountStatus);
        return (await directory.GetAsync(actor, UserId, ct)).Value?.Account is not { } account
            ? await RefuseAsync(action, UserActions.NoAccount, ct)
            : await FinishAsync(action, await accounts.ChangeStatusAsync(actor, account.AccountNumber, new AccountChange(AccountStatus, Reason), ct),
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
            Step = AdminActions.StepFor(action, details, NewRole, NewStatus, display);
            Show(failure);
        }
        else if (action == AdminActions.Change && failure.FieldErrors is { Count: > 0 })
        {
            ActiveForm = AdminActions.ManageForm;
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

    /// <summary>This page with a refusal of <paramref name="action"/> that the page found itself.</summary>
    private async Task<IActionResult> RefuseAsync(string action, string why, CancellationToken ct)
    {
        await LoadAsync(ct);
        Refuse(action, why);
        return Page();
    }

    /// <summary>Shows why <paramref name="action"/> was not done, next to its control.</summary>
    private void Refuse(string action, string why) =>
        Refuse(action, AdminActions.FormOf(action), AdminActions.FieldOf(action, NewRole, Details?.Role), why);

    private async Task LoadAsync(CancellationToken ct)
    {
        if (Succeeded(await directory.GetAsync(actor, UserId, ct), out var details))
        {
            Details = details;
            Recent = details.Account is null ? [] : (await statements.ListAsync(actor, new TransactionQuery(UserId: details.UserId, Limit: RecentCount), ct)).Value?.Items ?? [];
            Logins = actor.Role.IsAdministrator() ? (await history.ForUserAsync(actor, UserId, new LoginQuery(Limit: RecentCount), ct)).Value?.Items ?? [] : null;
        }
    }
}
