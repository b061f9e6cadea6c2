using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Security;

/// <summary>
/// Finding 2 of the security review, its last part: no lock is extended, and instead a guesser who comes back after a lock
/// waits progressively longer (2, 4, 8 … minutes after each further wrong password) until a successful sign-in or an
/// administrator's unlock. The app's clock is moved by the test.
/// </summary>
public sealed class LockoutDelayFindingsTests(ClockApps apps) : IClassFixture<ClockApps>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Finding_2_after_a_lock_each_further_wrong_password_makes_the_next_try_wait_longer_until_a_success(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (_, userId) = await app.ActiveUserAsync(await app.SuperAdminAsync(), "Customer");
        var password = app.LastPasswords[userId];

        await WrongAsync(app, userId, 5);
        await (await SignInAsync(app, userId, password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        app.Clock.Advance(TimeSpan.FromMinutes(31));

        // The sixth wrong password is answered as any wrong password; then even the right one waits two minutes, and is not checked.
        await WrongAsync(app, userId, 1);
        var delayed = await (await SignInAsync(app, userId, password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        Assert.Contains("2 minute(s)", delayed["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        app.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        // The seventh waits four minutes.
        await WrongAsync(app, userId, 1);
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        await (await SignInAsync(app, userId, password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, userId, password)).StatusCode);

        // A success ends the streak: one typo later, the right password goes straight in.
        await WrongAsync(app, userId, 1);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, userId, password)).StatusCode);
    }

    [Theory, DatabaseData]
    public async Task Finding_2_an_administrators_unlock_ends_the_progressive_delay(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, userId) = await app.ActiveUserAsync(admin, "Customer");
        var password = app.LastPasswords[userId];
        await WrongAsync(app, userId, 5);
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await WrongAsync(app, userId, 1);
        await (await SignInAsync(app, userId, password)).AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");

        admin = await app.SuperAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{userId}/unlock", null, Ct)).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, userId, password)).StatusCode);
    }

    private static Task<HttpResponseMessage> SignInAsync(BankApp app, string userId, string password) =>
        app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId, password }, Ct);

    private static async Task WrongAsync(BankApp app, string userId, int times)
    {
        for (var i = 0; i < times; i++)
        {
            await (await SignInAsync(app, userId, "Not-the-password-1")).AssertProblemAsync(HttpStatusCode.Unauthorized, i == 4 ? null : "invalid-credentials");
        }
    }
}
