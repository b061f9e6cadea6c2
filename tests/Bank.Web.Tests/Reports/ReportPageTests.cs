using System.Net;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Reports;

/// <summary>The insight pages over HTTP as a browser signs in (session cookie): who may open which (SPEC §1).</summary>
public sealed class ReportPageTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory]
    [DatabaseData("Super_Admin", "/Reports/MonthlyLogins", true)]
    [DatabaseData("Admin", "/Reports/MonthlyLogins", false)]
    [DatabaseData("Employee", "/Reports/MonthlyLogins", false)]
    [DatabaseData("Customer", "/Reports/MonthlyLogins", false)]
    [DatabaseData("Employee", "/Users/Details/56125810021", true)]
    [DatabaseData("Customer", "/Users/Details/56125810021", false)]
    public async Task A_page_opens_only_for_the_roles_that_may_see_it(DatabaseProvider provider, string role, string path, bool allowed)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var userId = role == "Super_Admin" ? BankApp.SuperAdminId : (await app.ActiveUserAsync(root, role)).UserId;
        var password = role == "Super_Admin" ? BankApp.SuperAdminPassword : app.LastPasswords[userId];
        var browser = new CookieClient(app);
        await browser.SignInAsync(userId, password);

        var page = await browser.Client.GetAsync(path);

        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        else
        {
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith("/Account/AccessDenied", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Theory, DatabaseData]
    public async Task The_monthly_page_shows_the_months_rows_sorted_and_each_user_lands_on_their_dashboard(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var (_, employeeId) = await app.ActiveUserAsync(root, "Employee");
        var customer = await app.NewAsync(root);
        var browser = new CookieClient(app);
        await browser.SignInAsync(BankApp.SuperAdminId, BankApp.SuperAdminPassword);

        var html = await browser.Client.GetStringAsync("/Reports/MonthlyLogins?sort=-signIns");
        Assert.Contains("id=\"monthly-logins\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Users/Details/{employeeId}\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-sort=\"descending\"", html, StringComparison.Ordinal);
        var bad = await browser.Client.GetAsync("/Reports/MonthlyLogins?month=13-2026");
        Assert.Contains("Must be a month written YYYY-MM", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var dashboard = await browser.Client.GetStringAsync("/");
        Assert.Contains("data-figure=\"total-balance\"", dashboard, StringComparison.Ordinal);
        var own = new CookieClient(app);
        await own.SignInAsync(customer.UserId, app.LastPasswords[customer.UserId]);
        var customerDashboard = await own.Client.GetStringAsync("/");
        Assert.Contains(customer.AccountNumber, customerDashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("data-figure=\"total-balance\"", customerDashboard, StringComparison.Ordinal);
    }
}
