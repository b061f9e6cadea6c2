using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Bank.Web.Tests.Browser.Chromium))]

namespace Bank.Web.Tests.Browser;

/// <summary>
/// One headless Chromium for the whole test run (Debian's, never a downloaded browser), launched at the first browser
/// test and closed after the last (an assembly fixture). Each test opens contexts of its own in it, so tests share no
/// cookies or storage; launching a browser per class cost a second or two each and a process per class and database.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> Shared = new(LaunchAsync);

    /// <summary>The run's browser, launched on first use.</summary>
    public static async Task<IBrowser> BrowserAsync() => (await Shared.Value).Browser;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            var (playwright, browser) = Shared.Value.Result;
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ExecutablePath}: install the Debian package 'chromium' (bash test.sh does this). Browser tests cannot be skipped.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        return (playwright, browser);
    }
}
