using System.Diagnostics;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Operations;

/// <summary>The published app as a process: its command-line verbs (<c>Bank.Web verify-ledger</c>) on the app's database, and its start.</summary>
public sealed class CommandTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task The_verify_ledger_command_exits_zero_on_good_books_and_one_naming_the_account_when_a_balance_is_tampered_with(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        await asha.DepositAsync(10m);

        var good = await RunVerifyAsync(app);
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("verifies", good.Output, StringComparison.Ordinal);

        await using (var db = app.Database.CreateContext())
        {
            await db.Accounts.Where(a => a.AccountNumber == asha.AccountNumber)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.BalancePaise, a => a.BalancePaise + 1), TestContext.Current.CancellationToken);
        }

        var bad = await RunVerifyAsync(app);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains(asha.AccountNumber, bad.Output, StringComparison.Ordinal);
        var report = await (await admin.GetAsync("/api/v1/ledger/verify")).JsonAsync();
        Assert.False(report["ok"]!.GetValue<bool>());

        await using (var db = app.Database.CreateContext())
        {
            await db.Accounts.Where(a => a.AccountNumber == asha.AccountNumber)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.BalancePaise, a => a.BalancePaise - 1), TestContext.Current.CancellationToken);
        }
    }

    [Theory]
    [DatabaseData("Database__Provider", "Oracle", "Database:Provider must be one of Sqlite, Postgres, not 'Oracle'.")]
    [DatabaseData("Bank__TimeZone", "Mars/Olympus", "Bank:TimeZone 'Mars/Olympus' is not a known time zone")]
    [DatabaseData("Bootstrap__SuperAdmin__Password", "password1234", "Bootstrap:SuperAdmin:Password breaks the password policy")]
    public async Task A_setting_that_breaks_its_rule_stops_the_start_with_the_rule_and_no_stack_trace(
        DatabaseProvider provider, string key, string value, string rule)
    {
        var app = await apps.ForAsync(provider);

        var (exitCode, output) = await RunAsync(app, [], (key, value));

        Assert.Equal(1, exitCode);
        Assert.Contains("The bank cannot start", output, StringComparison.Ordinal);
        Assert.Contains(rule, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string Output)> RunVerifyAsync(BankApp app) => RunAsync(app, ["verify-ledger"]);

    /// <summary>Runs the built app as a process on the app's database, with more settings as environment variables.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(BankApp app, string[] args, params (string Key, string Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("bank-process-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Database__Provider"] = app.Provider.ToString();
        start.Environment["ConnectionStrings__Bank"] = app.Database.ConnectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            return (process.ExitCode, await output + await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                // A start that should have stopped kept running: end it, the test has failed already.
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}
