using System.Diagnostics;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Operations;

/// <summary>The command-line verbs of the published app (<c>Bank.Web verify-ledger</c>), run as a real process on the app's database.</summary>
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

    private static async Task<(int ExitCode, string Output)> RunVerifyAsync(BankApp app)
    {
        var folder = Directory.CreateTempSubdirectory("bank-verify-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add("verify-ledger");
        start.Environment["Database__Provider"] = app.Provider.ToString();
        start.Environment["ConnectionStrings__Bank"] = app.Database.ConnectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Directory.Delete(folder, recursive: true);
        return (process.ExitCode, await output + await error);
    }
}
