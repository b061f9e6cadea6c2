using System.Net.Http.Headers;
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
        using var api = new HttpClient { BaseAddress = new Uri(app.Url) };
        var root = await BrowserApp.SignInApiAsync(api, BankApp.SuperAdminId, BankApp.BootstrapPassword, BankApp.SuperAdminPassword);
        var (adminId, adminPassword, _) = await BrowserApp.NewUserAsync(api, root, "Admin");
        var (ashaId, ashaPassword, _) = await BrowserApp.NewCustomerAsync(api, root);
        var (raviId, raviPassword, raviAccount) = await BrowserApp.NewCustomerAsync(api, root);
        var asha = await BrowserApp.SignInApiAsync(api, ashaId, ashaPassword, ashaPassword + "2");
        await MoveAsync(api, asha, new { type = "credit", amount = 2_500m });

        // Ravi lands on his dashboard and keeps it open.
        await using var raviContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var ravi = await raviContext.NewPageAsync();
        await BrowserApp.SignInAsync(ravi, raviId, raviPassword);
        Assert.EndsWith("/", ravi.Url, StringComparison.Ordinal);
        await ravi.Locator("#live-balance[data-live='connected']").WaitForAsync();
        Assert.Equal("₹0.00", await ravi.Locator("#balance").InnerTextAsync());
        Assert.Equal("0", await ravi.Locator("#month-count").InnerTextAsync());
        await AssertPictureAsync(ravi, "img[src='/api/v1/charts/transactions']");
        await app.ShotAsync(ravi, "dashboard-01-customer-before");

        // Asha pays Ravi: his open page shows it without a reload.
        await ravi.EvaluateAsync("window.notReloaded = true");
        await MoveAsync(api, asha, new { type = "transfer", amount = 1_234.50m, toAccountNumber = raviAccount, narration = "rent share" });
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
        await BrowserApp.SignInAsync(admin, adminId, adminPassword);
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

    /// <summary>The picture loaded (the browser decoded a PNG of the expected width).</summary>
    private static async Task AssertPictureAsync(IPage page, string selector, int expectedWidth = 1200)
    {
        var image = page.Locator(selector);
        await image.ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("s => { const i = document.querySelector(s); return i && i.complete && i.naturalWidth > 0; }", selector);
        Assert.Equal(expectedWidth, await image.EvaluateAsync<int>("i => i.naturalWidth"));
    }

    private static async Task MoveAsync(HttpClient api, string token, object order)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/transactions") { Content = JsonContent.Create(order) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await api.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
