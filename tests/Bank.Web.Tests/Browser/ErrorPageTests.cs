using Bank.Core.Data;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// Error pages in a real browser: an unknown address shows the 404 page inside the layout, signed out and signed in (with
/// the top bar), with its status, title, heading, language and a way home; no resource of a page fails (the favicon
/// included). The API reference loads under the CSP and is linked for Admins only.
/// </summary>
public sealed class ErrorPageTests(BrowserApps apps) : IClassFixture<BrowserApps>
{
    [Fact]
    public async Task An_unknown_address_shows_the_404_page_in_the_layout_signed_out_and_signed_in()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        await app.SuperAdminAsync();
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        var failures = new List<string>();
        page.Response += (_, r) =>
        {
            if (r.Status >= 400)
            {
                failures.Add($"{r.Status} {new Uri(r.Url).PathAndQuery}");
            }
        };

        var signedOut = await page.GotoAsync("/no/such/page");
        await AssertStatusPageAsync(page, signedOut, 404, "Page not found");
        Assert.Equal(0, await page.Locator("nav[aria-label='Main']").CountAsync());
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "errors-01-404-signed-out");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to home" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Account/SignIn", StringComparison.Ordinal));
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);

        var signedIn = await page.GotoAsync("/Users/NoSuchPage");
        await AssertStatusPageAsync(page, signedIn, 404, "Page not found");
        Assert.True(await page.Locator("nav[aria-label='Main']").IsVisibleAsync(), "The top bar is there for a signed-in user.");
        Assert.Equal("Super Admin", await page.Locator(".who .badge").InnerTextAsync());
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "errors-02-404-signed-in");

        // Nothing else failed on the way: the favicon, styles and scripts of every page answered.
        Assert.Equal(["404 /no/such/page", "404 /Users/NoSuchPage"], failures);
    }

    [Fact]
    public async Task The_api_reference_is_linked_for_admins_only_and_loads_without_breaking_the_csp()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var root = await app.SuperAdminAsync();
        var (_, employeeId) = await app.ActiveUserAsync(root, "Employee");
        var (_, adminId) = await app.ActiveUserAsync(root, "Admin");

        await using (var employeeContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" }))
        {
            var employee = await employeeContext.NewPageAsync();
            await BrowserApp.SignInAsync(employee, employeeId, app.LastPasswords[employeeId]);
            var nav = employee.Locator("nav[aria-label='Main']");
            Assert.True(await nav.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).IsVisibleAsync(), "The employee's top bar is shown.");
            Assert.Equal(0, await employee.GetByRole(AriaRole.Link, new() { Name = "API reference" }).CountAsync());
        }

        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var admin = await context.NewPageAsync();
        var console = new List<string>();
        admin.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        var failed = new List<string>();
        admin.RequestFailed += (_, r) => failed.Add(r.Url);
        await BrowserApp.SignInAsync(admin, adminId, app.LastPasswords[adminId]);
        await admin.GetByRole(AriaRole.Link, new() { Name = "API reference" }).ClickAsync();
        await admin.WaitForURLAsync(url => url.Contains("/scalar", StringComparison.Ordinal));
        await admin.WaitForLoadStateAsync(LoadState.Load);
        await admin.GetByText("Bank API").First.WaitForAsync();
        await admin.GetByText("/api/v1/auth/login").First.WaitForAsync();
        await app.ShotAsync(admin, "errors-03-api-reference");

        Assert.DoesNotContain(console, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.Contains("Refused to", StringComparison.Ordinal));
        Assert.Empty(failed);
    }

    /// <summary>The page is the error page of <paramref name="status"/> inside the layout: HTML, title, lang, h1, a way home.</summary>
    internal static async Task AssertStatusPageAsync(IPage page, IResponse? response, int status, string title)
    {
        Assert.NotNull(response);
        Assert.Equal(status, response.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal($"{title} · Bank", await page.TitleAsync());
        Assert.Equal("en-IN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(title, await page.Locator("main h1").InnerTextAsync());
        Assert.True(await page.Locator(".topbar .brand").IsVisibleAsync(), "The layout's top bar is there.");
        Assert.Equal("/", await page.GetByRole(AriaRole.Link, new() { Name = "Back to home" }).GetAttributeAsync("href"));
        Assert.DoesNotContain("\"status\":", await page.ContentAsync(), StringComparison.Ordinal);
    }
}

/// <summary>The app on a real port with Chromium that allows three sign-in attempts a minute from one address, on each database.</summary>
public sealed class SignInLimitBrowserApps() : BrowserApps(provider => new BrowserApp(
    provider, settings: new Dictionary<string, string> { ["Security:SignInAttemptsPerMinutePerIp"] = "3" }));

/// <summary>The sign-in limit on the sign-in page: the attempt over it gets the "Too many attempts" page with the wait, not JSON.</summary>
public sealed class SignInLimitPageTests(SignInLimitBrowserApps apps) : IClassFixture<SignInLimitBrowserApps>
{
    [Fact]
    public async Task The_attempt_over_the_limit_on_the_sign_in_page_shows_the_too_many_attempts_page_with_the_wait()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();

        IResponse? answer = null;
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await page.GotoAsync("/Account/SignIn");
            await page.GetByLabel("User ID").FillAsync("56125899999");
            await page.GetByLabel("Password").FillAsync("Not-the-password-2026");
            var response = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.Contains("/Account/SignIn", StringComparison.Ordinal));
            await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
            answer = await response;
            if (attempt <= 3)
            {
                Assert.Equal(200, answer.Status);
                Assert.Equal("Sign in · Bank", await page.TitleAsync());
            }
        }

        await ErrorPageTests.AssertStatusPageAsync(page, answer, 429, "Too many attempts");
        var retryAfter = int.Parse(answer!.Headers["retry-after"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        var wait = retryAfter == 60 ? "1 minute" : retryAfter == 1 ? "1 second" : $"{retryAfter} seconds";
        Assert.Contains($"please wait {wait} before you try again", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "errors-04-too-many-attempts");
    }
}
