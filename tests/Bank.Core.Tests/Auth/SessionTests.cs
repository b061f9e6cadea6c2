using Bank.Core.Auth;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Auth;

/// <summary>Sessions kept in the database (SPEC §3): idle timeout and absolute lifetime on the bank's clock, revocation, and password changes.</summary>
public sealed class SessionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_session_ends_after_fifteen_idle_minutes_and_each_request_keeps_it_alive(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        var token = (await bank.SignInAsync(customer.UserId, customer.Password)).Value!.Token;

        for (var i = 0; i < 4; i++)
        {
            bank.Clock.Advance(TimeSpan.FromMinutes(14));
            var session = await bank.SessionAsync(token);
            Assert.NotNull(session);
            Assert.Equal(customer.Actor.UserId, session.UserId);
            Assert.Equal(Role.Customer, session.Role);
        }

        bank.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Null(await bank.SessionAsync(token));
    }

    [Theory, DatabaseData]
    public async Task A_session_ends_after_eight_hours_however_busy(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        var signedIn = (await bank.SignInAsync(customer.UserId, customer.Password)).Value!;
        Assert.Equal(TimeSpan.FromHours(8), signedIn.Lifetime);

        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(8) - TimeSpan.FromMinutes(10); elapsed += TimeSpan.FromMinutes(10))
        {
            bank.Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.NotNull(await bank.SessionAsync(signedIn.Token));
        }

        bank.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await bank.SessionAsync(signedIn.Token));
    }

    [Theory, DatabaseData]
    public async Task Revoked_unknown_and_malformed_tokens_name_no_session(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        var signedIn = (await bank.SignInAsync(customer.UserId, customer.Password)).Value!;
        await using (var scope = bank.Scope())
        {
            await scope.Get<SessionService>().RevokeAsync(signedIn.SessionId, "signed out", Token);
        }

        Assert.Null(await bank.SessionAsync(signedIn.Token));
        Assert.Null(await bank.SessionAsync("made-up-token"));
        Assert.Null(await bank.SessionAsync(new string('x', 101)));
        Assert.Null(await bank.SessionAsync(""));
    }

    [Theory, DatabaseData]
    public async Task Changing_ones_password_keeps_this_session_ends_the_others_and_refuses_reuse(TestBank bank)
    {
        var employee = await bank.EnrolAsync(Role.Employee);
        var here = (await bank.SignInAsync(employee.UserId, employee.Password)).Value!;
        var elsewhere = (await bank.SignInAsync(employee.UserId, employee.Password)).Value!;
        var actor = employee.Actor with { SessionId = here.SessionId };
        await using var scope = bank.Scope();
        var passwords = scope.Get<PasswordService>();

        var wrongCurrent = await passwords.ChangeAsync(actor, "Not-the-password-1", "Brand-new-pass-2026", Token);
        Assert.Equal(["currentPassword"], wrongCurrent.Failure!.FieldErrors!.Keys);
        var weak = await passwords.ChangeAsync(actor, employee.Password, "password1234", Token);
        Assert.Equal(["newPassword"], weak.Failure!.FieldErrors!.Keys);
        var same = await passwords.ChangeAsync(actor, employee.Password, employee.Password, Token);
        Assert.Equal(["newPassword"], same.Failure!.FieldErrors!.Keys);
        Assert.NotNull(await bank.SessionAsync(elsewhere.Token));

        var changed = await passwords.ChangeAsync(actor, employee.Password, "Brand-new-pass-2026", Token);
        Assert.True(changed.Succeeded, changed.Failure?.ToString());
        Assert.NotNull(await bank.SessionAsync(here.Token));
        Assert.Null(await bank.SessionAsync(elsewhere.Token));
        Assert.False((await bank.SessionAsync(here.Token))!.MustChangePassword);
        Assert.Equal(FailureTypes.InvalidCredentials.Code, (await bank.SignInAsync(employee.UserId, employee.Password)).Failure?.Code);
        Assert.True((await bank.SignInAsync(employee.UserId, "Brand-new-pass-2026")).Succeeded);
    }

    [Theory, DatabaseData]
    public async Task A_sign_in_that_replaces_a_session_ends_it_with_the_new_one_and_says_so_once(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        var first = (await bank.SignInAsync(customer.UserId, customer.Password)).Value!;
        var other = (await bank.SignInAsync(customer.UserId, customer.Password)).Value!;

        // A refused sign-in ends nothing, even when it names a session to replace.
        Assert.False((await bank.SignInAsync(customer.UserId, "Not-the-password-1", replacing: first.Token)).Succeeded);
        Assert.NotNull(await bank.SessionAsync(first.Token));

        var second = (await bank.SignInAsync(customer.UserId, customer.Password, replacing: first.Token)).Value!;

        Assert.Null(await bank.SessionAsync(first.Token));
        Assert.NotNull(await bank.SessionAsync(second.Token));
        Assert.NotNull(await bank.SessionAsync(other.Token));
        Assert.Equal([first.SessionId], bank.Ended.Ids);
        await using var db = bank.Database.CreateContext();
        Assert.Equal("replaced by a new sign-in", (await db.Sessions.SingleAsync(s => s.Id == first.SessionId, Token)).RevokedReason);

        // A token of a session already ended (or of none) ends nothing more, and nobody is told again.
        Assert.True((await bank.SignInAsync(customer.UserId, customer.Password, replacing: first.Token)).Succeeded);
        Assert.True((await bank.SignInAsync(customer.UserId, customer.Password, replacing: "made-up-token")).Succeeded);
        Assert.Equal([first.SessionId], bank.Ended.Ids);
    }

    [Theory, DatabaseData]
    public async Task Signing_out_ends_the_session_and_says_so(TestBank bank)
    {
        var customer = await bank.EnrolAsync(Role.Customer);
        var signedIn = (await bank.SignInAsync(customer.UserId, customer.Password)).Value!;
        await using (var scope = bank.Scope())
        {
            await scope.Get<SessionService>().EndAsync(signedIn.SessionId, "signed out", Token);
        }

        Assert.Null(await bank.SessionAsync(signedIn.Token));
        Assert.Equal([signedIn.SessionId], bank.Ended.Ids);
    }
}
