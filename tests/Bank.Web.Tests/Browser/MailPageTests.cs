using Bank.Core.Data;
using Bank.Web.Tests.Infrastructure;
using Bank.Web.Tests.Notifications;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>The Outgoing mail page in a real browser: a failed mail, its error, and the retry that delivers it.</summary>
public sealed class MailPageTests(BrowserMailApps apps) : IClassFixture<BrowserMailApps>
{
    [Fact]
    public async Task The_super_admin_sees_a_failed_mail_with_its_error_and_retries_it_and_the_mail_arrives()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var root = await app.SuperAdminAsync();
        var email = MailTests.Unique("refused");
        app.Smtp.Refuse = true;
        try
        {
            await app.FirstSignInAsync(await BankApp.CreateUserAsync(root, "Customer", email));
            await MailTests.WaitForMailAsync(root, "failed", email);
        }
        finally
        {
            app.Smtp.Refuse = false;
        }

        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Mail" }).ClickAsync();
        await page.GetByLabel("Status").SelectOptionAsync("failed");
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }));

        var row = page.Locator("#mail tbody tr", new() { HasText = email });
        Assert.Equal("failed", await row.GetAttributeAsync("data-status"));
        Assert.Contains("554", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("New sign-in to your account", await row.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(page);
        await app.ShotAsync(page, "mail-01-failed");

        await BrowserApp.ClickAndLoadAsync(row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Retry mail") }));
        Assert.Contains("queued again", await page.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);

        await app.Smtp.WaitForAsync(m => MailTests.To(m, email).Count == 1);
        await page.GotoAsync("/Mail?status=sent");
        await page.Locator("#mail tbody tr[data-status='sent']", new() { HasText = email }).WaitForAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await BrowserApp.AssertAccessibleAsync(page);
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 390, "The page scrolls sideways on a phone; only the table should.");
        await app.ShotAsync(page, "mail-02-sent-phone");
        Assert.Single(MailTests.To(app.Smtp.Received, email));
    }
}
