using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Users;

/// <summary>Managing users (SPEC §1) through <see cref="UserAdministration"/>: who may manage whom, the last Super_Admin, and what a change does to sessions.</summary>
public sealed class UserAdministrationTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_status_change_is_saved_audited_and_ends_the_users_sessions(TestBank bank)
    {
        var admin = await bank.AddStaffAsync(Role.Admin);
        var employee = await bank.EnrolAsync(Role.Employee);
        var session = (await bank.SignInAsync(employee.UserId, employee.Password)).Value!;
        Assert.NotNull(await bank.SessionAsync(session.Token));

        await using var scope = bank.Scope();
        var changed = await scope.Get<UserAdministration>().ChangeAsync(admin, employee.UserId, new UserChange(null, "suspended"), Token);

        Assert.True(changed.Succeeded, changed.Failure?.ToString());
        Assert.Equal(UserStatus.Suspended, changed.Value!.Status);
        Assert.Null(await bank.SessionAsync(session.Token));
        await using var db = bank.Database.CreateContext();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "user.status-changed" && e.TargetUserId == employee.Actor.UserId.Value
            && e.ActorUserId == admin.UserId.Value && e.Details == "Active -> Suspended", Token));
    }

    [Theory]
    [DatabaseData(Role.Admin, Role.Admin)]
    [DatabaseData(Role.Admin, Role.SuperAdmin)]
    [DatabaseData(Role.Employee, Role.Customer)]
    public async Task Nobody_manages_a_role_beyond_their_reach(TestBank bank, Role actorRole, Role targetRole)
    {
        var actor = await bank.AddStaffAsync(actorRole);
        var target = await bank.EnrolAsync(targetRole);
        await using var scope = bank.Scope();
        var administration = scope.Get<UserAdministration>();

        Assert.Equal(FailureTypes.Forbidden.Code, (await administration.ChangeAsync(actor, target.UserId, new UserChange(null, "Suspended"), Token)).Failure?.Code);
        Assert.Equal(FailureTypes.Forbidden.Code, (await administration.ResetPasswordAsync(actor, target.UserId, null, Token)).Failure?.Code);
        Assert.Equal(FailureTypes.Forbidden.Code, (await administration.UnlockAsync(actor, target.UserId, null, Token)).Failure?.Code);
        Assert.True((await bank.SignInAsync(target.UserId, target.Password)).Succeeded, "The target is untouched.");
    }

    [Theory, DatabaseData]
    public async Task An_admin_cannot_give_a_role_beyond_their_reach_nor_change_themselves(TestBank bank)
    {
        var admin = await bank.AddStaffAsync(Role.Admin);
        var employee = await bank.EnrolAsync(Role.Employee);
        await using var scope = bank.Scope();
        var administration = scope.Get<UserAdministration>();

        Assert.Equal(FailureTypes.Forbidden.Code, (await administration.ChangeAsync(admin, employee.UserId, new UserChange("Admin", null), Token)).Failure?.Code);
        Assert.Equal(FailureTypes.Forbidden.Code, (await administration.ChangeAsync(admin, admin.UserId.ToString(), new UserChange(null, "Inactive"), Token)).Failure?.Code);
        Assert.Equal(FailureTypes.NotFound.Code, (await administration.ChangeAsync(admin, "99999999999", new UserChange(null, "Inactive"), Token)).Failure?.Code);
        Assert.Equal(Role.Employee, (await scope.Get<UserDirectory>().GetAsync(admin, employee.UserId, Token)).Value!.Role);
    }

    [Theory, DatabaseData]
    public async Task Bad_changes_name_their_field(TestBank bank)
    {
        var employee = await bank.EnrolAsync(Role.Employee);
        await using var scope = bank.Scope();
        var administration = scope.Get<UserAdministration>();

        var unknown = await administration.ChangeAsync(bank.Administrator, employee.UserId, new UserChange("Pilot", "Asleep"), Token);
        Assert.Equal(["role", "status"], unknown.Failure!.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        var blank = await administration.ChangeAsync(bank.Administrator, employee.UserId, new UserChange(" ", null), Token);
        Assert.Equal([EnumText.MustBeOneOf<Role>()], blank.Failure!.FieldErrors!["role"]);
        var nothing = await administration.ChangeAsync(bank.Administrator, employee.UserId, new UserChange(null, null), Token);
        Assert.Equal(["Give a role, a status, or both."], nothing.Failure!.FieldErrors!["role"]);
    }

    [Theory, DatabaseData]
    public async Task The_last_active_super_admin_stays_but_one_of_two_may_go(TestBank bank)
    {
        var second = await bank.AddStaffAsync(Role.SuperAdmin);
        var first = bank.Administrator.UserId.ToString();
        await bank.SetUserStatusAsync(second.UserId.Value, UserStatus.Inactive);
        await using var scope = bank.Scope();
        var administration = scope.Get<UserAdministration>();

        // The first is the only active Super_Admin: neither a demotion nor a suspension may take it away.
        Assert.Equal(FailureTypes.LastSuperAdmin.Code, (await administration.ChangeAsync(second, first, new UserChange("Admin", null), Token)).Failure?.Code);
        Assert.Equal(FailureTypes.LastSuperAdmin.Code, (await administration.ChangeAsync(second, first, new UserChange(null, "Suspended"), Token)).Failure?.Code);

        await bank.SetUserStatusAsync(second.UserId.Value, UserStatus.Active);
        var demoted = await administration.ChangeAsync(second, first, new UserChange("Admin", null), Token);
        Assert.True(demoted.Succeeded, demoted.Failure?.ToString());
        Assert.Equal(Role.Admin, demoted.Value!.Role);
    }

    [Theory, DatabaseData]
    public async Task Two_super_admins_demoting_each_other_at_once_leave_exactly_one(TestBank bank)
    {
        for (var round = 0; round < 5; round++)
        {
            var a = await bank.AddStaffAsync(Role.SuperAdmin);
            var b = await bank.AddStaffAsync(Role.SuperAdmin);
            await bank.SetUserStatusAsync(bank.Administrator.UserId.Value, UserStatus.Inactive);

            var results = await Concurrently.RunAsync(2, async i =>
            {
                await using var scope = bank.Scope();
                var (actor, target) = i == 0 ? (a, b) : (b, a);
                return await scope.Get<UserAdministration>().ChangeAsync(actor, target.UserId.ToString(), new UserChange(null, "Suspended"), Token);
            });

            Assert.Single(results, r => r.Succeeded);
            Assert.Equal(FailureTypes.LastSuperAdmin.Code, Assert.Single(results, r => !r.Succeeded).Failure!.Code);
            await using (var db = bank.Database.CreateContext())
            {
                Assert.Equal(1, await db.Users.CountAsync(u => u.Role == Role.SuperAdmin && u.Status == UserStatus.Active, Token));
                await db.Users.Where(u => u.Role == Role.SuperAdmin && u.Id != bank.Administrator.UserId.Value)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, UserStatus.Inactive), Token);
            }

            await bank.SetUserStatusAsync(bank.Administrator.UserId.Value, UserStatus.Active);
        }
    }

    [Theory, DatabaseData]
    public async Task A_customer_with_an_open_account_keeps_the_role_until_the_account_is_closed(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        await bank.FundAsync(customer, 10m);
        await using var scope = bank.Scope();
        var administration = scope.Get<UserAdministration>();

        var refused = await administration.ChangeAsync(bank.Administrator, customer.Actor.UserId.ToString(), new UserChange("Employee", null), Token);
        Assert.Equal(FailureTypes.Conflict.Code, refused.Failure?.Code);
        Assert.Contains("close it first", refused.Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(Role.Customer, (await scope.Db.Users.AsNoTracking().SingleAsync(u => u.Id == customer.UserId, Token)).Role);

        await bank.DebitAsync(customer, 10m);
        Assert.True((await bank.ChangeStatusAsync(bank.Administrator, customer.AccountNumber, "Closed")).Succeeded);
        var changed = await administration.ChangeAsync(bank.Administrator, customer.Actor.UserId.ToString(), new UserChange("Employee", null), Token);
        Assert.True(changed.Succeeded, changed.Failure?.ToString());
        Assert.Equal(Role.Employee, changed.Value!.Role);
    }

    [Theory, DatabaseData]
    public async Task A_reset_gives_a_new_one_time_password_lifts_a_lockout_and_ends_sessions(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        var session = (await bank.SignInAsync(customer.UserId, customer.Password)).Value!;
        for (var i = 0; i < 5; i++)
        {
            await bank.SignInAsync(customer.UserId, "Not-the-password-1");
        }

        Assert.Equal(FailureTypes.AccountLocked.Code, (await bank.SignInAsync(customer.UserId, customer.Password)).Failure?.Code);

        await using var scope = bank.Scope();
        var reset = await scope.Get<UserAdministration>().ResetPasswordAsync(bank.Administrator, customer.UserId, null, Token);

        Assert.True(reset.Succeeded, reset.Failure?.ToString());
        Assert.NotEqual(customer.Password, reset.Value);
        Assert.Null(await bank.SessionAsync(session.Token));
        Assert.Equal(FailureTypes.InvalidCredentials.Code, (await bank.SignInAsync(customer.UserId, customer.Password)).Failure?.Code);
        var again = await bank.SignInAsync(customer.UserId, reset.Value);
        Assert.True(again.Succeeded, again.Failure?.ToString());
        Assert.True(again.Value!.MustChangePassword);
    }

    [Theory, DatabaseData]
    public async Task Unlock_says_whether_the_user_was_locked(TestBank bank)
    {
        var employee = await bank.EnrolAsync(Role.Employee);
        await using var scope = bank.Scope();
        var administration = scope.Get<UserAdministration>();
        Assert.False((await administration.UnlockAsync(bank.Administrator, employee.UserId, null, Token)).Value);

        for (var i = 0; i < 5; i++)
        {
            await bank.SignInAsync(employee.UserId, "Not-the-password-1");
        }

        Assert.True((await administration.UnlockAsync(bank.Administrator, employee.UserId, null, Token)).Value);
        Assert.True((await bank.SignInAsync(employee.UserId, employee.Password)).Succeeded);
    }
}
