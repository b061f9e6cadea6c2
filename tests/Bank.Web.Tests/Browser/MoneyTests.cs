using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// Money in a real browser: a customer deposits, withdraws and transfers (reviewing the payee's masked name first); the
/// receiving customer's page, open in another browser, shows the new balance and the incoming line, naming the sender,
/// without a reload (SignalR). Refusals land in their form; a frozen account's forms are disabled.
/// </summary>
public sealed class MoneyTests(BrowserApps apps) : IClassFixture<BrowserApps>
{
    private const string MyAccount = "/MyAccount";

    [Theory, DatabaseData]
    public async Task A_reviewed_transfer_shows_up_live_on_the_receivers_open_page(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, ashaId, ashaAccount) = await app.NewAsync(admin, "Asha", "Sharma");
        var (_, raviId, raviAccount) = await app.NewAsync(admin, "Ravi", "Kumar");

        // Ravi keeps his account page open in his own browser.
        await using var raviContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var ravi = await raviContext.NewPageAsync();
        await BrowserApp.SignInAsync(ravi, raviId, app.LastPasswords[raviId]);
        await ravi.GotoAsync(MyAccount);
        await ravi.Locator("#live-balance[data-live='connected']").WaitForAsync();
        Assert.Equal("₹0.00", await ravi.Locator("#balance").InnerTextAsync());
        await ravi.EvaluateAsync("() => { window.notReloaded = true; }");
        await app.ShotAsync(ravi, "money-01-receiver-waiting");

        await using var ashaContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var asha = await ashaContext.NewPageAsync();
        await BrowserApp.SignInAsync(asha, ashaId, app.LastPasswords[ashaId]);
        await asha.GetByRole(AriaRole.Link, new() { Name = "My account" }).First.ClickAsync();
        await asha.Locator("#live-balance").WaitForAsync();
        await BrowserApp.AssertAccessibleAsync(asha);
        await app.ShotAsync(asha, "money-02-account");

        // Post-redirect-get: the success message is shown once, on a page fetched with GET.
        await SubmitAsync(asha, "deposit", "1,500.50", narration: "Salary");
        Assert.Contains("Deposited ₹1,500.50", await asha.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("₹1,500.50", await asha.Locator("#balance").InnerTextAsync());
        Assert.EndsWith(MyAccount, asha.Url, StringComparison.Ordinal);
        await app.ShotAsync(asha, "money-03-deposited");

        await SubmitAsync(asha, "withdraw", "200.25");
        Assert.Equal("₹1,300.25", await asha.Locator("#balance").InnerTextAsync());

        // A refusal lands in its own form: the summary inside the withdraw form has the focus, the amount is marked invalid.
        await SubmitAsync(asha, "withdraw", "5000");
        var summary = asha.Locator("form[action*='handler=Withdraw'] [data-error-summary]");
        Assert.Contains("Insufficient funds", await summary.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await summary.EvaluateAsync<bool>("s => document.activeElement === s"), "The error summary has the focus.");
        Assert.Equal("true", await asha.Locator("#withdraw-amount").GetAttributeAsync("aria-invalid"));
        Assert.Contains("more than the balance", await asha.Locator("#err-withdraw-amount").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("5000", await asha.Locator("#withdraw-amount").InputValueAsync());
        Assert.Equal(1, await asha.Locator("[data-error-summary]").CountAsync());
        await BrowserApp.AssertAccessibleAsync(asha);
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
            Assert.Equal("true", await asha.Locator("#transfer-to").GetAttributeAsync("aria-invalid"));
        }

        // The review names the payee, masked, and moves nothing.
        await SubmitAsync(asha, "transfer", "300", to: raviAccount, narration: "Dinner");
        Assert.Equal("Ravi K.", (await asha.Locator("#review-payee").InnerTextAsync()).Trim());
        Assert.Equal(raviAccount, (await asha.Locator("#review-to").InnerTextAsync()).Trim());
        Assert.Equal("₹300.00", (await asha.Locator("#review-amount").InnerTextAsync()).Trim());
        Assert.Equal("Dinner", (await asha.Locator("#review-narration").InnerTextAsync()).Trim());
        Assert.DoesNotContain("Kumar", await asha.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal("₹1,300.25", await asha.Locator("#balance").InnerTextAsync());
        Assert.Equal(2, await asha.Locator("#recent tbody tr").CountAsync());
        Assert.True(await asha.Locator("#transfer-review").EvaluateAsync<bool>("r => document.activeElement === r"), "The review has the focus.");
        await BrowserApp.AssertAccessibleAsync(asha);
        await app.ShotAsync(asha, "money-05-review");

        // Change goes back to the form with the values kept; nothing moved.
        await BrowserApp.ClickAndLoadAsync(asha.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true }));
        Assert.Equal(raviAccount, await asha.Locator("#transfer-to").InputValueAsync());
        Assert.Equal("300.00", await asha.Locator("#transfer-amount").InputValueAsync());
        Assert.Equal("Dinner", await asha.Locator("#transfer-narration").InputValueAsync());
        Assert.Equal("₹1,300.25", await asha.Locator("#balance").InnerTextAsync());
        await app.ShotAsync(asha, "money-06-change");

