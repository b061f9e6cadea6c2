using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// A branch's first day in a real browser, on a bank started for the first time on an empty database (every migration,
/// then the first Super_Admin; the other tests' apps start on a copy of the migrated template): the bootstrap Super_Admin signs in, replaces the one-time password,
/// creates an Admin and a Customer; the customer signs in, is made to change the password, and signs out.
/// </summary>
public sealed partial class FirstDayTests(FirstStartBrowserApps apps) : IClassFixture<FirstStartBrowserApps>
{
    [Fact]
    public async Task Super_admin_sets_up_staff_and_a_customer_who_then_signs_in()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        await using var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.Url, Locale = "en-IN" });
        var page = await context.NewPageAsync();

        // Super_Admin: sign in with the bootstrap password and get sent to change it.
        await page.GotoAsync("/");
        Assert.Contains("/Account/SignIn", page.Url, StringComparison.Ordinal);
        await app.ShotAsync(page, "01-sign-in");
        await BrowserApp.SignInAsync(page, BankApp.SuperAdminId, BankApp.BootstrapPassword);
        Assert.Contains("/Account/ChangePassword", page.Url, StringComparison.Ordinal);
        Assert.True(await page.GetByText("one-time password").IsVisibleAsync());
        await app.ShotAsync(page, "02-forced-change");

        // A mismatched confirmation and a common password are refused next to the field.
        await BrowserApp.ChangePasswordAsync(page, BankApp.BootstrapPassword, "password1234", "password1234");
        Assert.Contains("too common", await page.Locator("#err-newPassword").InnerTextAsync(), StringComparison.Ordinal);
        await app.ShotAsync(page, "03-change-refused");
        await BrowserApp.ChangePasswordAsync(page, BankApp.BootstrapPassword, BankApp.SuperAdminPassword, BankApp.SuperAdminPassword);
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
        Assert.True(await page.GetByText("Your password is changed").IsVisibleAsync());
        await app.ShotAsync(page, "04-home-super-admin");

        // Create an Admin, then a Customer; the city list follows the chosen state.
        var admin = await CreateUserAsync(page, "Admin", "Kiran", "Rao", "Karnataka", "Bengaluru");
        Assert.Null(admin.AccountNumber);
        await app.ShotAsync(page, "05-admin-created");
        await page.GotoAsync("/Users/Create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        Assert.True(await page.Locator("#err-firstName").IsVisibleAsync());
        Assert.True(await page.Locator("#err-address-state").IsVisibleAsync());
        await app.ShotAsync(page, "06-create-errors");
        var customer = await CreateUserAsync(page, "Customer", "Meera", "Iyer", "Tamil Nadu", "Chennai");
        Assert.Matches(AccountNumberPattern(), customer.AccountNumber!);
        await app.ShotAsync(page, "07-customer-created");

        await page.GotoAsync("/Users?q=Iyer");
        Assert.True(await page.GetByRole(AriaRole.Link, new() { Name = customer.UserId }).IsVisibleAsync());
        await app.ShotAsync(page, "08-users-list");
        await page.GetByRole(AriaRole.Link, new() { Name = customer.UserId }).ClickAsync();
        Assert.True(await page.GetByText(customer.AccountNumber!).IsVisibleAsync());
        Assert.True(await page.GetByText("₹0.00").IsVisibleAsync());
        await app.ShotAsync(page, "09-user-details");
        await BrowserApp.SignOutAsync(page);

        // The customer: one-time password, forced change, home, no way into staff pages, sign out.
        await BrowserApp.SignInAsync(page, customer.UserId, customer.Password);
        Assert.Contains("/Account/ChangePassword", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/Users");
        Assert.Contains("/Account/ChangePassword", page.Url, StringComparison.Ordinal);
        var customerPassword = TestUsers.StrongPassword();
        await BrowserApp.ChangePasswordAsync(page, customer.Password, customerPassword, customerPassword);
        Assert.True(await page.GetByText("Your account", new() { Exact = true }).IsVisibleAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).CountAsync());
        await app.ShotAsync(page, "10-home-customer");

        var denied = await page.GotoAsync("/Users");
        Assert.Equal(403, denied!.Status);
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" }).IsVisibleAsync());
        await app.ShotAsync(page, "11-customer-denied");

        await page.GotoAsync("/Account/Logins");
        Assert.True(await page.GetByText("Signed in").First.IsVisibleAsync());
        await app.ShotAsync(page, "12-customer-logins");
        await BrowserApp.SignOutAsync(page);
        await page.GotoAsync("/Account/Logins");
        Assert.Contains("/Account/SignIn", page.Url, StringComparison.Ordinal);

        // The admin created in the browser can sign in too, and is also asked for a new password first.
        await BrowserApp.SignInAsync(page, admin.UserId, admin.Password);
        Assert.Contains("/Account/ChangePassword", page.Url, StringComparison.Ordinal);
    }

    private static async Task<(string UserId, string Password, string? AccountNumber)> CreateUserAsync(
        IPage page, string role, string first, string last, string state, string city)
    {
        await page.GotoAsync("/Users/Create");
        await page.GetByLabel("First name").FillAsync(first);
        await page.GetByLabel("Last name").FillAsync(last);
        await page.GetByLabel("Date of birth").FillAsync("1988-06-21");
        await page.GetByLabel("Gender").SelectOptionAsync("Female");
        await page.GetByLabel("Email").FillAsync($"{first}.{last}.{Guid.NewGuid():N}@example.com".ToLowerInvariant());
        await page.GetByLabel("Phone number", new() { Exact = true }).FillAsync(TestUsers.UniquePhone());
        await page.GetByLabel("State or union territory").SelectOptionAsync(state);
        // The city list is filled by the page's script from the reference API.
        await page.Locator($"#City option[value='{city}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByLabel("City").SelectOptionAsync(city);
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await page.Locator("#created-user-id").WaitForAsync();
        var userId = await page.Locator("#created-user-id").InnerTextAsync();
        var password = await page.Locator("#created-password").InnerTextAsync();
        var account = await page.Locator("#created-account-number").CountAsync() > 0 ? await page.Locator("#created-account-number").InnerTextAsync() : null;
        Assert.True(await page.GetByText("shown only once").IsVisibleAsync());
        return (userId.Trim(), password.Trim(), account?.Trim());
    }

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountNumberPattern();
}

