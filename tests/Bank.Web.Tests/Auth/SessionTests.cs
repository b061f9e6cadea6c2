using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Web.Tests.Auth;

/// <summary>Sessions kept in the database: sign-out, revocation on password/status/role change, the one-time-password gate, lifetimes.</summary>
public sealed class SessionTests(ClockApps apps) : IClassFixture<ClockApps>
{
    [Theory, DatabaseData]
    public async Task Sign_out_revokes_the_token(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (client, _) = await app.ActiveUserAsync(await app.SuperAdminAsync(), "Customer");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        await (await client.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, DatabaseData]
    public async Task A_password_change_ends_the_users_other_sessions_but_not_this_one(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var created = await BankApp.CreateUserAsync(admin, "Employee");
        var first = await app.SignInAsync(created.UserId, created.TemporaryPassword);
        var second = await app.SignInAsync(created.UserId, created.TemporaryPassword);
        var newPassword = TestUsers.StrongPassword();

        var change = await first.PostAsJsonAsync("/api/v1/auth/change-password", new { currentPassword = created.TemporaryPassword, newPassword });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/users")).StatusCode);
        await (await second.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId = created.UserId, password = created.TemporaryPassword }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        await app.SignInAsync(created.UserId, newPassword);
    }

    [Theory]
    [DatabaseData("status", "Suspended")]
    [DatabaseData("role", "Customer")]
    public async Task A_status_or_role_change_ends_the_users_sessions_at_once(DatabaseProvider provider, string field, string value)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (client, userId) = await app.ActiveUserAsync(admin, "Employee");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);

        var patch = await admin.PatchJsonAsync($"/api/v1/users/{userId}", new Dictionary<string, string> { [field] = value });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        await (await client.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, DatabaseData]
    public async Task Until_the_one_time_password_is_changed_other_endpoints_answer_403_saying_so(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var created = await BankApp.CreateUserAsync(await app.SuperAdminAsync(), "Admin");
        var client = await app.SignInAsync(created.UserId, created.TemporaryPassword);

        var me = await (await client.GetAsync("/api/v1/auth/me")).JsonAsync();
        Assert.True(me["mustChangePassword"]!.GetValue<bool>());
        Assert.Equal("Admin", me["role"]!.GetValue<string>());
        await (await client.GetAsync("/api/v1/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "password-change-required");
        await (await client.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser("Customer"))).AssertProblemAsync(HttpStatusCode.Forbidden, "password-change-required");
        await (await client.GetAsync("/api/v1/auth/logins")).AssertProblemAsync(HttpStatusCode.Forbidden, "password-change-required");

        var newPassword = TestUsers.StrongPassword();
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/v1/auth/change-password", new { currentPassword = created.TemporaryPassword, newPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);
    }

    [Theory, DatabaseData]
    public async Task Password_changes_need_the_current_password_and_follow_the_policy_and_history(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (client, userId) = await app.ActiveUserAsync(await app.SuperAdminAsync(), "Customer");
        var current = TestUsers.StrongPassword();
        await ChangeOkAsync(client, app.LastPasswords[userId], current);

        async Task<string[]> Fields(string currentPassword, string? newPassword)
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/change-password", new { currentPassword, newPassword });
            return [.. (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields()];
        }

        Assert.Equal(["currentPassword"], await Fields("Wrong-current-1", TestUsers.StrongPassword()));
        Assert.Equal(["newPassword"], await Fields(current, "short1"));
        Assert.Equal(["newPassword"], await Fields(current, "onlylettersinthisone"));
        Assert.Equal(["newPassword"], await Fields(current, "123456789012345"));
        Assert.Equal(["newPassword"], await Fields(current, new string('a', 127) + "12"));
        Assert.Equal(["newPassword"], await Fields(current, "password1234"));
        Assert.Equal(["newPassword"], await Fields(current, current));

        // The last four passwords may not come back; the fifth-last may.
        var history = new List<string> { current };
        for (var i = 0; i < 4; i++)
        {
            var next = TestUsers.StrongPassword();
            await ChangeOkAsync(client, history[^1], next);
            history.Add(next);
        }

        Assert.Equal(["newPassword"], await Fields(history[^1], history[^4]));
        await ChangeOkAsync(client, history[^1], history[0]);
    }

    [Theory, DatabaseData]
    public async Task An_idle_session_ends_after_the_idle_timeout(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (client, _) = await app.ActiveUserAsync(await app.SuperAdminAsync(), "Customer");
        app.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        await (await client.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, DatabaseData]
    public async Task A_busy_session_still_ends_after_the_absolute_lifetime(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var (client, _) = await app.ActiveUserAsync(await app.SuperAdminAsync(), "Customer");
        for (var minutes = 0; minutes < 8 * 60 - 10; minutes += 10)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(10));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await (await client.GetAsync("/api/v1/auth/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static async Task ChangeOkAsync(HttpClient client, string current, string next)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/change-password", new { currentPassword = current, newPassword = next });
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }
}
