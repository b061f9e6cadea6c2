using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Users;

/// <summary>
/// <c>GET /api/v1/users/{id}</c> carries <c>actions</c>, Core's answer on each administrative action for the caller, and the
/// action endpoints then do what it said: an allowed action succeeds, and a refused one is refused, with the answer's
/// reason as the problem's detail where Core refuses it.
/// </summary>
public sealed class UserActionsApiTests(BankApps apps) : IClassFixture<BankApps>
{
    private static readonly string[] Names =
        ["changeRole", "changeStatus", "resetPassword", "unlock", "resetTwoFactor", "freezeAccount", "unfreezeAccount", "closeAccount"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_super_admin_on_a_customer_with_money_gets_the_answer_the_endpoints_then_give(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);
        await customer.DepositAsync(10m);
        var user = $"/api/v1/users/{customer.UserId}";
        var account = $"/api/v1/accounts/{customer.AccountNumber}";

        var details = await (await admin.GetAsync(user, Ct)).JsonAsync();
        var actions = details["actions"]!.AsObject();
        Assert.Equal(Names, actions.Select(a => a.Key));
        Assert.Equal(customer.AccountNumber, details["account"]!["accountNumber"]!.GetValue<string>());
        // An allowed action's answer is {"allowed": true} alone.
        Assert.Equal("""{"allowed":true}""", actions["resetPassword"]!.ToJsonString());

        // Refused until the account is emptied and closed: the endpoints refuse in the answer's words.
        Assert.Equal("An account can be closed only at zero balance; this one holds ₹10.00.", Reason(actions, "closeAccount"));
        var close = await admin.PatchJsonAsync(account, new { status = "Closed" });
        Assert.Equal(Reason(actions, "closeAccount"), (await close.AssertProblemAsync(HttpStatusCode.Conflict, "account-not-empty"))["detail"]!.GetValue<string>());
        Assert.Equal("This customer's account is still open: close it first (at zero balance), then change the role.", Reason(actions, "changeRole"));
        var staff = await admin.PatchJsonAsync(user, new { role = "Employee" });
        Assert.Equal(Reason(actions, "changeRole"), (await staff.AssertProblemAsync(HttpStatusCode.Conflict, "conflict"))["detail"]!.GetValue<string>());
        Assert.Equal("The account is not frozen.", Reason(actions, "unfreezeAccount"));

        // Allowed: each succeeds.
        Assert.True(Allowed(actions, "freezeAccount"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync(account, new { status = "Frozen" })).StatusCode);
        actions = await ActionsAsync(admin, customer.UserId);
        Assert.Equal("The account is already frozen.", Reason(actions, "freezeAccount"));
        Assert.True(Allowed(actions, "unfreezeAccount"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync(account, new { status = "Active" })).StatusCode);
        Assert.True(Allowed(actions, "resetPassword"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"{user}/reset-password", null, Ct)).StatusCode);
        Assert.True(Allowed(actions, "changeStatus"));
        Assert.Equal("Suspended", (await (await admin.PatchJsonAsync(user, new { status = "Suspended" })).JsonAsync())["status"]!.GetValue<string>());

