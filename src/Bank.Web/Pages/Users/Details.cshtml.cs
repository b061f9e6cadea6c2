using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

public sealed class DetailsModel(UserService users, LoginHistory history, AccountService accounts, LedgerService ledger) : BankPageModel
{
    [BindProperty(SupportsGet = true)]
    public string UserId { get; set; } = "";

    [BindProperty]
    public string? NewRole { get; set; }

    [BindProperty]
    public string? NewStatus { get; set; }

    public UserDetails? Details { get; private set; }

    public IReadOnlyList<LoginRecord> Logins { get; private set; } = [];

    public IReadOnlyList<TransactionLine> Recent { get; private set; } = [];

    [BindProperty]
    public string? AccountStatus { get; set; }

    /// <summary>A password reset's one-time password, shown once in the answer to the POST.</summary>
    public string? TemporaryPassword { get; private set; }

    public bool CanManage { get; private set; }

    public IEnumerable<Role> AssignableRoles => Roles.All.Where(r => HttpContext.ToActor().Role.CanManage(r));

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task OnPostChangeAsync(CancellationToken ct)
    {
        var current = await users.GetAsync(HttpContext.ToActor(), UserId, ct);
        // Send only what the form changed, so that a role change does not also "change" the status to itself.
        var role = current.Value is { } d && NewRole == d.User.Role ? null : NewRole;
        var status = current.Value is { } s && NewStatus == s.User.Status ? null : NewStatus;
        if (role is null && status is null)
        {
            ErrorMessage = "Nothing to change: choose another role or status.";
        }
        else
        {
            var result = await users.ChangeAsync(HttpContext.ToActor(), UserId, new UserChange(role, status), ct);
            if (result.Failure is { } failure)
            {
                Show(failure);
            }
            else
            {
                SuccessMessage = "Saved. The user's sessions have ended; they must sign in again.";
            }
        }

        await LoadAsync(ct);
    }

    public async Task OnPostResetAsync(CancellationToken ct)
    {
        var result = await users.ResetPasswordAsync(HttpContext.ToActor(), UserId, ct);
        if (result.Failure is { } failure)
        {
            Show(failure);
        }
        else
        {
            TemporaryPassword = result.Value;
        }

        await LoadAsync(ct);
    }

    public async Task OnPostAccountAsync(CancellationToken ct)
    {
        var current = await users.GetAsync(HttpContext.ToActor(), UserId, ct);
        if (current.Value?.Account is not { } account)
        {
            ErrorMessage = "This user has no account.";
        }
        else
        {
            var result = await accounts.ChangeStatusAsync(HttpContext.ToActor(), account.AccountNumber, new AccountChange(AccountStatus), ct);
            if (result.Failure is { } failure)
            {
                Show(failure);
            }
            else
            {
                SuccessMessage = $"The account is now {result.Value!.Status}.";
            }
        }

        await LoadAsync(ct);
    }

    public async Task OnPostUnlockAsync(CancellationToken ct)
    {
        var result = await users.UnlockAsync(HttpContext.ToActor(), UserId, ct);
        if (result.Failure is { } failure)
        {
            Show(failure);
        }
        else
        {
            SuccessMessage = result.Value ? "Unlocked: the user can sign in again." : "The user was not locked.";
        }

        await LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = HttpContext.ToActor();
        var result = await users.GetAsync(actor, UserId, ct);
        if (result.Failure is { } failure)
        {
            Show(failure);
            return;
        }

        Details = result.Value;
        Roles.TryParse(Details!.User.Role, out var targetRole);
        CanManage = actor.Role.CanManage(targetRole) && Details.User.UserId != actor.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Details.Account is not null)
        {
            var recent = await ledger.ListAsync(actor, new TransactionQuery(UserId: Details.User.UserId, Limit: 10), ct);
            Recent = recent.Value?.Items ?? [];
        }

        if (actor.Role.IsAdministrator())
        {
            var logins = await history.ForUserAsync(actor, UserId, null, 10, ct);
            Logins = logins.Value?.Items ?? [];
        }
    }
}
