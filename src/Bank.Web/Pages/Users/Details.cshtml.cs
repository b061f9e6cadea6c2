using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Users;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

/// <summary>One user (staff): profile, account, recent transactions and sign-ins; the administrators' actions.</summary>
public sealed class DetailsModel(
    UserDirectory directory,
    UserAdministration administration,
    LoginHistory history,
    AccountService accounts,
    Statements statements,
    Actor actor) : BankPageModel
{
    private const int RecentCount = 10;

    /// <summary>The user shown.</summary>
    [BindProperty(SupportsGet = true)]
    public string UserId { get; set; } = "";

    /// <summary>The role chosen in the manage form.</summary>
    [BindProperty]
    public string? NewRole { get; set; }

    /// <summary>The status chosen in the manage form.</summary>
    [BindProperty]
    public string? NewStatus { get; set; }

    /// <summary>The account status of an account action.</summary>
    [BindProperty]
    public string? AccountStatus { get; set; }

    /// <summary>The user's details.</summary>
    public UserDetails? Details { get; private set; }

    /// <summary>The user's latest sign-in attempts (administrators).</summary>
    public IReadOnlyList<LoginRecord> Logins { get; private set; } = [];

    /// <summary>The account's latest lines.</summary>
    public IReadOnlyList<TransactionLine> Recent { get; private set; } = [];

    /// <summary>A password reset's one-time password, shown once in the answer to the POST.</summary>
    public string? TemporaryPassword { get; private set; }

    /// <summary>Whether the viewer may manage this user.</summary>
    public bool CanManage { get; private set; }

    /// <summary>Whether the viewer is an administrator (account actions, sign-ins).</summary>
    public bool IsAdministrator => actor.Role.IsAdministrator();

    /// <summary>The roles the viewer may give.</summary>
    public IEnumerable<Role> AssignableRoles => Roles.All.Where(r => actor.Role.CanManage(r));

    /// <summary>Shows the user.</summary>
    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// <summary>Saves a role and/or status change.</summary>
    public async Task OnPostChangeAsync(CancellationToken ct)
    {
        // Send only what the form changed, so that a role change does not also "change" the status to itself.
        var current = (await directory.GetAsync(actor, UserId, ct)).Match<UserDetails?>(d => d, _ => null);
        var role = current is not null && NewRole == current.Role.Name() ? null : NewRole;
        var status = current is not null && NewStatus == current.Status.Name() ? null : NewStatus;
        if (role is null && status is null)
        {
            ErrorMessage = "Nothing to change: choose another role or status.";
        }
        else if (Succeeded(await administration.ChangeAsync(actor, UserId, new UserChange(role, status), ct), out _))
        {
            SuccessMessage = "Saved. The user's sessions have ended; they must sign in again.";
        }

        await LoadAsync(ct);
    }

    /// <summary>Gives the user a new one-time password.</summary>
    public async Task OnPostResetAsync(CancellationToken ct)
    {
        if (Succeeded(await administration.ResetPasswordAsync(actor, UserId, ct), out var temporary))
        {
            TemporaryPassword = temporary;
        }

        await LoadAsync(ct);
    }

    /// <summary>Freezes, unfreezes or closes the user's account.</summary>
    public async Task OnPostAccountAsync(CancellationToken ct)
    {
        var account = (await directory.GetAsync(actor, UserId, ct)).Match(d => d.Account, _ => null);
        if (account is null)
        {
            ErrorMessage = "This user has no account.";
        }
        else if (Succeeded(await accounts.ChangeStatusAsync(actor, account.AccountNumber, new AccountChange(AccountStatus), ct), out var changed))
        {
            SuccessMessage = $"The account is now {changed.Status.Name()}.";
        }

        await LoadAsync(ct);
    }

    /// <summary>Removes the user's second factor (they set it up again at their next sign-in where it is required).</summary>
    public async Task OnPostResetTwoFactorAsync(CancellationToken ct)
    {
        if (Succeeded(await administration.ResetTwoFactorAsync(actor, UserId, ct), out var hadOne))
        {
            SuccessMessage = hadOne
                ? "The second factor is reset and the user's sessions have ended. They set up a new one at their next sign-in if their role requires it."
                : "The user had no second factor.";
        }

        await LoadAsync(ct);
    }

    /// <summary>Lifts a sign-in lockout.</summary>
    public async Task OnPostUnlockAsync(CancellationToken ct)
    {
        if (Succeeded(await administration.UnlockAsync(actor, UserId, ct), out var wasLocked))
        {
            SuccessMessage = wasLocked ? "Unlocked: the user can sign in again." : "The user was not locked.";
        }

        await LoadAsync(ct);
    }

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
