using Bank.Core.Accounts;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Users;

/// <summary>Creating users (SPEC §2) through <see cref="UserEnrolment"/>: generated ids, one-time passwords, a customer's account, and every refusal changing nothing.</summary>
public sealed class UserEnrolmentTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_customer_gets_the_next_user_id_a_checked_account_number_and_a_one_time_password(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        var employee = await bank.EnrolAsync(Role.Employee);

        Assert.Equal(UserId.First.Value + 1, customer.Actor.UserId.Value);
        Assert.Equal(UserId.First.Value + 2, employee.Actor.UserId.Value);
        Assert.True(AccountNumber.IsValid(customer.AccountNumber), customer.AccountNumber);
        Assert.Null(employee.AccountNumber);

        await using var db = bank.Database.CreateContext();
        var account = await db.Accounts.SingleAsync(a => a.UserId == customer.Actor.UserId.Value, Token);
        Assert.Equal((AccountStatus.Active, 0L, Account.Rupee, bank.Bank.Branch), (account.Status, account.BalancePaise, account.Currency, account.Branch));
        var user = await db.Users.SingleAsync(u => u.Id == customer.Actor.UserId.Value, Token);
        Assert.True(user.MustChangePassword);
        Assert.Equal(bank.Administrator.UserId.Value, user.CreatedById);
        Assert.DoesNotContain(customer.Password, user.PasswordHash, StringComparison.Ordinal);

        // The one-time password signs in, and the session says it must be changed.
        var signedIn = await bank.SignInAsync(customer.UserId, customer.Password);
        Assert.True(signedIn.Succeeded, signedIn.Failure?.ToString());
        Assert.True(signedIn.Value!.MustChangePassword);
    }

    [Theory]
    [DatabaseData(Role.Admin, Role.Admin)]
    [DatabaseData(Role.Admin, Role.SuperAdmin)]
    [DatabaseData(Role.Employee, Role.Customer)]
    [DatabaseData(Role.Customer, Role.Customer)]
    public async Task Only_roles_that_manage_a_role_may_create_it_and_a_refusal_creates_nothing(TestBank bank, Role creator, Role target)
    {
        var actor = await bank.AddStaffAsync(creator);
        var before = await UserCountAsync(bank);

        await using var scope = bank.Scope();
        var result = await scope.Get<UserEnrolment>().CreateAsync(actor, Person("refused@example.com", "7000000001", target.Name()), Token);

        Assert.Equal(FailureTypes.Forbidden.Code, result.Failure?.Code);
        Assert.Equal(before, await UserCountAsync(bank));
    }

    [Theory, DatabaseData]
    public async Task Every_bad_field_is_named_at_once_and_nothing_is_created(TestBank bank)
    {
        var before = await UserCountAsync(bank);
        await using var scope = bank.Scope();
        var input = new NewUser("R2D2", "", "not-an-email", "2999-01-01", ["12345", "12345"], "Robot", new string('s', 201), "Atlantis", "Lemuria", "Pilot");

        var result = await scope.Get<UserEnrolment>().CreateAsync(bank.Administrator, input, Token);

        Assert.Equal(FailureTypes.Validation.Code, result.Failure?.Code);
        Assert.Equal(
            ["address.state", "address.street", "dateOfBirth", "email", "firstName", "gender", "lastName", "phoneNumbers[0]", "phoneNumbers[1]", "role"],
            result.Failure!.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(EnumText.MustBeOneOf<Role>(), Assert.Single(result.Failure.FieldErrors["role"]));
        Assert.Equal(before, await UserCountAsync(bank));
    }

    [Theory, DatabaseData]
    public async Task An_email_in_other_case_and_a_phone_number_already_taken_are_refused_by_field(TestBank bank)
    {
        await using var scope = bank.Scope();
        var enrolment = scope.Get<UserEnrolment>();
        Assert.True((await enrolment.CreateAsync(bank.Administrator, Person("Asha.Verma@Example.com", "7000000002"), Token)).Succeeded);
        var before = await UserCountAsync(bank);

        var result = await enrolment.CreateAsync(bank.Administrator, Person("asha.verma@example.COM", "7000000002"), Token);

        Assert.Equal(FailureTypes.Validation.Code, result.Failure?.Code);
        Assert.Equal(["email", "phoneNumbers[0]"], result.Failure!.FieldErrors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before, await UserCountAsync(bank));
    }

    [Theory, DatabaseData]
    public async Task Concurrent_creates_with_one_email_store_exactly_one_user(TestBank bank)
    {
        var before = await UserCountAsync(bank);

        var results = await Concurrently.RunAsync(8, async i =>
        {
            await using var scope = bank.Scope();
            return await scope.Get<UserEnrolment>().CreateAsync(bank.Administrator, Person("same@example.com", $"70000001{i:D2}"), Token);
        });

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(FailureTypes.Validation.Code, r.Failure!.Code));
        Assert.Equal(before + 1, await UserCountAsync(bank));
    }

    private static NewUser Person(string email, string phone, string role = "Customer") =>
        new("Asha", "Verma", email, "1990-04-15", [phone], "Female", "12 MG Road", "Pune", "Maharashtra", role);

    private static async Task<int> UserCountAsync(TestBank bank)
    {
        await using var db = bank.Database.CreateContext();
        return await db.Users.CountAsync(Token);
    }
}
