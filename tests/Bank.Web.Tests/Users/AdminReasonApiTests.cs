using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Users;

/// <summary>
/// The optional <c>reason</c> of the administrators' actions through the API: it lands in the action's audit entry, is
/// bounded, and a refusal (a Customer with an open account made staff) changes nothing and records nothing.
/// </summary>
public sealed class AdminReasonApiTests(BankApps apps) : IClassFixture<BankApps>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task A_role_change_away_from_customer_with_an_open_account_is_409_and_the_reason_lands_in_the_audit_entry(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);

        var refused = await admin.PatchJsonAsync($"/api/v1/users/{customer.UserId}", new { role = "Employee", reason = "Joins the branch team" });
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Contains("account is still open", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await AuditAsync(admin, customer.UserId, "user.role-changed"));

        var closed = await admin.PatchJsonAsync($"/api/v1/accounts/{customer.AccountNumber}", new { status = "Closed", reason = "Customer asked to close" });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.EndsWith("Active -> Closed; reason: Customer asked to close", Assert.Single(await AuditAsync(admin, customer.UserId, "account.status-changed")), StringComparison.Ordinal);

        var changed = await admin.PatchJsonAsync($"/api/v1/users/{customer.UserId}", new { role = "Employee", reason = "  Joins the\nbranch team " });
        Assert.Equal("Employee", (await changed.JsonAsync())["role"]!.GetValue<string>());
        Assert.Equal("Customer -> Employee; reason: Joins the branch team", Assert.Single(await AuditAsync(admin, customer.UserId, "user.role-changed")));
    }

    [Theory, DatabaseData]
    public async Task A_password_reset_takes_an_optional_reason_and_a_too_long_one_changes_nothing(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, employeeId) = await app.ActiveUserAsync(admin, "Employee");

        // Without a body, as before.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/users/{employeeId}/reset-password", null, Ct)).StatusCode);
        Assert.Equal("", Assert.Single(await AuditAsync(admin, employeeId, "user.password-reset")));

        var tooLong = await admin.PostAsJsonAsync($"/api/v1/users/{employeeId}/reset-password", new { reason = new string('x', 201) }, Ct);
        Assert.Contains("reason", (await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        var unknown = await admin.PostAsJsonAsync($"/api/v1/users/{employeeId}/reset-password", new { why = "x" }, Ct);
        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest);
        var tooLongChange = await admin.PatchJsonAsync($"/api/v1/users/{employeeId}", new { status = "Suspended", reason = new string('x', 201) });
        Assert.Contains("reason", (await tooLongChange.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Single(await AuditAsync(admin, employeeId, "user.password-reset"));
        Assert.Empty(await AuditAsync(admin, employeeId, "user.status-changed"));

        var reset = await admin.PostAsJsonAsync($"/api/v1/users/{employeeId}/reset-password", new { reason = "Forgot it on leave" }, Ct);
        var temporary = (await reset.JsonAsync())["temporaryPassword"]!.GetValue<string>();
        Assert.Equal("reason: Forgot it on leave", (await AuditAsync(admin, employeeId, "user.password-reset"))[0]);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId = employeeId, password = temporary }, Ct)).StatusCode);

        var unlocked = await admin.PostAsJsonAsync($"/api/v1/users/{employeeId}/unlock", new { reason = "Called the branch" }, Ct);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        Assert.Equal("was not locked; reason: Called the branch", Assert.Single(await AuditAsync(admin, employeeId, "user.unlocked")));
    }

    /// <summary>The details of the audit entries about <paramref name="userId"/> with <paramref name="action"/>, newest first.</summary>
    private static async Task<List<string>> AuditAsync(HttpClient api, string userId, string action)
    {
        var page = await (await api.GetAsync($"/api/v1/audit?target={userId}&action={action}", Ct)).JsonAsync();
        return page["items"]!.AsArray().Select(i => i!["details"]?.GetValue<string>() ?? "").ToList();
    }
}
