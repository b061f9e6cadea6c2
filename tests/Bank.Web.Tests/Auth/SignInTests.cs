using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Auth;

/// <summary>Sign-in rules of SPEC §3: credentials, lockout, statuses, login history.</summary>
public sealed class SignInTests(BankApps apps) : IClassFixture<BankApps>
{
    private const string WrongPasswordMessage = "The User ID or password is incorrect.";

    [Theory, DatabaseData]
    public async Task Wrong_password_and_unknown_user_get_the_same_401(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var anonymous = app.CreateClient();
        var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = BankApp.SuperAdminId, password = "Wrong-password-123" });
        var unknown = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = "99999999999", password = "Wrong-password-123" });

        var a = await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        var b = await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        Assert.Equal(WrongPasswordMessage, a["detail"]!.GetValue<string>());
        Assert.Equal(a["detail"]!.GetValue<string>(), b["detail"]!.GetValue<string>());

        // A query value of the wrong type is a field error too, before any password is checked.
        var maybe = await anonymous.PostAsJsonAsync("/api/v1/auth/login?useCookies=maybe", new { userId = BankApp.SuperAdminId, password = "Wrong-password-123" });
        Assert.Equal(["useCookies"], (await maybe.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
    }

    [Theory, DatabaseData]
    public async Task Five_failures_lock_the_account_for_thirty_minutes_until_an_admin_unlocks_it(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, userId) = await app.ActiveUserAsync(admin, "Customer");
        var password = await ResetAndChangeAsync(app, admin, userId);
        var anonymous = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            var failed = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password = "Not-the-password-1" });
            var problem = await failed.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
            Assert.Equal(WrongPasswordMessage, problem["detail"]!.GetValue<string>());
        }

        // Locked: any password, right or wrong, gets the same answer, so the lock cannot be guessed through.
        var wrongWhileLocked = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password = "Not-the-password-1" });
        await wrongWhileLocked.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        var rightWhileLocked = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password });
        var locked = await rightWhileLocked.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        Assert.Contains("locked", locked["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);

        var details = await (await admin.GetAsync($"/api/v1/users/{userId}")).JsonAsync();
        var until = details["lockedUntil"]!.GetValue<DateTimeOffset>();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));

        var unlock = await admin.PostAsync($"/api/v1/users/{userId}/unlock", null);
        Assert.True((await unlock.JsonAsync())["wasLocked"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password })).StatusCode);
    }

    [Theory]
    [DatabaseData("Suspended")]
    [DatabaseData("Pending")]
    [DatabaseData("Inactive")]
    public async Task Users_who_are_not_active_are_refused_and_told_why_only_with_the_right_password(DatabaseProvider provider, string status)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, userId) = await app.ActiveUserAsync(admin, "Employee");
        var password = await ResetAndChangeAsync(app, admin, userId);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync($"/api/v1/users/{userId}", new { status })).StatusCode);
        var anonymous = app.CreateClient();

        var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password = "Not-the-password-1" });
        Assert.Equal(WrongPasswordMessage, (await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials"))["detail"]!.GetValue<string>());

        var right = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password });
        var problem = await right.AssertProblemAsync(HttpStatusCode.Unauthorized, "user-not-active");
        Assert.Contains(status, problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory, DatabaseData]
    public async Task Every_attempt_is_in_the_login_history_with_its_outcome(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (client, userId) = await app.ActiveUserAsync(admin, "Customer");
        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.UserAgent.ParseAdd("HistoryTest/1.0");
        await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password = "Not-the-password-1" });

        var own = await (await client.GetAsync("/api/v1/auth/logins")).JsonAsync();
        var items = own["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal("WrongPassword", items[0]!["outcome"]!.GetValue<string>());
        Assert.False(items[0]!["succeeded"]!.GetValue<bool>());
        Assert.Equal("HistoryTest/1.0", items[0]!["userAgent"]!.GetValue<string>());
        Assert.Equal("Success", items[1]!["outcome"]!.GetValue<string>());
        Assert.True(items[0]!["at"]!.GetValue<DateTimeOffset>() >= items[1]!["at"]!.GetValue<DateTimeOffset>());

        var seenByAdmin = await (await admin.GetAsync($"/api/v1/users/{userId}/logins")).JsonAsync();
        Assert.Equal(2, seenByAdmin["items"]!.AsArray().Count);

        var paged = await (await client.GetAsync("/api/v1/auth/logins?limit=1")).JsonAsync();
        Assert.Single(paged["items"]!.AsArray());
        var next = paged["nextCursor"]!.GetValue<string>();
        var second = await (await client.GetAsync($"/api/v1/auth/logins?limit=1&cursor={next}")).JsonAsync();
        Assert.Equal("Success", second["items"]![0]!["outcome"]!.GetValue<string>());
    }

    [Theory, DatabaseData]
    public async Task Sign_in_updates_last_login_and_the_activity_status(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var created = await BankApp.CreateUserAsync(admin, "Customer");
        var before = await (await admin.GetAsync($"/api/v1/users/{created.UserId}")).JsonAsync();
        Assert.Equal("Inactive", before["activityStatus"]!.GetValue<string>());

        await app.SignInAsync(created.UserId, created.TemporaryPassword);

        var after = await (await admin.GetAsync($"/api/v1/users/{created.UserId}")).JsonAsync();
        Assert.Equal("Active", after["activityStatus"]!.GetValue<string>());
        Assert.NotNull(after["lastLoginAt"]);
    }

    /// <summary>Gives the user a known password (reset, then changed by the user) and returns it.</summary>
    private static async Task<string> ResetAndChangeAsync(BankApp app, HttpClient admin, string userId)
    {
        var reset = await admin.PostAsync($"/api/v1/users/{userId}/reset-password", null);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var temporary = (await reset.JsonAsync())["temporaryPassword"]!.GetValue<string>();
        return (await app.FirstSignInAsync(userId, temporary)).Password;
    }
}


/// <summary>The per-IP sign-in limit answers 429 with Retry-After.</summary>
public sealed class SignInRateLimitTests(SignInRateLimitTests.LimitedApps apps) : IClassFixture<SignInRateLimitTests.LimitedApps>
{
    [Theory, DatabaseData]
    public async Task Too_many_sign_in_attempts_from_one_address_get_429_with_retry_after(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var anonymous = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            var response = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = "99999999999", password = "Whatever-123456" });
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var limited = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = "99999999999", password = "Whatever-123456" });
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString()) is > 0 and <= 60);
    }

    /// <summary>Apps that allow three sign-in attempts a minute per address.</summary>
    public sealed class LimitedApps() : BankApps<BankApp>(provider =>
        new BankApp(provider, new Dictionary<string, string> { ["Security:SignInAttemptsPerMinutePerIp"] = "3" }));
}
