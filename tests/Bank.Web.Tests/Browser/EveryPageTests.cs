using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// Every page as each role meets it, at a desktop's width (1280 px) and a phone's (390 px): axe-core finds no WCAG 2.1
/// A/AA violation, the page never scrolls sideways, the menu marks the page shown (exactly one item), and on the phone the menu folds
/// behind a Menu button. Pages are reached with data in them (transactions, sign-ins, audit entries, mail) and in their
/// refused states (a form sent with errors), since that is where markup goes wrong. Every page is saved as a screenshot.
/// It runs on SQLite only: the markup does not depend on the database, and every page's data is tested on both databases
/// by the page's own tests; twice the same 100 scans would add minutes to every run and find nothing new.
/// </summary>
public sealed class EveryPageTests(BrowserApps apps) : IClassFixture<BrowserApps>
{
    private static readonly (int Width, int Height, string Name)[] Widths = [(1280, 900, "desktop"), (390, 844, "phone")];

    [Fact]
    public async Task Every_page_as_every_role_passes_axe_at_desktop_and_phone_width_and_never_scrolls_sideways()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var root = await app.SuperAdminAsync();
        var (_, adminId) = await app.ActiveUserAsync(root, "Admin");
        var (_, employeeId) = await app.ActiveUserAsync(root, "Employee");
        var asha = await app.NewAsync(root);
        var ravi = await app.NewAsync(root);
        await asha.DepositAsync(12_345.67m);
        var transfer = await asha.Client.PostAsJsonAsync("/api/v1/transactions", new { type = "transfer", amount = 1_234.50m, toAccountNumber = ravi.AccountNumber, narration = "Rent share for a long month" });
        Assert.Equal(HttpStatusCode.Created, transfer.StatusCode);
        // A wrong password puts a refused line in Asha's sign-ins and the audit trail.
        await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId = asha.UserId, password = "Not-the-password-1" });

        var common = new[] { "/", "/Account/Logins", "/Account/ChangePassword", "/Account/TwoFactorEnrol", "/no/such/page" };
        var staff = new[] { "/Users", $"/Users/Details/{asha.UserId}", "/Transactions", "/Transactions?from=2026-02-30" };
        var admin = new[] { "/Users/Create", "/Audit", $"/Users/Details/{employeeId}" };
        var roles = new (string Role, string UserId, string Password, string[] Pages)[]
        {
            ("super-admin", BankApp.SuperAdminId, BankApp.SuperAdminPassword, [.. common, .. staff, .. admin, $"/Users/Details/{adminId}", "/Reports/MonthlyLogins", "/Mail"]),
            ("admin", adminId, app.LastPasswords[adminId], [.. common, .. staff, .. admin]),
            ("employee", employeeId, app.LastPasswords[employeeId], [.. common, .. staff]),
            ("customer", asha.UserId, app.LastPasswords[asha.UserId], [.. common, "/MyAccount", "/Transactions", "/Transactions?type=transfer"]),
        };

        var scanned = 0;
        await using (var anonymous = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" }))
        {
            var page = await anonymous.NewPageAsync();
            foreach (var path in new[] { "/Account/SignIn", "/no/such/page" })
            {
                scanned += await ScanAsync(app, page, "anonymous", path, signedIn: false);
            }
        }

        // Each role in a context of its own, and the refused create-user form in another, side by side (the scans are the
        // browser's work, and this is the run's longest test).
        var scans = await Task.WhenAll(roles.Select(async r =>
        {
            var (role, userId, password, pages) = r;
            await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
            var page = await context.NewPageAsync();
            await BrowserApp.SignInAsync(page, userId, password);
            var done = 0;
            foreach (var path in pages)
            {
                done += await ScanAsync(app, page, role, path, signedIn: true);
            }

            // A form sent with errors: the summary takes the focus and links to the marked field.
            await page.SetViewportSizeAsync(1280, 900);
            await page.GotoAsync("/Account/ChangePassword");
            await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Change password" }));
            await AssertSummaryLeadsToFieldAsync(page);
            return done + await ScanAsync(app, page, role, null, signedIn: true, step: "change-password-refused");
        }).Append(CreateUserRefusedAsync(app, adminId)));
        scanned += scans.Sum();

        // 2 anonymous pages + 4 roles' pages and refused forms + create refused, each at two widths.
        Assert.Equal(2 * (2 + roles.Sum(r => r.Pages.Length + 1) + 1), scanned);
    }

    /// <summary>Create user refused: several fields at once, each linked from the summary. Returns the number of scans made.</summary>
    private static async Task<int> CreateUserRefusedAsync(BrowserApp app, string adminId)
    {
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, adminId, app.LastPasswords[adminId]);
        await page.GotoAsync("/Users/Create");
        await page.GetByLabel("Last name").FillAsync("Sharma");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Create user" }));
        Assert.True(await page.Locator("[data-error-summary] li").CountAsync() >= 5);
        Assert.Equal("true", await page.GetByLabel("First name").GetAttributeAsync("aria-invalid"));
        await AssertSummaryLeadsToFieldAsync(page);
        return await ScanAsync(app, page, "admin", null, signedIn: true, step: "create-user-refused");
    }

    /// <summary>
    /// Opens <paramref name="path"/> (or keeps the page as it is when null) at each width: axe clean, no sideways scroll,
    /// a screenshot; signed in, the menu marks the page and folds on the phone. Returns the number of scans made.
    /// </summary>
    private static async Task<int> ScanAsync(BrowserApp app, IPage page, string role, string? path, bool signedIn, string? step = null)
    {
        var scans = 0;
        foreach (var (width, height, name) in Widths)
        {
            await page.SetViewportSizeAsync(width, height);
            if (path is not null)
            {
                var response = await page.GotoAsync(path);
                Assert.True(response is not null && (response.Status < 400 || path.StartsWith("/no/", StringComparison.Ordinal)), $"{role} {path}: {response?.Status}");
            }

            var where = $"{role} {path ?? step} at {width} px";
            try
            {
                await BrowserApp.AssertAccessibleAsync(page);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{where}: {ex.Message}");
            }

            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            Assert.True(widths[0] <= widths[1], $"{where} scrolls sideways: {widths[0]} > {widths[1]}");

            await app.ShotAsync(page, $"every-page-{role}-{Slug(path ?? step!)}-{name}");
            if (signedIn && path is not null && !path.StartsWith("/no/", StringComparison.Ordinal))
            {
                // The menu marks the page shown, once (on a phone, after the Menu button opens it).
                if (width < 1100)
                {
                    var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
                    Assert.False(await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).IsVisibleAsync(), $"{where}: the menu is not folded");
                    await toggle.ClickAsync();
                    Assert.Equal("true", await toggle.GetAttributeAsync("aria-expanded"));
                    if (path is "/")
                    {
                        // The open menu is the same on every page of a role: scanned once, on the dashboard.
                        await BrowserApp.AssertAccessibleAsync(page);
                    }
                }

                // Every page checked here has its item: in the main menu (visible), or in the account menu (My sign-ins…).
                Assert.True(await page.Locator("nav a[aria-current='page']").CountAsync() == 1, $"{where}: not exactly one menu item marked");
                var current = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).Locator("a[aria-current='page']");
                if (await current.CountAsync() == 1)
                {
                    Assert.True(await current.IsVisibleAsync(), where);
                }
                else
                {
                    Assert.True(await page.Locator(".account-menu a[aria-current='page']").CountAsync() == 1, where);
                }
            }

            scans++;
        }

        return scans;
    }

    /// <summary>The error summary has the focus, and its first link moves the focus to a field marked aria-invalid.</summary>
    private static async Task AssertSummaryLeadsToFieldAsync(IPage page)
    {
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement === document.querySelector('[data-error-summary]')"), "the error summary has not the focus");
        await page.Locator("[data-error-summary] a").First.ClickAsync();
        Assert.Equal("true", await page.EvaluateAsync<string?>("() => document.activeElement.getAttribute('aria-invalid')"));
    }

    private static string Slug(string path) => Regex.Replace(path.Trim('/'), "[^A-Za-z0-9]+", "-") is { Length: > 0 } slug ? slug : "home";
}
