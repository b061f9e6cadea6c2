using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// Money in a real browser: a customer deposits, withdraws and transfers; the receiving customer's page,
/// open in another browser, shows the new balance and the incoming line without a reload (SignalR).
/// </summary>
public sealed class MoneyTests(BrowserApps apps) : IClassFixture<BrowserApps>
{
    [Theory, DatabaseData]
    public async Task A_transfer_shows_up_live_on_the_receivers_open_page(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, ashaId, _) = await app.NewAsync(admin);
        var (_, raviId, raviAccount) = await app.NewAsync(admin);

        // Ravi keeps his account page open in his own browser.
        await using var raviContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var ravi = await raviContext.NewPageAsync();
        await BrowserApp.SignInAsync(ravi, raviId, app.LastPasswords[raviId]);
        await ravi.GotoAsync("/MyAccount");
        await ravi.Locator("#live-balance[data-live='connected']").WaitForAsync();
        Assert.Equal("₹0.00", await ravi.Locator("#balance").InnerTextAsync());
        await ravi.EvaluateAsync("() => { window.notReloaded = true; }");
        await app.ShotAsync(ravi, "money-01-receiver-waiting");

        await using var ashaContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var asha = await ashaContext.NewPageAsync();
        await BrowserApp.SignInAsync(asha, ashaId, app.LastPasswords[ashaId]);
        await asha.GetByRole(AriaRole.Link, new() { Name = "My account" }).First.ClickAsync();
        await asha.Locator("#live-balance").WaitForAsync();
        await app.ShotAsync(asha, "money-02-account");

        await SubmitAsync(asha, "deposit", "1,500.50", narration: "Salary");
        Assert.Contains("Deposited ₹1,500.50", await asha.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("₹1,500.50", await asha.Locator("#balance").InnerTextAsync());
        await app.ShotAsync(asha, "money-03-deposited");

        await SubmitAsync(asha, "withdraw", "200.25");
        Assert.Equal("₹1,300.25", await asha.Locator("#balance").InnerTextAsync());
        await SubmitAsync(asha, "withdraw", "5000");
        Assert.Contains("Insufficient funds", await asha.Locator(".alert-error").InnerTextAsync(), StringComparison.Ordinal);
        await SubmitAsync(asha, "withdraw", "10.001");
        Assert.Contains("two decimal places", await asha.Locator("#err-withdraw-amount").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("₹1,300.25", await asha.Locator("#balance").InnerTextAsync());
        await app.ShotAsync(asha, "money-04-refused");

        // A mistyped account number (last two digits swapped) is caught by the check digit before any lookup.
        var typo = raviAccount[..10] + raviAccount[11] + raviAccount[10];
        if (typo != raviAccount)
        {
            await SubmitAsync(asha, "transfer", "300", to: typo);
            Assert.Contains("check digit", await asha.Locator("#err-transfer-toAccountNumber").InnerTextAsync(), StringComparison.Ordinal);
        }

        await SubmitAsync(asha, "transfer", "300", to: raviAccount, narration: "Dinner");
        Assert.Contains($"Transferred ₹300.00 to {raviAccount}", await asha.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("₹1,000.25", await asha.Locator("#balance").InnerTextAsync());
        Assert.Equal(3, await asha.Locator("#recent tbody tr").CountAsync());
        await app.ShotAsync(asha, "money-05-transferred");

        // Ravi's page changed by itself: new balance and the incoming line, same page (no reload).
        await Assertions.Expect(ravi.Locator("#balance")).ToHaveTextAsync("₹300.00");
        await Assertions.Expect(ravi.Locator("#recent tbody tr").First).ToContainTextAsync("Transfer in");
        Assert.Contains("Dinner", await ravi.Locator("#recent tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await ravi.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await app.ShotAsync(ravi, "money-06-receiver-updated-live");

        await asha.GetByRole(AriaRole.Link, new() { Name = "Statement" }).First.ClickAsync();
        await asha.WaitForURLAsync(new Regex("/Transactions"));
        Assert.Equal(3, await asha.Locator("#transactions tbody tr").CountAsync());
        await asha.GetByLabel("Type").SelectOptionAsync("debit");
        await asha.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await asha.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(1, await asha.Locator("#transactions tbody tr").CountAsync());
        await app.ShotAsync(asha, "money-07-statement");

        // Staff: the Super_Admin finds the transfer by its id, sees both sides, and freezes Ravi's account from his details page.
        await using var staffContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var staff = await staffContext.NewPageAsync();
        await BrowserApp.SignInAsync(staff, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await staff.GetByRole(AriaRole.Link, new() { Name = "Transactions" }).First.ClickAsync();
        var transferId = (await ravi.Locator("#recent tbody tr").First.Locator("code").InnerTextAsync()).Trim();
        await staff.GetByLabel("Transaction ID").FillAsync(transferId);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await staff.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(2, await staff.Locator("#transactions tbody tr").CountAsync());
        await app.ShotAsync(staff, "money-08-staff-search");

        await staff.GotoAsync($"/Users/Details/{raviId}");
        Assert.Equal(1, await staff.Locator("#recent tbody tr").CountAsync());
        // Each account action asks for a confirmation first (what will happen, an optional reason), then does it.
        await staff.GetByRole(AriaRole.Button, new() { Name = "Freeze account" }).ClickAsync();
        await staff.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Yes, freeze the account" }).ClickAsync();
        await staff.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("now Frozen", await staff.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Close account" }).ClickAsync();
        await staff.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Yes, close the account for good" }).ClickAsync();
        await staff.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Contains("only at zero balance", await staff.Locator(".alert-error").InnerTextAsync(), StringComparison.Ordinal);
        await app.ShotAsync(staff, "money-09-staff-account");

        await ravi.ReloadAsync();
        Assert.Contains("frozen", await ravi.Locator(".alert-error").InnerTextAsync(), StringComparison.Ordinal);
        await SubmitAsync(ravi, "withdraw", "10");
        Assert.Contains("frozen", await ravi.Locator(".alert-error").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("₹300.00", await ravi.Locator("#balance").InnerTextAsync());
    }

    private static async Task SubmitAsync(IPage page, string form, string amount, string? to = null, string? narration = null)
    {
        if (to is not null)
        {
            await page.Locator($"#{form}-to").FillAsync(to);
        }

        await page.Locator($"#{form}-amount").FillAsync(amount);
        if (narration is not null)
        {
            await page.Locator($"#{form}-narration").FillAsync(narration);
        }

        var name = form switch { "deposit" => "Deposit", "withdraw" => "Withdraw", _ => "Transfer" };
        await page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }
}