        await BrowserApp.ClickAndLoadAsync(asha.GetByRole(AriaRole.Button, new() { Name = "Review transfer" }));
        await BrowserApp.ClickAndLoadAsync(asha.GetByRole(AriaRole.Button, new() { Name = "Confirm transfer" }));
        Assert.Contains($"Transferred ₹300.00 to Ravi K. ({raviAccount})", await asha.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("₹1,000.25", await asha.Locator("#balance").InnerTextAsync());
        Assert.Equal(3, await asha.Locator("#recent tbody tr").CountAsync());
        Assert.Contains("Transfer to Ravi K.", await asha.Locator("#recent tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
        await app.ShotAsync(asha, "money-07-transferred");

        // A reload after the transfer fetches the page again and sends nothing: same balance, same lines, no message.
        await asha.ReloadAsync();
        Assert.Equal("₹1,000.25", await asha.Locator("#balance").InnerTextAsync());
        Assert.Equal(3, await asha.Locator("#recent tbody tr").CountAsync());
        Assert.Equal(0, await asha.Locator(".alert-success").CountAsync());

        // Ravi's page changed by itself: new balance and the incoming line naming Asha, same page (no reload).
        await Assertions.Expect(ravi.Locator("#balance")).ToHaveTextAsync("₹300.00");
        await Assertions.Expect(ravi.Locator("#recent tbody tr").First).ToContainTextAsync("Transfer from Asha S.");
        Assert.Contains("Dinner", await ravi.Locator("#recent tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await ravi.EvaluateAsync<bool>("() => window.notReloaded === true"));
        await app.ShotAsync(ravi, "money-08-receiver-updated-live");
        await ravi.ReloadAsync();
        Assert.Contains("Transfer from Asha S.", await ravi.Locator("#recent tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);

        await asha.GetByRole(AriaRole.Link, new() { Name = "Statement" }).First.ClickAsync();
        await asha.WaitForURLAsync(new Regex("/Transactions"));
        Assert.Equal(3, await asha.Locator("#transactions tbody tr").CountAsync());
        Assert.Contains("Transfer to Ravi K.", await asha.Locator("#transactions tbody tr").First.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.AssertAccessibleAsync(asha);
        await asha.GetByLabel("Type").SelectOptionAsync("debit");
        await BrowserApp.ClickAndLoadAsync(asha.GetByRole(AriaRole.Button, new() { Name = "Apply" }));
        Assert.Equal(1, await asha.Locator("#transactions tbody tr").CountAsync());
        await app.ShotAsync(asha, "money-09-statement");

        // Staff: the Super_Admin finds the transfer by its id, sees both sides with full names, and freezes Ravi's account.
        await using var staffContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var staff = await staffContext.NewPageAsync();
        await BrowserApp.SignInAsync(staff, BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        await staff.GetByRole(AriaRole.Link, new() { Name = "Transactions" }).First.ClickAsync();
        var transferId = (await ravi.Locator("#recent tbody tr").First.Locator("code").InnerTextAsync()).Trim();
        await staff.GetByLabel("Transaction ID").FillAsync(transferId);
        await BrowserApp.ClickAndLoadAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Apply" }));
        Assert.Equal(2, await staff.Locator("#transactions tbody tr").CountAsync());
        var sides = await staff.Locator("#transactions tbody").InnerTextAsync();
        Assert.Contains("Transfer to Ravi Kumar", sides, StringComparison.Ordinal);
        Assert.Contains("Transfer from Asha Sharma", sides, StringComparison.Ordinal);
        await app.ShotAsync(staff, "money-10-staff-search");

        await staff.GotoAsync($"/Users/Details/{raviId}");
        Assert.Equal(1, await staff.Locator("#recent tbody tr").CountAsync());
        // Each account action asks for a confirmation first (what will happen, an optional reason), then does it.
        await BrowserApp.ClickAndLoadAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Freeze account" }));
        await BrowserApp.ClickAndLoadAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Yes, freeze the account" }));
        Assert.Contains("now Frozen", await staff.Locator(".alert-success").InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.ClickAndLoadAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Close account" }));
        await BrowserApp.ClickAndLoadAsync(staff.GetByRole(AriaRole.Button, new() { Name = "Yes, close the account for good" }));
        Assert.Contains("only at zero balance", await staff.Locator(".alert-error").InnerTextAsync(), StringComparison.Ordinal);
        await app.ShotAsync(staff, "money-11-staff-account");

        // A frozen account: one message, every money form disabled.
        await ravi.ReloadAsync();
        Assert.Equal(1, await ravi.Locator("main .alert").CountAsync());
        Assert.Contains("frozen", await ravi.Locator("#account-blocked").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await ravi.Locator(".money-forms input:not([type=hidden]):enabled, .money-forms button:enabled").CountAsync());
        Assert.Equal(3, await ravi.Locator(".money-forms button:disabled").CountAsync());
        await BrowserApp.AssertAccessibleAsync(ravi);
        await app.ShotAsync(ravi, "money-12-frozen");

        // The server refuses anyway (the form sent with its controls enabled by hand).
        await ravi.EvaluateAsync("() => document.querySelectorAll('.money-forms [disabled]').forEach(e => { e.disabled = false; })");
        await SubmitAsync(ravi, "withdraw", "10");
        Assert.Contains("frozen", await ravi.Locator("form[action*='handler=Withdraw'] [data-error-summary]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("₹300.00", await ravi.Locator("#balance").InnerTextAsync());

        // Paying a frozen account and paying an unknown number get the same single refusal at the review, next to the
        // account number, with no name.
        var unknown = Core.Accounts.AccountNumber.FromBody(Core.Accounts.AccountNumber.FirstBody + 9_000_000);
        var refusals = new List<string>();
        foreach (var to in new[] { raviAccount, unknown })
        {
            await asha.GotoAsync(MyAccount);
            await SubmitAsync(asha, "transfer", "1", to: to);
            Assert.Equal(0, await asha.Locator("#transfer-review").CountAsync());
            Assert.Contains("cannot receive transfers", await asha.Locator("#err-transfer-toAccountNumber").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("true", await asha.Locator("#transfer-to").GetAttributeAsync("aria-invalid"));
            var form = await asha.Locator("form[action*='handler=Review']").InnerTextAsync();
            Assert.DoesNotContain("Ravi", form, StringComparison.Ordinal);
            refusals.Add(form.Replace(to, "", StringComparison.Ordinal));
        }

        Assert.Single(refusals.Distinct());
        await app.ShotAsync(asha, "money-13-cannot-receive");
        Assert.Equal("₹1,000.25", await asha.Locator("#balance").InnerTextAsync());
        Assert.NotEqual(ashaAccount, raviAccount);
    }

    [Fact]
    public async Task The_account_page_the_review_and_the_statement_fit_a_phone_and_pass_axe()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var admin = await app.SuperAdminAsync();
        var payer = await app.NewAsync(admin, "Meera", "Iyer");
        var payee = await app.NewAsync(admin, "Kabir", "Singh");
        await payer.DepositAsync(2_000m);
        await payer.Client.MoveAsync($$"""{"type":"transfer","amount":250.75,"toAccountNumber":"{{payee.AccountNumber}}","narration":"Books"}""");

        await using var phoneContext = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.Url,
            Locale = "en-IN",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        var phone = await phoneContext.NewPageAsync();
        await BrowserApp.SignInAsync(phone, payer.UserId, app.LastPasswords[payer.UserId]);
        await phone.GotoAsync(MyAccount);
        Assert.Contains("Transfer to Kabir S.", await phone.Locator("#recent tbody").InnerTextAsync(), StringComparison.Ordinal);
        await AssertFitsAsync(phone);
        await app.ShotAsync(phone, "money-phone-01-account");

        await SubmitAsync(phone, "transfer", "100", to: payee.AccountNumber, narration: "Lunch");
        Assert.Equal("Kabir S.", (await phone.Locator("#review-payee").InnerTextAsync()).Trim());
        await AssertFitsAsync(phone);
        await app.ShotAsync(phone, "money-phone-02-review");

        await phone.GotoAsync("/Transactions");
        Assert.Equal(2, await phone.Locator("#transactions tbody tr").CountAsync());
        await AssertFitsAsync(phone);
        await app.ShotAsync(phone, "money-phone-03-statement");
        Assert.Equal(1_749.25m, await payer.BalanceAsync());
    }

    /// <summary>axe finds nothing, and the page does not scroll sideways (wide tables scroll inside their own box).</summary>
    private static async Task AssertFitsAsync(IPage page)
    {
        await BrowserApp.AssertAccessibleAsync(page);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"The page scrolls sideways: {await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")} px wide.");
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

        var name = form switch { "deposit" => "Deposit", "withdraw" => "Withdraw", _ => "Review transfer" };
        await BrowserApp.ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }));
    }
}
