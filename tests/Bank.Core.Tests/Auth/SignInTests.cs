using Bank.Core.Auth;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Auth;

/// <summary>Signing in (SPEC §3) through <see cref="SignInService"/>: one answer for wrong credentials, lockout with the bank's clock, statuses, login history.</summary>
public sealed class SignInTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_answer_and_are_recorded(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);

        var wrong = await bank.SignInAsync(customer.UserId, "Not-the-password-1");
        var unknown = await bank.SignInAsync("99999999999", "Not-the-password-1");
        var nonsense = await bank.SignInAsync("  drop table users  ", "");

        Assert.All([wrong, unknown, nonsense], r => Assert.Equal(FailureTypes.InvalidCredentials.Code, r.Failure?.Code));
        Assert.Equal(wrong.Failure!.Message, unknown.Failure!.Message);
        await using var db = bank.Database.CreateContext();
        var attempts = await db.LoginAttempts.OrderBy(a => a.Id).ToListAsync(Token);
        Assert.Equal(
            [(LoginOutcome.WrongPassword, customer.Actor.UserId.Value), (LoginOutcome.UnknownUser, (long?)null), (LoginOutcome.UnknownUser, null)],
            attempts.Select(a => (a.Outcome, a.UserId)));
        Assert.Equal("drop table users", attempts[^1].UserIdentifier);
    }

    [Theory, DatabaseData]
    public async Task Five_failures_lock_for_thirty_minutes_of_the_banks_clock(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(FailureTypes.InvalidCredentials.Code, (await bank.SignInAsync(customer.UserId, "Not-the-password-1")).Failure?.Code);
        }

        // Locked: every password gets the same answer (the lock cannot be guessed through), and guesses do not extend it.
        Assert.Equal(FailureTypes.AccountLocked.Code, (await bank.SignInAsync(customer.UserId, "Not-the-password-1")).Failure?.Code);
        Assert.Equal(FailureTypes.AccountLocked.Code, (await bank.SignInAsync(customer.UserId, customer.Password)).Failure?.Code);
        bank.Clock.Advance(TimeSpan.FromMinutes(29));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(FailureTypes.AccountLocked.Code, (await bank.SignInAsync(customer.UserId, "Not-the-password-1")).Failure?.Code);
        }

        Assert.Equal(FailureTypes.AccountLocked.Code, (await bank.SignInAsync(customer.UserId, customer.Password)).Failure?.Code);

        bank.Clock.Advance(TimeSpan.FromMinutes(1));
        var signedIn = await bank.SignInAsync(customer.UserId, customer.Password);
        Assert.True(signedIn.Succeeded, signedIn.Failure?.ToString());
        await using var db = bank.Database.CreateContext();
        var user = await db.Users.SingleAsync(u => u.Id == customer.Actor.UserId.Value, Token);
        Assert.Equal((0, null), (user.AccessFailedCount, user.LockoutEnd));
        Assert.Equal(bank.Clock.GetUtcNow(), user.LastLoginAt!.Value, TimeSpan.FromSeconds(1));
    }

    [Theory, DatabaseData]
    public async Task A_lock_committed_during_a_right_passwords_hash_wins_over_it(TestBank bank)
    {
        // 14 sign-ins at once, the 7th with the right password: whatever their order, at least five wrong ones come after
        // any success, or the success comes after the lock; either way the account ends locked.
        var customer = await bank.EnrolAsync(Role.Customer);
        var results = await Task.WhenAll(Enumerable.Range(0, 14).Select(i =>
            Task.Run(() => bank.SignInAsync(customer.UserId, i == 6 ? customer.Password : "Not-the-password-1"), Token)));

        Assert.InRange(results.Count(r => r.Succeeded), 0, 1);
        Assert.Equal(FailureTypes.AccountLocked.Code, (await bank.SignInAsync(customer.UserId, customer.Password)).Failure?.Code);
        await using var db = bank.Database.CreateContext();
        var attempts = await db.LoginAttempts.Where(a => a.UserId == customer.Actor.UserId.Value).OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync(Token);
        var lockedAt = attempts.Select((o, i) => (o, i)).Where(x => x.o == LoginOutcome.WrongPassword).Skip(4).First().i;
        Assert.DoesNotContain(LoginOutcome.Success, attempts.Skip(lockedAt + 1));
    }

    [Theory]
    [DatabaseData(UserStatus.Suspended)]
    [DatabaseData(UserStatus.Inactive)]
    [DatabaseData(UserStatus.Pending)]
    public async Task A_user_who_is_not_active_learns_why_only_with_the_right_password(TestBank bank, UserStatus status)
    {
        var employee = await bank.EnrolAsync(Role.Employee);
        await bank.SetUserStatusAsync(employee.Actor.UserId.Value, status);

        Assert.Equal(FailureTypes.InvalidCredentials.Code, (await bank.SignInAsync(employee.UserId, "Not-the-password-1")).Failure?.Code);
        var right = await bank.SignInAsync(employee.UserId, employee.Password);
        Assert.Equal(FailureTypes.UserNotActive.Code, right.Failure?.Code);
        Assert.Contains(status.Name().ToLowerInvariant(), right.Failure!.Message, StringComparison.Ordinal);
    }

    [Theory, DatabaseData]
    public async Task The_login_history_pages_newest_first_with_one_cursor_vocabulary(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        for (var i = 0; i < 5; i++)
        {
            await bank.SignInAsync(customer.UserId, i % 2 == 0 ? customer.Password : "Not-the-password-1");
        }

        await using var scope = bank.Scope();
        var history = scope.Get<LoginHistory>();
        var seen = new List<LoginRecord>();
        string? cursor = null;
        do
        {
            var page = await history.OwnAsync(customer.Actor, new LoginQuery(cursor, Limit: 2), Token);
            Assert.True(page.Succeeded, page.Failure?.ToString());
            seen.AddRange(page.Value!.Items);
            cursor = page.Value.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal([true, false, true, false, true], seen.Select(r => r.Succeeded).Reverse());
        Assert.Equal(seen.OrderByDescending(r => r.At).Select(r => r.At), seen.Select(r => r.At));

        var bad = await history.OwnAsync(customer.Actor, new LoginQuery("not-a-cursor", Limit: 0), Token);
        Assert.Equal([Paging.CursorRule], bad.Failure!.FieldErrors!["cursor"]);
        Assert.Equal([Paging.LimitRule], bad.Failure.FieldErrors["limit"]);
        var employee = await bank.AddStaffAsync(Role.Employee);
        Assert.Equal(FailureTypes.Forbidden.Code, (await history.ForUserAsync(employee, customer.UserId, new LoginQuery(), Token)).Failure?.Code);
        Assert.Equal(5, (await history.ForUserAsync(bank.Administrator, customer.UserId, new LoginQuery(), Token)).Value!.Items.Count);
    }
}
