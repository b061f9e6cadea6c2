using System.Text.RegularExpressions;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Bank.Web.Tests.Browser;

/// <summary>
/// The app on a real Kestrel port plus the run's Chromium (<see cref="Chromium"/>) driven by Playwright. Browser tests run
/// on SQLite only (the markup does not depend on the database; every page's data is tested on both databases by the API
/// and page tests), except the money flows a customer sees move (a reviewed transfer, the live balance). The staff
/// dashboard's figures are not cached (<c>Dashboard:CacheSeconds</c> 0): the tests of a class share one app per
/// database, and a figure a test checks must not depend on which test looked at the dashboard first (a test's
/// <paramref name="settings"/> may turn it on again). Several apps may share one database (<paramref name="sharedDatabase"/>).
/// </summary>
public sealed class BrowserApp(
    DatabaseProvider provider,
    bool sendsMail = false,
    IReadOnlyDictionary<string, string>? settings = null,
    FakeTimeProvider? clock = null,
    TestDatabase? sharedDatabase = null,
    bool emptyDatabase = false)
    : BankApp(provider, With(settings), sendsMail, sharedDatabase, emptyDatabase: emptyDatabase)
{
    private static readonly Dictionary<string, string> Settings = new() { ["Dashboard:CacheSeconds"] = "0" };

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string>? settings)
    {
        var all = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>The run's one Chromium (<see cref="Chromium"/>); a test opens its own contexts in it.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The app's clock, when it was made with one the test moves.</summary>
    public FakeTimeProvider Clock => clock ?? throw new InvalidOperationException("This app runs on the real clock.");

    /// <summary>The address a browser uses (localhost, so that Chromium treats it as a secure context for the Secure cookie).</summary>
    public string Url { get; private set; } = "";

    public string ScreenshotFolder { get; } = Environment.GetEnvironmentVariable("BANK_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
        }
    }

    public async Task StartAsync()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal).Replace("[::1]", "localhost", StringComparison.Ordinal).TrimEnd('/');
        Browser = await Chromium.BrowserAsync();
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>
    /// Clicks a control that sends a form or follows a link, and waits until the page it leads to has loaded (after any
    /// redirect). The wait is set up before the click, so a quick answer cannot slip past it; no fixed quiet time is
    /// waited for (a page with a live connection is never quiet).
    /// </summary>
    public static async Task ClickAndLoadAsync(ILocator control)
    {
        var page = control.Page;
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Loaded(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += Loaded;
        try
        {
            await control.ClickAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
        finally
        {
            page.Load -= Loaded;
        }
    }

    /// <summary>Signs in through the sign-in page and waits for the page it leads to.</summary>
    public static async Task SignInAsync(IPage page, string userId, string password)
    {
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("User ID").FillAsync(userId);
        await page.GetByLabel("Password").FillAsync(password);
        await ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
    }

    /// <summary>Fills the change-password form and sends it.</summary>
    public static async Task ChangePasswordAsync(IPage page, string current, string next, string confirm)
    {
        await page.GetByLabel("Current password").FillAsync(current);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(next);
        await page.GetByLabel("New password again").FillAsync(confirm);
        await ClickAndLoadAsync(page.GetByRole(AriaRole.Button, new() { Name = "Change password" }));
    }

    /// <summary>Signs out with the top bar's button and checks the sign-in page says so.</summary>
    public static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/Account/SignIn"));
        Assert.True(await page.GetByText("You have signed out.").IsVisibleAsync());
    }

    /// <summary>axe-core finds no violation of WCAG 2.1 A and AA on the page as it is.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))})")));
    }

    public async Task ShotAsync(IPage page, string step) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{Provider}-{step}.png"), FullPage = true });

}

/// <summary>The app on a real port with Chromium, on each database.</summary>
public class BrowserApps : BankApps<BrowserApp>
{
    /// <summary>Apps that keep their mail in the outbox.</summary>
    public BrowserApps()
        : this(sendsMail: false)
    {
    }

    /// <summary>Apps that send their mail when <paramref name="sendsMail"/>.</summary>
    protected BrowserApps(bool sendsMail)
        : this(provider => new BrowserApp(provider, sendsMail))
    {
    }

    /// <summary>Apps made by <paramref name="create"/>.</summary>
    protected BrowserApps(Func<DatabaseProvider, BrowserApp> create)
        : base(create)
    {
    }

    /// <inheritdoc/>
    protected override async Task<BrowserApp> StartAsync(BrowserApp app)
    {
        await base.StartAsync(app);
        await app.StartAsync();
        return app;
    }
}

/// <summary>
/// The app on a real port with Chromium that requires Super_Admins and Admins to use a second factor, on a clock the test
/// moves (the codes are computed from it), on each database.
/// </summary>
public sealed class TwoFactorBrowserApps() : BrowserApps(provider => new BrowserApp(
    provider, settings: new Dictionary<string, string> { ["Security:RequireStaffTwoFactor"] = "true" }, clock: new FakeTimeProvider(DateTimeOffset.UtcNow)));

/// <summary>The app on a real port with Chromium, first started on an empty database (migrations, then the first Super_Admin).</summary>
public sealed class FirstStartBrowserApps() : BrowserApps(provider => new BrowserApp(provider, emptyDatabase: true));

/// <summary>The app on a real port with Chromium that sends its mail to its own SMTP server, on each database.</summary>
public sealed class BrowserMailApps() : BrowserApps(sendsMail: true);
