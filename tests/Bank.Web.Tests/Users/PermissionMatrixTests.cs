using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Users;

/// <summary>Every cell of the SPEC §1 matrix for the user endpoints, enforced by the server.</summary>
public sealed class PermissionMatrixTests(BankApps apps) : IClassFixture<BankApps>
{
    public static TheoryData<string, string, HttpStatusCode> CreateCells => new()
    {
        { "Super_Admin", "Super_Admin", HttpStatusCode.Created },
        { "Super_Admin", "Admin", HttpStatusCode.Created },
        { "Super_Admin", "Employee", HttpStatusCode.Created },
        { "Super_Admin", "Customer", HttpStatusCode.Created },
        { "Admin", "Super_Admin", HttpStatusCode.Forbidden },
        { "Admin", "Admin", HttpStatusCode.Forbidden },
        { "Admin", "Employee", HttpStatusCode.Created },
        { "Admin", "Customer", HttpStatusCode.Created },
        { "Employee", "Employee", HttpStatusCode.Forbidden },
        { "Employee", "Customer", HttpStatusCode.Forbidden },
        { "Customer", "Customer", HttpStatusCode.Forbidden },
    };

    [Theory]
    [DatabaseData(MemberName = nameof(CreateCells))]
    public async Task Create_user(DatabaseProvider provider, string actorRole, string targetRole, HttpStatusCode expected)
    {
        var app = await apps.ForAsync(provider);
        var actor = await ActorAsync(app, actorRole);
        var response = await actor.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser(targetRole));
        Assert.Equal(expected, response.StatusCode);
    }

    public static TheoryData<string, HttpStatusCode> ReadCells => new()
    {
        { "Super_Admin", HttpStatusCode.OK },
        { "Admin", HttpStatusCode.OK },
        { "Employee", HttpStatusCode.OK },
        { "Customer", HttpStatusCode.Forbidden },
    };

    [Theory]
    [DatabaseData(MemberName = nameof(ReadCells))]
    public async Task List_and_read_users(DatabaseProvider provider, string actorRole, HttpStatusCode expected)
    {
        var app = await apps.ForAsync(provider);
        var actor = await ActorAsync(app, actorRole);
        var target = await BankApp.CreateUserAsync(await app.SuperAdminAsync(), "Customer");
        Assert.Equal(expected, (await actor.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(expected, (await actor.GetAsync($"/api/v1/users/{target.UserId}")).StatusCode);
    }

    public static TheoryData<string, HttpStatusCode> LoginHistoryCells => new()
    {
        { "Super_Admin", HttpStatusCode.OK },
        { "Admin", HttpStatusCode.OK },
        { "Employee", HttpStatusCode.Forbidden },
        { "Customer", HttpStatusCode.Forbidden },
    };

    [Theory]
    [DatabaseData(MemberName = nameof(LoginHistoryCells))]
    public async Task Read_another_users_login_history(DatabaseProvider provider, string actorRole, HttpStatusCode expected)
    {
        var app = await apps.ForAsync(provider);
        var actor = await ActorAsync(app, actorRole);
        var target = await BankApp.CreateUserAsync(await app.SuperAdminAsync(), "Customer");
        Assert.Equal(expected, (await actor.GetAsync($"/api/v1/users/{target.UserId}/logins")).StatusCode);
    }

    public static TheoryData<string, string, bool> ManageCells => new()
    {
        { "Super_Admin", "Super_Admin", true },
        { "Super_Admin", "Admin", true },
        { "Super_Admin", "Employee", true },
        { "Super_Admin", "Customer", true },
        { "Admin", "Super_Admin", false },
        { "Admin", "Admin", false },
        { "Admin", "Employee", true },
        { "Admin", "Customer", true },
        { "Employee", "Employee", false },
        { "Employee", "Customer", false },
        { "Customer", "Customer", false },
    };

    [Theory]
    [DatabaseData(MemberName = nameof(ManageCells))]
    public async Task Change_status_reset_password_and_unlock(DatabaseProvider provider, string actorRole, string targetRole, bool allowed)
    {
        var app = await apps.ForAsync(provider);
        var actor = await ActorAsync(app, actorRole);
        var target = await BankApp.CreateUserAsync(await app.SuperAdminAsync(), targetRole);
        var expected = allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden;

        Assert.Equal(expected, (await actor.PatchJsonAsync($"/api/v1/users/{target.UserId}", new { status = "Inactive" })).StatusCode);
        Assert.Equal(expected, (await actor.PostAsync($"/api/v1/users/{target.UserId}/reset-password", null)).StatusCode);
        Assert.Equal(expected, (await actor.PostAsync($"/api/v1/users/{target.UserId}/unlock", null)).StatusCode);

        var stored = await (await (await app.SuperAdminAsync()).GetAsync($"/api/v1/users/{target.UserId}")).JsonAsync();
        Assert.Equal(allowed ? "Inactive" : "Active", stored["status"]!.GetValue<string>());
    }

    [Theory]
    [DatabaseData("Admin", "Employee", "Admin")]
    [DatabaseData("Admin", "Customer", "Super_Admin")]
    public async Task An_admin_cannot_promote_beyond_their_reach(DatabaseProvider provider, string actorRole, string targetRole, string newRole)
    {
        var app = await apps.ForAsync(provider);
        var actor = await ActorAsync(app, actorRole);
        var target = await BankApp.CreateUserAsync(await app.SuperAdminAsync(), targetRole);
        var response = await actor.PatchJsonAsync($"/api/v1/users/{target.UserId}", new { role = newRole });
        await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [DatabaseData("Super_Admin")]
    [DatabaseData("Admin")]
    public async Task Nobody_changes_their_own_role_status_or_resets_their_own_password(DatabaseProvider provider, string role)
    {
        var app = await apps.ForAsync(provider);
        var (client, userId) = role == "Super_Admin"
            ? (await app.SuperAdminAsync(), BankApp.SuperAdminId)
            : await app.ActiveUserAsync(await app.SuperAdminAsync(), role);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchJsonAsync($"/api/v1/users/{userId}", new { role = "Customer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/users/{userId}/reset-password", null)).StatusCode);
    }

    [Theory, DatabaseData]
    public async Task Anonymous_requests_get_401_problem_details(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var anonymous = app.CreateClient();
        foreach (var url in new[] { "/api/v1/users", $"/api/v1/users/{BankApp.SuperAdminId}", "/api/v1/auth/me", "/api/v1/reference/states" })
        {
            await (await anonymous.GetAsync(url)).AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        await (await anonymous.PostAsJsonAsync("/api/v1/users", TestUsers.NewUser("Customer"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, DatabaseData]
    public async Task Unknown_users_are_404_for_staff(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        await (await admin.GetAsync("/api/v1/users/99999999999")).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        await (await admin.PatchJsonAsync("/api/v1/users/99999999999", new { status = "Active" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/users/not-a-number")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<HttpClient> ActorAsync(BankApp app, string role) =>
        role == "Super_Admin" ? await app.SuperAdminAsync() : (await app.ActiveUserAsync(await app.SuperAdminAsync(), role)).Client;
}

