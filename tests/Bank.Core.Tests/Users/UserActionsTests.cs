using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Users;

/// <summary>
/// Core's answer on the administrative actions (<see cref="UserActions"/>, in every user's details) for several viewers and
/// users, and the actions agreeing with it: what is allowed succeeds, and what is refused is refused in the same words.
/// </summary>
public sealed class UserActionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_super_admin_may_change_and_reset_an_admin_whose_other_actions_do_not_apply(TestBank bank)
    {
        var admin = await bank.EnrolAsync(Role.Admin);

        var actions = await ActionsAsync(bank, bank.Administrator, admin.UserId);

        AssertAllowed(actions.ChangeRole, actions.ChangeStatus, actions.ResetPassword);
        AssertNotAllowed(actions.Unlock, "This user is not locked.");
        AssertNotAllowed(actions.ResetTwoFactor, "This user has no second factor.");
        AssertNotAllowed("This user has no account.", actions.FreezeAccount, actions.UnfreezeAccount, actions.CloseAccount);
        await using var scope = bank.Scope();
        var administration = scope.Get<UserAdministration>();
        Assert.True((await administration.ResetPasswordAsync(bank.Administrator, admin.UserId, null, Token)).Succeeded);
        var changed = await administration.ChangeAsync(bank.Administrator, admin.UserId, new UserChange("Employee", "Suspended"), Token);
        Assert.True(changed.Succeeded, changed.Failure?.ToString());
    }

    [Theory, DatabaseData]
    public async Task An_admin_may_do_nothing_to_another_admin_or_to_themselves_and_the_actions_refuse_in_the_same_words(TestBank bank)
    {
        var admin = await bank.AddStaffAsync(Role.Admin);
        var other = await bank.EnrolAsync(Role.Admin);

        foreach (var target in new[] { other.UserId, admin.UserId.ToString() })
        {
            var actions = await ActionsAsync(bank, admin, target);

            AssertNotAllowed("You may not change this user's role or status.", actions.ChangeRole, actions.ChangeStatus);
            AssertNotAllowed(actions.ResetPassword, "You may not reset this user's password.");
            AssertNotAllowed(actions.Unlock, "You may not unlock this user.");
            AssertNotAllowed(actions.ResetTwoFactor, "You may not reset this user's second factor.");
            Assert.All([actions.ChangeRole, actions.ResetPassword, actions.Unlock, actions.ResetTwoFactor], a => Assert.False(a.Offered));
            await AssertUserActionsRefuseAsAnsweredAsync(bank, admin, target, actions);
        }
    }

    [Theory, DatabaseData]
    public async Task An_employee_may_do_nothing_to_a_customer(TestBank bank)
    {
        var employee = await bank.AddStaffAsync(Role.Employee);
        var customer = (await bank.AddCustomersAsync(1))[0];
        var userId = customer.Actor.UserId.ToString();

        var actions = await ActionsAsync(bank, employee, userId);

        AssertNotAllowed("You may not change this user's role or status.", actions.ChangeRole, actions.ChangeStatus);
        AssertNotAllowed(actions.ResetPassword, "You may not reset this user's password.");
        AssertNotAllowed(actions.Unlock, "You may not unlock this user.");
        AssertNotAllowed(actions.ResetTwoFactor, "You may not reset this user's second factor.");
        AssertNotAllowed("Only administrators can freeze, unfreeze or close accounts.", actions.FreezeAccount, actions.UnfreezeAccount, actions.CloseAccount);
        await AssertUserActionsRefuseAsAnsweredAsync(bank, employee, userId, actions);
        foreach (var (answer, status) in new[] { (actions.FreezeAccount, "Frozen"), (actions.UnfreezeAccount, "Active"), (actions.CloseAccount, "Closed") })
        {
            Assert.Equal(answer.Reason, (await bank.ChangeStatusAsync(employee, customer.AccountNumber, status)).Failure?.Message);
        }

        Assert.Equal(AccountStatus.Active, await bank.AccountStatusAsync(customer));
    }

    [Theory, DatabaseData]
    public async Task Unlock_is_allowed_only_while_a_lock_holds(TestBank bank)
    {
        var employee = await bank.EnrolAsync(Role.Employee);
        AssertNotAllowed((await ActionsAsync(bank, bank.Administrator, employee.UserId)).Unlock, "This user is not locked.");

        await using (var db = bank.Database.CreateContext())
        {
            var until = bank.Clock.GetUtcNow().AddMinutes(30);
            await db.Users.Where(u => u.Id == employee.Actor.UserId.Value).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, until), Token);
        }

        AssertAllowed((await ActionsAsync(bank, bank.Administrator, employee.UserId)).Unlock);
        await using var scope = bank.Scope();
        var unlocked = await scope.Get<UserAdministration>().UnlockAsync(bank.Administrator, employee.UserId, null, Token);
        Assert.True(unlocked.Value, unlocked.Failure?.ToString());

        // Unlocked: nothing left to lift. The action does not refuse (it says the user was not locked); the answer says why not.
        AssertNotAllowed((await ActionsAsync(bank, bank.Administrator, employee.UserId)).Unlock, "This user is not locked.");
        Assert.False((await scope.Get<UserAdministration>().UnlockAsync(bank.Administrator, employee.UserId, null, Token)).Value);
    }

    [Theory, DatabaseData]
    public async Task A_second_factor_reset_is_allowed_only_for_a_user_who_has_one(TestBank bank)
    {
        var admin = await bank.EnrolAsync(Role.Admin);
        AssertNotAllowed((await ActionsAsync(bank, bank.Administrator, admin.UserId)).ResetTwoFactor, "This user has no second factor.");

        // A confirmed authenticator, as a confirmed enrolment leaves it.
        await using (var db = bank.Database.CreateContext())
        {
            var now = bank.Clock.GetUtcNow();
            db.TwoFactorKeys.Add(new TwoFactorKey { UserId = admin.Actor.UserId.Value, ProtectedSecret = "not used here", CreatedAt = now, EnabledAt = now });
            await db.SaveChangesAsync(Token);
        }

        AssertAllowed((await ActionsAsync(bank, bank.Administrator, admin.UserId)).ResetTwoFactor);
        await using var scope = bank.Scope();
        Assert.True((await scope.Get<UserAdministration>().ResetTwoFactorAsync(bank.Administrator, admin.UserId, null, Token)).Value);
        AssertNotAllowed((await ActionsAsync(bank, bank.Administrator, admin.UserId)).ResetTwoFactor, "This user has no second factor.");
    }

    [Theory, DatabaseData]
    public async Task An_account_with_money_is_offered_for_closing_but_not_allowed_in_the_words_of_the_refusal(TestBank bank)
    {
        var admin = await bank.AddStaffAsync(Role.Admin);
        var customer = (await bank.AddCustomersAsync(1))[0];
        var userId = customer.Actor.UserId.ToString();
        await bank.FundAsync(customer, 10m);

        var actions = await ActionsAsync(bank, admin, userId);

        AssertAllowed(actions.ChangeStatus, actions.ResetPassword, actions.FreezeAccount);
        AssertNotAllowed(actions.UnfreezeAccount, "The account is not frozen.");
        AssertNotAllowed(actions.CloseAccount, "An account can be closed only at zero balance; this one holds ₹10.00.");
        AssertNotAllowed(actions.ChangeRole, "This customer's account is still open: close it first (at zero balance), then change the role.");
        // Refused only for now: a screen still offers both, and their confirmation says why they will be refused.
        Assert.True(actions.CloseAccount.Offered && actions.ChangeRole.Offered);
        var close = await bank.AssertRefusedAndUnchangedAsync(FailureTypes.AccountNotEmpty, () => bank.ChangeStatusAsync(admin, customer.AccountNumber, "Closed"));
        Assert.Equal(actions.CloseAccount.Reason, close.Message);
        await using (var scope = bank.Scope())
        {
            var staff = await scope.Get<UserAdministration>().ChangeAsync(admin, userId, new UserChange("Employee", null), Token);
            Assert.Equal(actions.ChangeRole.Reason, staff.Failure?.Message);
        }

        Assert.True((await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Frozen")).Succeeded);
        actions = await ActionsAsync(bank, admin, userId);
        AssertNotAllowed(actions.FreezeAccount, "The account is already frozen.");
        AssertAllowed(actions.UnfreezeAccount);
        Assert.False(actions.CloseAccount.Allowed);

        Assert.True((await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Active")).Succeeded);
        Assert.True((await bank.DebitAsync(customer, 10m)).Succeeded);
        AssertAllowed((await ActionsAsync(bank, admin, userId)).CloseAccount);
        Assert.True((await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Closed")).Succeeded);

        actions = await ActionsAsync(bank, admin, userId);
        AssertNotAllowed("The account is closed; a closed account cannot be reopened.", actions.FreezeAccount, actions.UnfreezeAccount, actions.CloseAccount);
        Assert.Equal(actions.UnfreezeAccount.Reason, (await bank.ChangeStatusAsync(admin, customer.AccountNumber, "Active")).Failure?.Message);
        AssertAllowed(actions.ChangeRole);
    }

    [Theory, DatabaseData]
    public async Task The_last_active_super_admin_is_offered_but_not_allowed_a_change(TestBank bank)
    {
        var second = await bank.AddStaffAsync(Role.SuperAdmin);
        var first = bank.Administrator.UserId.ToString();
        await bank.SetUserStatusAsync(second.UserId.Value, UserStatus.Inactive);

        var actions = await ActionsAsync(bank, second, first);

        AssertNotAllowed("The last active Super_Admin cannot be demoted or deactivated.", actions.ChangeRole, actions.ChangeStatus);
        Assert.True(actions.ChangeRole.Offered && actions.ChangeStatus.Offered);
        AssertAllowed(actions.ResetPassword);
        await using var scope = bank.Scope();
        Assert.Equal(actions.ChangeStatus.Reason, (await scope.Get<UserAdministration>().ChangeAsync(second, first, new UserChange(null, "Suspended"), Token)).Failure?.Message);

        await bank.SetUserStatusAsync(second.UserId.Value, UserStatus.Active);
        AssertAllowed((await ActionsAsync(bank, second, first)).ChangeStatus);
    }

    private static async Task<UserActions> ActionsAsync(TestBank bank, Actor viewer, string userId)
    {
        await using var scope = bank.Scope();
        var details = await scope.Get<UserDirectory>().GetAsync(viewer, userId, Token);
        Assert.True(details.Succeeded, details.Failure?.ToString());
        return details.Value!.Actions;
    }

    /// <summary>The four user actions, tried: each is refused with its answer's reason, and the user is left as they were.</summary>
    private static async Task AssertUserActionsRefuseAsAnsweredAsync(TestBank bank, Actor actor, string userId, UserActions actions)
    {
        Assert.True(UserId.TryParse(userId, out var id));
        await using var scope = bank.Scope();
        var before = await scope.Db.Users.AsNoTracking().Where(u => u.Id == id.Value).Select(u => new { u.Role, u.Status, u.PasswordHash }).SingleAsync(Token);
        var administration = scope.Get<UserAdministration>();
        Assert.Equal(actions.ChangeStatus.Reason, (await administration.ChangeAsync(actor, userId, new UserChange(null, "Suspended"), Token)).Failure?.Message);
        Assert.Equal(actions.ChangeRole.Reason, (await administration.ChangeAsync(actor, userId, new UserChange("Employee", null), Token)).Failure?.Message);
        Assert.Equal(actions.ResetPassword.Reason, (await administration.ResetPasswordAsync(actor, userId, null, Token)).Failure?.Message);
        Assert.Equal(actions.Unlock.Reason, (await administration.UnlockAsync(actor, userId, null, Token)).Failure?.Message);
        Assert.Equal(actions.ResetTwoFactor.Reason, (await administration.ResetTwoFactorAsync(actor, userId, null, Token)).Failure?.Message);
        Assert.Equal(before, await scope.Db.Users.AsNoTracking().Where(u => u.Id == id.Value).Select(u => new { u.Role, u.Status, u.PasswordHash }).SingleAsync(Token));
    }

    private static void AssertAllowed(params ActionAnswer[] answers) =>
        Assert.All(answers, a => Assert.Equal((true, null, true), (a.Allowed, a.Reason, a.Offered)));

    private static void AssertNotAllowed(ActionAnswer answer, string reason) => AssertNotAllowed(reason, answer);

    private static void AssertNotAllowed(string reason, params ActionAnswer[] answers) =>
        Assert.All(answers, a => Assert.Equal((false, reason), (a.Allowed, a.Reason)));
}
