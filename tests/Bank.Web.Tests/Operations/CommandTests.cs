using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bank.Core.Data;
using Bank.Core.Users;
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

    [Theory, DatabaseData]
    public async Task The_operator_unlocks_a_locked_out_super_admin_from_the_command_line(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var root = await app.SuperAdminAsync();
        var (_, otherId) = await app.ActiveUserAsync(root, "Super_Admin");
        var anonymous = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = otherId, password = "Not-the-password-1" }, TestContext.Current.CancellationToken);
        }

        var locked = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = otherId, password = app.LastPasswords[otherId] }, TestContext.Current.CancellationToken);
        await locked.AssertProblemAsync(System.Net.HttpStatusCode.Unauthorized, "account-locked");

        var (exitCode, output) = await RunAsync(app, ["unlock", otherId]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("is unlocked", output, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId = otherId, password = app.LastPasswords[otherId] }, TestContext.Current.CancellationToken)).StatusCode);
        var (unknownExit, unknownOutput) = await RunAsync(app, ["unlock", "99999999999"]);
        Assert.Equal(1, unknownExit);
        Assert.Contains("No user has the User ID", unknownOutput, StringComparison.Ordinal);
    }

    [Theory, DatabaseData]
    public async Task The_demo_data_command_fills_the_bank_and_prints_users_who_can_sign_in_at_once(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        await app.SuperAdminAsync();

        var (exitCode, output) = await RunAsync(app, ["demo-data", "--customers", "25", "--months", "2", "--seed", "7"]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("Demo users to sign in as", output, StringComparison.Ordinal);
        Assert.Contains("The ledger verifies", output, StringComparison.Ordinal);
        var rows = TableRows(output);
        var users = rows.Where(r => r.Length >= 6 && r[2].Length == 11 && UserId.TryParse(r[2], out _)).ToList();
        var passwords = rows.Where(r => r.Length == 5 && r[2].Length == 16).ToDictionary(r => r[1], r => r[2]);
        Assert.Equal(["Admin", "Customer", "Employee", "Super_Admin"], users.Select(r => r[1]).Distinct().Order());
        Assert.Equal(["Admin", "Customer", "Employee", "Super_Admin"], passwords.Keys.Order());
        var customer = users.First(r => r[1] == "Customer");
        var (customerId, accountNumber) = (customer[2], customer[4]);

        var verify = await RunVerifyAsync(app);
        Assert.True(verify.ExitCode == 0, verify.Output);

        var client = await app.SignInAsync(customerId, passwords["Customer"]);
        var account = await (await client.GetAsync("/api/v1/accounts/me")).JsonAsync();
        Assert.Equal(accountNumber, account["accountNumber"]!.GetValue<string>());
        Assert.True(account["balance"]!.GetValue<decimal>() > 0);
        var transactions = await (await client.GetAsync("/api/v1/transactions")).JsonAsync();
        Assert.NotEmpty(transactions["items"]!.AsArray());
    }

    [Theory, DatabaseData]
    public async Task The_demo_data_command_refuses_an_unknown_option_and_changes_nothing(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var usersBefore = await UserCountAsync(app);

        var (unknownExit, unknownOutput) = await RunAsync(app, ["demo-data", "--customer", "25"]);
        var (exitCode, output) = await RunAsync(app, ["demo-data", "--customers", "lots"]);

        Assert.True(unknownExit == 2, unknownOutput);
        Assert.Contains("Unknown option '--customer'.", unknownOutput, StringComparison.Ordinal);
        Assert.Equal(2, exitCode);
        Assert.Contains("--customers takes a whole number, not 'lots'.", output, StringComparison.Ordinal);
        Assert.Contains("demo-data [--customers N] [--months M] [--seed S]", output, StringComparison.Ordinal);
        Assert.Equal(usersBefore, await UserCountAsync(app));
    }

    [Fact]
    public async Task Help_lists_every_command_and_a_command_its_options_without_a_database()
    {
        // A database that does not exist: help needs none.
        var (exitCode, output) = await BankProcess.RunAsync(DatabaseProvider.Sqlite, "Data Source=/nonexistent/bank.db", ["--help"]);
        var (demoExitCode, demoOutput) = await BankProcess.RunAsync(DatabaseProvider.Sqlite, "Data Source=/nonexistent/bank.db", ["demo-data", "--help"]);

        Assert.True(exitCode == 0, output);
        foreach (var command in (string[])["migrate", "verify-ledger", "demo-data", "backup", "restore", "unlock", "openapi"])
        {
            // The command, then its description on the same line.
            Assert.Matches($@"(?m)^ +{command}\b[^\n]*? {{2,}}\w", output);
        }

        Assert.True(demoExitCode == 0, demoOutput);
        foreach (var option in (string[])["--customers <N>", "--months <M>", "--seed <S>"])
        {
            Assert.Contains(option, demoOutput, StringComparison.Ordinal);
        }
    }

    [Theory]
    [DatabaseData("Database__Provider", "Oracle", "Database:Provider must be one of Sqlite, Postgres, not 'Oracle'.")]
    [DatabaseData("Bank__TimeZone", "Mars/Olympus", "Bank:TimeZone 'Mars/Olympus' is not a known time zone")]
    [DatabaseData("Bootstrap__SuperAdmin__Password", "password1234", "Bootstrap:SuperAdmin:Password breaks the password policy")]
    [DatabaseData("ForwardedHeaders__KnownProxies", "10.0.0.300", "ForwardedHeaders:KnownProxies has '10.0.0.300', which is not an IP address")]
    [DatabaseData("DataProtection__CertificatePath", "/nonexistent/bank-keys.pfx", "DataProtection:CertificatePath '/nonexistent/bank-keys.pfx' does not exist")]
    [DatabaseData("Shutdown__TimeoutSeconds", "0", "Shutdown:TimeoutSeconds must be between 1 and 3600 seconds.")]
    [DatabaseData("Metrics__AllowedNetworks", "127.0.0.0/8, 10.0.0.1/8", "Metrics:AllowedNetworks has '10.0.0.1/8', which is not a CIDR range")]
    [DatabaseData("Metrics__Token", "short-token", "Metrics:Token must be at least 16 characters")]
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

    [Theory, DatabaseData]
    public async Task The_openapi_command_writes_the_document_the_app_serves_without_touching_the_database(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var served = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var file = Path.Combine(Path.GetTempPath(), $"bank-openapi-{Guid.NewGuid():N}", "openapi.json");

        // A database that does not exist: the command needs none.
        var (exitCode, output) = await RunAsync(app, ["openapi", file], ("ConnectionStrings__Bank", "Data Source=/nonexistent/bank.db"));

        Assert.True(exitCode == 0, output);
        var written = JsonNode.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        Assert.True(JsonNode.DeepEquals(served, written), "The document written differs from the one served.");
        Assert.Equal("bearer", written!["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    private static Task<(int ExitCode, string Output)> RunVerifyAsync(BankApp app) => RunAsync(app, ["verify-ledger"]);

    private static async Task<int> UserCountAsync(BankApp app)
    {
        await using var db = app.Database.CreateContext();
        return await db.Users.CountAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The rows of the printed tables: each line split on the tables' borders (Unicode or ASCII), cells trimmed.</summary>
    private static List<string[]> TableRows(string output) =>
        output.Split('\n')
            .Select(line => line.Split('│', '|').Select(cell => cell.Trim()).ToArray())
            .Where(cells => cells.Length > 2)
            .ToList();

    /// <summary>Runs the built app as a process on the app's database, with more settings as environment variables.</summary>
    private static Task<(int ExitCode, string Output)> RunAsync(BankApp app, string[] args, params (string Key, string Value)[] settings) =>
        BankProcess.RunAsync(app.Provider, app.Database.ConnectionString, args, settings);
}
