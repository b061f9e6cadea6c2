using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>The app on a real Kestrel port plus Debian's Chromium driven by Playwright (never a downloaded browser).</summary>
public sealed class BrowserApp(DatabaseProvider provider) : BankApp(provider)
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The address a browser uses (localhost, so that Chromium treats it as a secure context for the Secure cookie).</summary>
    public string Url { get; private set; } = "";

    public string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("BANK_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task StartAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}: install the Debian package 'chromium' (bash test.sh does this). Browser tests cannot be skipped.");
        }

        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal).Replace("[::1]", "localhost", StringComparison.Ordinal).TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>Signs in through the sign-in page and waits for the next page to settle.</summary>
    public static async Task SignInAsync(IPage page, string userId, string password)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("User ID").FillAsync(userId);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>Signs in over the API, replacing a one-time password; returns the bearer token.</summary>
    public static async Task<string> SignInApiAsync(HttpClient api, string userId, string password, string newPassword)
    {
        var login = await api.PostAsJsonAsync("/api/v1/auth/login", new { userId, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.JsonAsync())["accessToken"]!.GetValue<string>();
        using var change = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/change-password")
        {
            Content = JsonContent.Create(new { currentPassword = password, newPassword }),
        };
        change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(change)).StatusCode);
        return token;
    }

    /// <summary>A new user of <paramref name="role"/> made over the API, with a password of their own.</summary>
    public static async Task<(string UserId, string Password, string? AccountNumber)> NewUserAsync(HttpClient api, string adminToken, string role)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users") { Content = JsonContent.Create(TestUsers.NewUser(role)) };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        var created = await (await api.SendAsync(create)).JsonAsync();
        var userId = created["userId"]!.GetValue<string>();
        var password = TestUsers.StrongPassword();
        await SignInApiAsync(api, userId, created["temporaryPassword"]!.GetValue<string>(), password);
        return (userId, password, created["accountNumber"]?.GetValue<string>());
    }

    /// <summary>A new customer made over the API, with a password of their own and their account number.</summary>
    public static async Task<(string UserId, string Password, string AccountNumber)> NewCustomerAsync(HttpClient api, string adminToken)
    {
        var (userId, password, accountNumber) = await NewUserAsync(api, adminToken, "Customer");
        return (userId, password, accountNumber!);
    }

    public async Task ShotAsync(IPage page, string step) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{Provider}-{step}.png"), FullPage = true });

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>The app on a real port with Chromium, on each database.</summary>
public sealed class BrowserApps() : BankApps<BrowserApp>(provider => new BrowserApp(provider))
{
    /// <inheritdoc/>
    protected override async Task<BrowserApp> StartAsync(BrowserApp app)
    {
        await base.StartAsync(app);
        await app.StartAsync();
        return app;
    }
}
