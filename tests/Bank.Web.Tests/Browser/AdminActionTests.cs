using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// The staff's administrative actions in a real browser: each asks for a confirmation (a GET page that says what will
/// happen, with an optional reason) before anything changes; Cancel changes nothing; a success redirects to a page that
/// shows the result once; a refusal shows next to the control that was used; the reason lands in the audit trail.
/// </summary>
public sealed partial class AdminActionTests(BrowserApps apps) : IClassFixture<BrowserApps>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Close_and_role_change_ask_first_refuse_next_to_the_control_and_keep_the_reason()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var api = await app.SuperAdminAsync();
        var customer = await app.NewAsync(api);
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await page.GotoAsync($"/Users/Details/{customer.UserId}");
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-01-details");

        // Role change away from Customer: a confirmation first, then the Core's refusal next to the role control.
        await page.GetByLabel("Role").SelectOptionAsync("Employee");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Change role or status" }));
        Assert.Contains("confirm=change", page.Url, StringComparison.Ordinal);
        Assert.Contains("Change the role of", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Customer → Employee", await page.Locator(".facts").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("still open", await page.Locator(".consequences").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Customer", await RoleAsync(api, customer.UserId));
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-02-confirm-role");
        await page.GetByLabel("Reason (optional)").FillAsync("Joins the branch team");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, change the role" }));
        Assert.Contains("still open", await page.Locator("#err-manage-role").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("err-manage-role", await page.Locator("#NewRole").GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>(
            "() => document.activeElement.matches('[data-error-summary]') && document.activeElement.closest('form').querySelector('#NewRole') !== null"));
        Assert.Equal("Customer", await RoleAsync(api, customer.UserId));
        Assert.Empty(await AuditAsync(api, customer.UserId, "user.role-changed"));
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-03-role-refused");

        // Close: a confirmation that says it is for good; Cancel changes nothing.
        await page.GotoAsync($"/Users/Details/{customer.UserId}");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Close account" }));
        Assert.Contains("cannot be undone", await page.Locator(".consequences").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Active", await AccountStatusAsync(api, customer.UserId));
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-04-confirm-close");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Link, new() { Name = "Cancel" }));
        Assert.EndsWith($"/Users/Details/{customer.UserId}", page.Url, StringComparison.Ordinal);
        Assert.Equal("Active", await AccountStatusAsync(api, customer.UserId));
        Assert.Empty(await AuditAsync(api, customer.UserId, "account.status-changed"));

        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Close account" }));
        await page.GetByLabel("Reason (optional)").FillAsync("Customer asked to close");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, close the account for good" }));
        Assert.EndsWith($"/Users/Details/{customer.UserId}", page.Url, StringComparison.Ordinal);
        Assert.Contains("now Closed", await page.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Closed", await AccountStatusAsync(api, customer.UserId));
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Close account" }).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Freeze account" }).CountAsync());
        var closed = Assert.Single(await AuditAsync(api, customer.UserId, "account.status-changed"));
        Assert.EndsWith("Active -> Closed; reason: Customer asked to close", closed, StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-05-closed");
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator(".alert-success").CountAsync());

        // Now the role change goes through, with its reason in the audit trail.
        await page.GetByLabel("Role").SelectOptionAsync("Employee");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Change role or status" }));
        Assert.Equal("Customer", await RoleAsync(api, customer.UserId));
        await page.GetByLabel("Reason (optional)").FillAsync("Joins the branch team");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, change the role" }));
        Assert.Contains("is now Employee", await page.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Employee", await RoleAsync(api, customer.UserId));
        Assert.Equal("Customer -> Employee; reason: Joins the branch team", Assert.Single(await AuditAsync(api, customer.UserId, "user.role-changed")));
    }

    [Fact]
    public async Task A_password_reset_is_confirmed_shown_once_and_a_reload_issues_no_new_one()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var api = await app.SuperAdminAsync();
        var (_, employeeId) = await app.ActiveUserAsync(api, "Employee");
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await page.GotoAsync($"/Users/Details/{employeeId}");
        Assert.Equal("Sign-in: Not locked", (await page.Locator("#lock-state").InnerTextAsync()).Trim());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Unlock sign-in" }).CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Reset second factor" }).CountAsync());

        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Reset password" }));
        Assert.Contains("Reset the password of", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(await AuditAsync(api, employeeId, "user.password-reset"));

        await page.GetByLabel("Reason (optional)").FillAsync("Forgot it on leave");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, reset the password" }));
        Assert.EndsWith($"/Users/Details/{employeeId}", page.Url, StringComparison.Ordinal);
        var temporary = (await page.Locator("#reset-password").InnerTextAsync()).Trim();
        Assert.DoesNotContain(temporary, page.Url, StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-07-password-reset");

        // Reload and back: the pages are asked again with GET (the POST's history entry was replaced by the 303), show no
        // password, and issue none.
        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("#reset-password").CountAsync());
        await page.GoBackAsync();
        Assert.Contains("confirm=reset-password", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#reset-password").CountAsync());
        await page.ReloadAsync();
        Assert.Equal("reason: Forgot it on leave", Assert.Single(await AuditAsync(api, employeeId, "user.password-reset")));

        // A reason longer than allowed (the browser's maxlength removed) comes back as a field error; nothing is reset.
        await page.EvalOnSelectorAsync("#Reason", "e => e.removeAttribute('maxlength')");
        await page.GetByLabel("Reason (optional)").FillAsync(new string('x', 201));
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, reset the password" }));
        Assert.Contains("at most 200 characters", await page.Locator("#err-reason").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("true", await page.Locator("#Reason").GetAttributeAsync("aria-invalid"));
        Assert.Single(await AuditAsync(api, employeeId, "user.password-reset"));
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-06-reason-too-long");

        var login = await Login(app, employeeId, temporary);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True((await login.JsonAsync())["mustChangePassword"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Unlock_is_offered_only_while_the_user_is_locked()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var api = await app.SuperAdminAsync();
        var (_, employeeId) = await app.ActiveUserAsync(api, "Employee");
        for (var i = 0; i < 5; i++)
        {
            await Login(app, employeeId, "Not-the-password-1");
        }

        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await page.GotoAsync($"/Users/Details/{employeeId}");
        Assert.StartsWith("Sign-in: Locked until", (await page.Locator("#lock-state").InnerTextAsync()).Trim(), StringComparison.Ordinal);
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Unlock sign-in" }));
        Assert.Contains("Unlock sign-in for", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, unlock" }));
        Assert.Contains("Unlocked", await page.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Unlock sign-in" }).CountAsync());
        Assert.Equal(HttpStatusCode.OK, (await Login(app, employeeId, app.LastPasswords[employeeId])).StatusCode);

        // A confirmation asked for by hand when the action does not apply says so next to its control.
        await page.GotoAsync($"/Users/Details/{employeeId}?confirm=unlock");
        Assert.Contains("not locked", await page.Locator("#err-access-access").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Yes, unlock" }).CountAsync());
    }

    [Fact]
    public async Task On_a_phone_freeze_and_unfreeze_ask_first_and_fit_the_screen()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var api = await app.SuperAdminAsync();
        var customer = await app.NewAsync(api);
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Url,
            Locale = "en-IN",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await page.GotoAsync($"/Users/Details/{customer.UserId}");
        await AssertFitsAsync(page);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Unfreeze account" }).CountAsync());
        await app.ShotAsync(page, "admin-phone-01-details");

        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Freeze account" }));
        Assert.Contains("no money moves in or out", await page.Locator(".consequences").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Active", await AccountStatusAsync(api, customer.UserId));
        await AssertFitsAsync(page);
        await app.ShotAsync(page, "admin-phone-02-confirm-freeze");
        await page.GetByLabel("Reason (optional)").FillAsync("Suspected fraud, call from the customer");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, freeze the account" }));
        Assert.Contains("now Frozen", await page.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Frozen", await AccountStatusAsync(api, customer.UserId));
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Freeze account…", Exact = true }).CountAsync());
        await AssertFitsAsync(page);
        await app.ShotAsync(page, "admin-phone-03-frozen");

        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Unfreeze account" }));
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, unfreeze the account" }));
        Assert.Equal("Active", await AccountStatusAsync(api, customer.UserId));
        var changes = await AuditAsync(api, customer.UserId, "account.status-changed");
        Assert.Equal(2, changes.Count);
        Assert.EndsWith("Frozen -> Active", changes[0], StringComparison.Ordinal);
        Assert.EndsWith("Active -> Frozen; reason: Suspected fraud, call from the customer", changes[1], StringComparison.Ordinal);

        // The role change refusal on a phone too.
        await page.GetByLabel("Role").SelectOptionAsync("Employee");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Change role or status" }));
        await AssertFitsAsync(page);
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, change the role" }));
        Assert.True(await page.Locator("#err-manage-role").IsVisibleAsync());
        await AssertFitsAsync(page);
        await app.ShotAsync(page, "admin-phone-04-role-refused");
    }

    [Fact]
    public async Task Creating_a_user_redirects_and_a_reload_neither_creates_again_nor_shows_the_password()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var api = await app.SuperAdminAsync();
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        var email = $"nisha.{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/Users/Create");
        await page.GetByLabel("First name").FillAsync("Nisha");
        await page.GetByLabel("Last name").FillAsync("Verma");
        await page.GetByLabel("Date of birth").FillAsync("1990-02-11");
        await page.GetByLabel("Gender").SelectOptionAsync("Female");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Phone number", new() { Exact = true }).FillAsync(TestUsers.UniquePhone());
        await page.GetByLabel("State or union territory").SelectOptionAsync("Karnataka");
        await page.Locator("#City option[value='Bengaluru']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByLabel("City").SelectOptionAsync("Bengaluru");
        await page.GetByLabel("Role").SelectOptionAsync("Customer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await page.Locator("#created-password").WaitForAsync();
        var userId = (await page.Locator("#created-user-id").InnerTextAsync()).Trim();
        var password = (await page.Locator("#created-password").InnerTextAsync()).Trim();
        Assert.Matches(CreatedUrl(), page.Url);
        Assert.DoesNotContain(password, page.Url, StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-08-user-created");

        await page.ReloadAsync();
        Assert.Equal(0, await page.Locator("#created-password").CountAsync());
        Assert.Equal(userId, (await page.Locator("#created-user-id").InnerTextAsync()).Trim());
        Assert.True(await page.Locator("#password-gone").IsVisibleAsync());
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "admin-09-user-created-reloaded");
        var found = await (await api.GetAsync($"/api/v1/users?q={Uri.EscapeDataString(email)}", Ct)).JsonAsync();
        Assert.Single(found["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await Login(app, userId, password)).StatusCode);
    }

    private static async Task AssertFitsAsync(IPage page)
    {
        await BrowserApp.AssertAccessibleAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"The page scrolls sideways at 390 px: {page.Url}");
    }

    private static Task<HttpResponseMessage> Login(BankApp app, string userId, string password) =>
        app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId, password }, Ct);

    private static async Task<string> RoleAsync(HttpClient api, string userId) =>
        (await (await api.GetAsync($"/api/v1/users/{userId}", Ct)).JsonAsync())["role"]!.GetValue<string>();

    private static async Task<string> AccountStatusAsync(HttpClient api, string userId) =>
        (await (await api.GetAsync($"/api/v1/users/{userId}", Ct)).JsonAsync())["account"]!["status"]!.GetValue<string>();

    /// <summary>The details of the audit entries about <paramref name="userId"/> with <paramref name="action"/>, newest first.</summary>
    private static async Task<List<string>> AuditAsync(HttpClient api, string userId, string action)
    {
        var page = await (await api.GetAsync($"/api/v1/audit?target={userId}&action={action}", Ct)).JsonAsync();
        return page["items"]!.AsArray().Select(i => i!["details"]?.GetValue<string>() ?? "").ToList();
    }

    [GeneratedRegex(@"/Users/Create\?created=[0-9]+$")]
    private static partial Regex CreatedUrl();
}