        // Nothing to do: not allowed, and the endpoints, which do not refuse it, say so (as they always have).
        Assert.Equal("This user is not locked.", Reason(actions, "unlock"));
        Assert.False((await (await admin.PostAsync($"{user}/unlock", null, Ct)).JsonAsync())["wasLocked"]!.GetValue<bool>());
        Assert.Equal("This user has no second factor.", Reason(actions, "resetTwoFactor"));
    }

    [Theory, DatabaseData]
    public async Task An_admin_on_another_admin_or_on_themselves_is_allowed_nothing_and_refused_in_the_same_words(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var superAdmin = await app.SuperAdminAsync();
        var (admin, adminId) = await app.ActiveUserAsync(superAdmin, "Admin");
        var other = await BankApp.CreateUserAsync(superAdmin, "Admin");

        foreach (var target in new[] { other.UserId, adminId })
        {
            var user = $"/api/v1/users/{target}";
            var actions = await ActionsAsync(admin, target);

            Assert.All(Names, name => Assert.False(Allowed(actions, name)));
            Assert.Equal("You may not change this user's role or status.", Reason(actions, "changeStatus"));
            Assert.Equal("This user has no account.", Reason(actions, "closeAccount"));
            await AssertForbiddenAsync(await admin.PatchJsonAsync(user, new { status = "Suspended" }), Reason(actions, "changeStatus"));
            await AssertForbiddenAsync(await admin.PatchJsonAsync(user, new { role = "Employee" }), Reason(actions, "changeRole"));
            await AssertForbiddenAsync(await admin.PostAsync($"{user}/reset-password", null, Ct), Reason(actions, "resetPassword"));
            await AssertForbiddenAsync(await admin.PostAsync($"{user}/unlock", null, Ct), Reason(actions, "unlock"));
            await AssertForbiddenAsync(await admin.DeleteAsync($"{user}/two-factor", Ct), Reason(actions, "resetTwoFactor"));
        }

        Assert.Equal("Active", (await (await superAdmin.GetAsync($"/api/v1/users/{other.UserId}", Ct)).JsonAsync())["status"]!.GetValue<string>());
    }

    [Theory, DatabaseData]
    public async Task An_employee_on_a_customer_is_allowed_nothing_and_refused_everything(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var superAdmin = await app.SuperAdminAsync();
        var (employee, _) = await app.ActiveUserAsync(superAdmin, "Employee");
        var customer = await app.NewAsync(superAdmin);
        var user = $"/api/v1/users/{customer.UserId}";

        var actions = await ActionsAsync(employee, customer.UserId);

        Assert.All(Names, name => Assert.False(Allowed(actions, name)));
        Assert.Equal("You may not reset this user's password.", Reason(actions, "resetPassword"));
        Assert.Equal("Only administrators can freeze, unfreeze or close accounts.", Reason(actions, "freezeAccount"));
        // The administrators' endpoints turn an Employee away at the door (403), before Core is asked.
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.PatchJsonAsync(user, new { status = "Suspended" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.PostAsync($"{user}/reset-password", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.PostAsync($"{user}/unlock", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await employee.PatchJsonAsync($"/api/v1/accounts/{customer.AccountNumber}", new { status = "Frozen" })).StatusCode);
        var stored = await (await superAdmin.GetAsync(user, Ct)).JsonAsync();
        Assert.Equal(("Active", "Active"), (stored["status"]!.GetValue<string>(), stored["account"]!["status"]!.GetValue<string>()));
    }

    [Theory, DatabaseData]
    public async Task Unlock_is_allowed_while_the_user_is_locked_and_then_succeeds(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, employeeId) = await app.ActiveUserAsync(admin, "Employee");
        for (var i = 0; i < 5; i++)
        {
            await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId = employeeId, password = "Not-the-password-1" }, Ct);
        }

        Assert.True(Allowed(await ActionsAsync(admin, employeeId), "unlock"));
        Assert.True((await (await admin.PostAsync($"/api/v1/users/{employeeId}/unlock", null, Ct)).JsonAsync())["wasLocked"]!.GetValue<bool>());
        Assert.Equal("This user is not locked.", Reason(await ActionsAsync(admin, employeeId), "unlock"));
    }

    private static async Task<JsonObject> ActionsAsync(HttpClient viewer, string userId)
    {
        var response = await viewer.GetAsync($"/api/v1/users/{userId}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())["actions"]!.AsObject();
    }

    private static bool Allowed(JsonObject actions, string name) => actions[name]!["allowed"]!.GetValue<bool>();

    /// <summary>The reason of a refused action (and that it is refused).</summary>
    private static string Reason(JsonObject actions, string name)
    {
        Assert.False(Allowed(actions, name), $"{name} is allowed.");
        return actions[name]!["reason"]!.GetValue<string>();
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response, string reason) =>
        Assert.Equal(reason, (await response.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden"))["detail"]!.GetValue<string>());
}
