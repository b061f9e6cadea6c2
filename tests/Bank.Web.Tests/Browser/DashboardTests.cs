using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// The dashboards in a real browser, at a desktop's width and a phone's: a customer lands on theirs, chart included, and
/// its balance and month figures move when another customer pays them; an Admin lands on the bank's, charts included.
/// </summary>
public sealed class DashboardTests(BrowserApps apps) : IClassFixture<BrowserApps>
{
    [Theory, DatabaseData]
    public async Task A_customer_and_an_admin_see_their_dashboards_with_charts_and_the_customers_balance_moves_live(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var (_, adminId) = await app.ActiveUserAsync(root, "Admin");
        var asha = await app.NewAsync(root);
        var (_, raviId, raviAccount) = await app.NewAsync(root);
        await asha.DepositAsync(2_500m);

        // Ravi lands on his dashboard and keeps it open.
        await using var raviContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var ravi = await raviContext.NewPageAsync();
        await BrowserApp.SignInAsync(ravi, raviId, app.LastPasswords[raviId]);
        Assert.EndsWith("/", ravi.Url, StringComparison.Ordinal);
        await ravi.Locator("#live-balance[data-live='connected']").WaitForAsync();
        Assert.Equal("₹0.00", await ravi.Locator("#balance").InnerTextAsync());
        Assert.Equal("0", await ravi.Locator("#month-count").InnerTextAsync());
        await AssertPictureAsync(ravi, "img[src='/api/v1/charts/transactions']");
        await app.ShotAsync(ravi, "dashboard-01-customer-before");

        // Asha pays Ravi: his open page shows it without a reload.
        await ravi.EvaluateAsync("window.notReloaded = true");
        var transfer = await asha.Client.PostAsJsonAsync("/api/v1/transactions", new { type = "transfer", amount = 1_234.50m, toAccountNumber = raviAccount, narration = "rent share" });
        Assert.True(transfer.StatusCode == HttpStatusCode.Created, await transfer.Content.ReadAsStringAsync());
        await ravi.Locator("#balance", new() { HasText = "₹1,234.50" }).WaitForAsync();
        Assert.Equal("1", await ravi.Locator("#month-count").InnerTextAsync());
        Assert.Equal(1, await ravi.Locator("#recent tbody tr").CountAsync());
        Assert.True(await ravi.EvaluateAsync<bool>("window.notReloaded === true"), "The page was not reloaded.");
        await app.ShotAsync(ravi, "dashboard-02-customer-paid-live");

        // After a reload the chart has the transfer too; a phone gets the narrow chart.
        await ravi.SetViewportSizeAsync(390, 844);
        await ravi.ReloadAsync();
        await AssertPictureAsync(ravi, "img[src='/api/v1/charts/transactions']", expectedWidth: 720);
        await app.ShotAsync(ravi, "dashboard-03-customer-phone");

        // An Admin lands on the bank's dashboard: figures, the total of balances, both charts.
        await using var adminContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var admin = await adminContext.NewPageAsync();
        await BrowserApp.SignInAsync(admin, adminId, app.LastPasswords[adminId]);
        Assert.EndsWith("/", admin.Url, StringComparison.Ordinal);
        Assert.Equal("₹2,500.00", await admin.Locator("[data-figure='total-balance'] strong").InnerTextAsync());
        Assert.Contains("2 transactions", await admin.Locator("[data-figure='today']").InnerTextAsync(), StringComparison.Ordinal);
        await AssertPictureAsync(admin, "img[src='/api/v1/charts/daily-flows']");
        await AssertPictureAsync(admin, "img[src='/api/v1/charts/daily-sign-ins']");
        await app.ShotAsync(admin, "dashboard-04-admin");
        await admin.SetViewportSizeAsync(390, 844);
        await admin.ReloadAsync();
        await AssertPictureAsync(admin, "img[src='/api/v1/charts/daily-flows']", expectedWidth: 720);
        await app.ShotAsync(admin, "dashboard-05-admin-phone");
    }

    [Fact]
    public async Task The_super_admin_reads_the_monthly_sign_ins_sorts_them_and_both_insight_pages_pass_axe()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var root = await app.SuperAdminAsync();
        await app.ActiveUserAsync(root, "Employee");
        var (_, customerId, _) = await app.NewAsync(root);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId = customerId, password = "Not-the-password-1" })).StatusCode);

        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(page);

        // From the dashboard to the report through the menu: this month's totals and a row per user who tried.
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Reports" }));
        Assert.EndsWith("/Reports/MonthlyLogins", page.Url, StringComparison.Ordinal);
        Assert.Equal("Monthly sign-ins", await page.Locator("h1").InnerTextAsync());
        var row = page.Locator("#monthly-logins tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = customerId, Exact = true }) });
        Assert.Equal("1", await row.Locator("td").Nth(4).InnerTextAsync());
        Assert.True(await page.Locator("#monthly-logins tbody tr").CountAsync() >= 3);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "reports-01-monthly-sign-ins");

        // A column heading sorts by it, first ascending, then descending; the heading says which.
        var heading = page.Locator("#monthly-logins th", new() { HasText = "Sign-ins" });
        foreach (var order in new[] { "ascending", "descending" })
        {
            await BrowserApp.ClickAndLoadAsync(heading.GetByRole(AriaRole.Link));
            Assert.Equal(order, await heading.GetAttributeAsync("aria-sort"));
            var counts = (await page.Locator("#monthly-logins tbody tr td:nth-child(4)").AllInnerTextsAsync()).Select(int.Parse).ToList();
            Assert.Equal(order == "ascending" ? counts.Order() : counts.OrderDescending(), counts);
        }

        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "reports-02-monthly-sign-ins-phone");
    }

    /// <summary>The picture loaded (the browser decoded a PNG of the expected width).</summary>
    private static async Task AssertPictureAsync(IPage page, string selector, int expectedWidth = 1200)
    {
        var image = page.Locator(selector);
        await image.ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }", selector);
        Assert.Equal(expectedWidth, await image.EvaluateAsync<int>("i => i.naturalWidth"));
    }

    [Fact]
    public async Task The_super_admin_reads_and_filters_the_audit_trail_on_desktop_and_phone()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var root = await app.SuperAdminAsync();
        var (_, customerId, _) = await app.NewAsync(root);
        Assert.Equal(HttpStatusCode.OK, (await root.PatchJsonAsync($"/api/v1/users/{customerId}", new { status = "Suspended" })).StatusCode);

        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Audit" }));
        Assert.Equal("Audit trail", await page.Locator("h1").InnerTextAsync());
        Assert.True(await page.Locator("#audit tbody tr").CountAsync() >= 3);

        await page.GetByLabel("About (User ID)").FillAsync(customerId);
        await page.GetByLabel("Action").SelectOptionAsync("user.status-changed");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply" }));
        var rows = page.Locator("#audit tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Contains($"Asha Verma ({customerId})", await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Suspended", await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "audit-01-filtered");

        // A mistake in a filter is named beside its field, and the page stays usable.
        await page.GotoAsync("/Audit?actor=abc");
        Assert.Contains("digits only", await page.GetByRole(AriaRole.Search).InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/Audit");
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await BrowserApp.AssertAccessibleAsync(page);
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "The page scrolls sideways on a phone; only the table should.");
        await app.ShotAsync(page, "audit-02-phone");
    }
}
