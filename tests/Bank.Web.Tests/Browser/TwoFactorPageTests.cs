using System.Net;
using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Bank.Web.Tests.Infrastructure.TwoFactorSteps;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// The second factor in a real browser with <c>Security:RequireStaffTwoFactor</c> on: the first Super_Admin replaces the
/// one-time password, is held on the enrolment page, scans the QR code (or types the key), turns the second factor on and
/// sees the recovery codes once; later sign-ins ask for a code, and a recovery code works once. At a desktop's width and a
/// phone's, with axe-core on every page of the flow. At the end the Super_Admin resets an Admin's second factor on the
/// Admin's page.
/// </summary>
public sealed partial class TwoFactorPageTests(TwoFactorBrowserApps apps) : IClassFixture<TwoFactorBrowserApps>
{
    [Fact]
    public async Task The_first_super_admin_enrols_after_the_password_change_then_signs_in_with_a_code_or_a_recovery_code()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();

        // The one-time password first, then the enrolment; staff pages lead back to it meanwhile.
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.BootstrapPassword);
        Assert.Contains("/Account/ChangePassword", page.Url, StringComparison.Ordinal);
        await BrowserApp.ChangePasswordAsync(page, BankApp.BootstrapPassword, BankApp.SuperAdminPassword, BankApp.SuperAdminPassword);
        Assert.Contains("/Account/TwoFactorEnrol", page.Url, StringComparison.Ordinal);
        Assert.True(await page.GetByText("Your role requires a second factor").IsVisibleAsync());
        await page.GotoAsync("/Users");
        Assert.Contains("/Account/TwoFactorEnrol", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).CountAsync());
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "2fa-01-enrol-required");

        // The QR code (a data URI the Content-Security-Policy lets through) and the same key as text.
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up the second factor" }).ClickAsync();
        var qr = page.GetByRole(AriaRole.Img, new() { Name = "QR code for setting up the Bank" });
        await qr.WaitForAsync();
        Assert.True(await qr.EvaluateAsync<int>("img => img.naturalWidth") > 100, "The QR code did not load.");
        var secret = (await page.Locator("#two-factor-secret").InnerTextAsync()).Trim();
        Assert.Matches(Base32(), secret);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "2fa-02-enrol-qr");
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The page is wider than a phone.");
        await app.ShotAsync(page, "2fa-03-enrol-qr-phone");
        await page.SetViewportSizeAsync(1280, 800);

        // A wrong code leaves it off; the right one turns it on and shows the ten recovery codes once.
        await TurnOnAsync(page, OtherCode(app.Clock, secret));
        Assert.True(await page.Locator("#err-code").IsVisibleAsync());
        await TurnOnAsync(page, Code(app.Clock, secret));
        var codes = await page.Locator(".recovery-codes li").AllInnerTextsAsync();
        Assert.Equal(10, codes.Distinct().Count());
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "2fa-04-recovery-codes");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Link, new() { Name = "I have saved them, continue" }));
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/Account/TwoFactorEnrol");
        Assert.True(await page.GetByText("Your second factor is on").IsVisibleAsync());
        Assert.Equal(0, await page.Locator(".recovery-codes").CountAsync());
        await BrowserApp.SignOutAsync(page);

        // The next sign-in asks for a code (on a phone here): a wrong one is refused beside the field, the right one lets in.
        await page.SetViewportSizeAsync(390, 844);
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        Assert.Contains("/Account/TwoFactor", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/Users");
        Assert.Contains("/Account/TwoFactor", page.Url, StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "2fa-05-code-phone");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await SendCodeAsync(page, OtherCode(app.Clock, secret));
        Assert.True(await page.Locator("#err-code").IsVisibleAsync());
        await app.ShotAsync(page, "2fa-06-code-refused-phone");
        await SendCodeAsync(page, Code(app.Clock, secret));
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        // On the phone the menu is folded behind its button.
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        Assert.True(await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).IsVisibleAsync());
        await BrowserApp.SignOutAsync(page);

        // A recovery code instead of the code: once.
        await page.SetViewportSizeAsync(1280, 800);
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await SendRecoveryCodeAsync(page, codes[0]);
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        await BrowserApp.SignOutAsync(page);
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await SendRecoveryCodeAsync(page, codes[0]);
        Assert.Contains("/Account/TwoFactor", page.Url, StringComparison.Ordinal);
        Assert.True(await page.Locator("#err-recoveryCode").IsVisibleAsync());
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "2fa-07-recovery-code-used");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await SendCodeAsync(page, Code(app.Clock, secret));
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);

        // An Admin with a second factor (set up through the API); the Super_Admin resets it on the Admin's page.
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var root = await CompleteAsync(app, app.Clock, BankApp.SuperAdminId, BankApp.SuperAdminPassword, secret);
        var created = await BankApp.CreateUserAsync(root, "Admin");
        var (admin, _) = await app.FirstSignInAsync(created);
        await EnrolAsync(app.Clock, admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/users")).StatusCode);
        await page.GotoAsync($"/Users/Details/{created.UserId}");
        Assert.Equal("On (authenticator app)", await page.Locator("#two-factor-state").InnerTextAsync());
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Reset second factor" }));
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, reset the second factor" }));
        Assert.True(await page.GetByText("The second factor is reset").IsVisibleAsync());
        Assert.Equal("Off", await page.Locator("#two-factor-state").InnerTextAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Reset second factor" }).CountAsync());
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "2fa-08-reset-by-super-admin");
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    private static async Task TurnOnAsync(IPage page, string code)
    {
        await page.GetByLabel("Code the app shows now").FillAsync(code);
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }));
    }

    private static async Task SendCodeAsync(IPage page, string code)
    {
        await page.GetByLabel("Code from your authenticator app").FillAsync(code);
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Continue" }));
    }

    private static async Task SendRecoveryCodeAsync(IPage page, string code)
    {
        if (!await page.GetByLabel("Recovery code").IsVisibleAsync())
        {
            await page.GetByText("Lost your phone? Use a recovery code").ClickAsync();
        }

        await page.GetByLabel("Recovery code").FillAsync(code);
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Continue" }));
    }

    [GeneratedRegex("^[A-Z2-7]{32}$")]
    private static partial Regex Base32();
}
