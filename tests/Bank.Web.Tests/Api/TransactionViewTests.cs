using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Api;

/// <summary>Statements and searches, isolation between customers, CSV export, live balance, the verify-ledger command (SPEC §4–5).</summary>
public abstract class TransactionViewTests(BankApp app)
{
    [Fact]
    public async Task A_customer_sees_only_their_own_lines_newest_first_across_keyset_pages()
    {
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);
        for (var i = 1; i <= 5; i++)
        {
            await asha.DepositAsync(i);
        }

        await ravi.DepositAsync(99m);
        var pages = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var url = "/api/v1/transactions?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await (await asha.Client.GetAsync(url)).JsonAsync();
            pages.Add(page);
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        var amounts = pages.SelectMany(p => p["items"]!.AsArray()).Select(l => l!["amount"]!.GetValue<decimal>()).ToList();
        Assert.Equal([5m, 4m, 3m, 2m, 1m], amounts);
        Assert.Equal(3, pages.Count);
        Assert.All(pages.SelectMany(p => p["items"]!.AsArray()), l => Assert.Equal(asha.AccountNumber, l!["accountNumber"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_customer_cannot_read_or_move_another_customers_money_through_any_id()
    {
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);
        var ashaLine = await asha.DepositAsync(50m);
        var ashaTxn = ashaLine["transactionId"]!.GetValue<string>();

        await (await ravi.Client.GetAsync($"/api/v1/transactions/{ashaTxn}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("userId", (await (await ravi.Client.GetAsync($"/api/v1/transactions?userId={asha.UserId}")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Contains("accountNumber", (await (await ravi.Client.GetAsync($"/api/v1/transactions?accountNumber={asha.AccountNumber}")).AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Empty((await (await ravi.Client.GetAsync($"/api/v1/transactions?transactionId={ashaTxn}")).JsonAsync())["items"]!.AsArray());
        var export = await (await ravi.Client.GetAsync($"/api/v1/transactions/export?transactionId={ashaTxn}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(ashaTxn, export, StringComparison.Ordinal);
        await (await ravi.Client.PatchJsonAsync($"/api/v1/accounts/{asha.AccountNumber}", new { status = "Frozen" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await ravi.Client.GetAsync($"/api/v1/users/{asha.UserId}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        // The body names no source account: a debit always comes from the caller's own account.
        var spoof = await ravi.Client.MoveAsync($$"""{"type":"debit","amount":10,"accountNumber":"{{asha.AccountNumber}}","userId":"{{asha.UserId}}"}""");
        await spoof.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient-funds");
        Assert.Equal(50m, await asha.BalanceAsync());

        var own = await (await asha.Client.GetAsync($"/api/v1/transactions/{ashaTxn}")).JsonAsync();
        Assert.Single(own["lines"]!.AsArray());
    }

    [Fact]
    public async Task Staff_read_every_customer_with_filters_and_an_employee_cannot_move_money()
    {
        var admin = await app.SuperAdminAsync();
        var (employee, _) = await app.ActiveUserAsync(admin, "Employee");
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);
        await asha.DepositAsync(1000m);
        var transfer = await (await asha.Client.MoveAsync($$"""{"type":"transfer","amount":250.50,"toAccountNumber":"{{ravi.AccountNumber}}"}""")).JsonAsync();
        await ravi.Client.MoveAsync("""{"type":"debit","amount":0.50}""");
        var txn = transfer["transactionId"]!.GetValue<string>();

        var both = await (await employee.GetAsync($"/api/v1/transactions/{txn}")).JsonAsync();
        Assert.Equal(2, both["lines"]!.AsArray().Count);
        Assert.Equal(asha.UserId, both["initiatedBy"]!.GetValue<string>());

        async Task<List<JsonNode>> ItemsAsync(string query) =>
            (await (await employee.GetAsync("/api/v1/transactions?" + query)).JsonAsync())["items"]!.AsArray().Select(n => n!).ToList();

        Assert.Equal(2, (await ItemsAsync($"userId={asha.UserId}")).Count);
        Assert.Equal(2, (await ItemsAsync($"accountNumber={ravi.AccountNumber}")).Count);
        Assert.Equal(2, (await ItemsAsync($"transactionId={txn.ToLowerInvariant()}")).Count);
        Assert.All(await ItemsAsync($"userId={ravi.UserId}&type=debit"), l => Assert.Equal("debit", l["type"]!.GetValue<string>()));
        Assert.Equal([250.50m, 250.50m], (await ItemsAsync($"minAmount=250.50&maxAmount=250.50")).Where(l => l["transactionId"]!.GetValue<string>() == txn).Select(l => l["amount"]!.GetValue<decimal>()));
        Assert.Single(await ItemsAsync($"userId={ravi.UserId}&maxAmount=1"));
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(5.5)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(2, (await ItemsAsync($"userId={ravi.UserId}&from={today}&to={today}")).Count);
        Assert.Empty(await ItemsAsync($"userId={ravi.UserId}&from=2000-01-01&to=2000-01-02"));

        await (await employee.MoveAsync("""{"type":"credit","amount":1}""")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.MoveAsync("""{"type":"credit","amount":1}""")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await employee.PatchJsonAsync($"/api/v1/accounts/{ravi.AccountNumber}", new { status = "Frozen" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await employee.GetAsync("/api/v1/accounts/me")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(749.50m, await asha.BalanceAsync());
        Assert.Equal(250.00m, await ravi.BalanceAsync());
    }

    [Theory]
    [InlineData("type=refund", "type")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-02-01&to=2026-01-01", "to")]
    [InlineData("minAmount=abc", "minAmount")]
    [InlineData("maxAmount=1.001", "maxAmount")]
    [InlineData("minAmount=10&maxAmount=5", "maxAmount")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("transactionId=12345", "transactionId")]
    [InlineData("accountNumber=500100000012", "accountNumber")]
    [InlineData("userId=abc", "userId")]
    public async Task A_bad_filter_is_400_naming_the_field(string query, string field)
    {
        var admin = await app.SuperAdminAsync();
        var response = await admin.GetAsync("/api/v1/transactions?" + query);
        Assert.Contains(field, (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        if (field != "limit")
        {
            // The export takes the same filters (it has no page size).
            var export = await admin.GetAsync("/api/v1/transactions/export?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, export.StatusCode);
        }
    }

    [Fact]
    public async Task The_export_is_csv_of_the_whole_filter_with_iso_dates_and_dotted_amounts()
    {
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        for (var i = 0; i < 30; i++)
        {
            await asha.DepositAsync(1000.5m + i);
        }

        await asha.Client.MoveAsync("""{"type":"debit","amount":12.30,"narration":"=HYPERLINK(\"x\"), \"quoted\""}""");

        var response = await asha.Client.GetAsync("/api/v1/transactions/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("transactionId,createdAt,type,direction,amount,balanceAfter,accountNumber", rows[0], StringComparison.Ordinal);
        Assert.Equal(32, rows.Length);
        Assert.Matches(@"^TXN[A-Z0-9]{12},\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,debit,out,12\.30,", rows[1]);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\"", rows[1], StringComparison.Ordinal);
        Assert.Contains(",credit,in,1000.50,1000.50,", rows[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Balance_updates_reach_the_receivers_open_connection_and_no_one_else()
    {
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);
        var meera = await app.NewAsync(admin);
        await asha.DepositAsync(100m);
        var raviUpdates = new List<JsonObject>();
        var meeraUpdates = new List<JsonObject>();
        var received = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var raviHub = Connect(ravi);
        await using var meeraHub = Connect(meera);
        raviHub.On<JsonObject>("balanceChanged", u =>
        {
            raviUpdates.Add(u);
            received.TrySetResult(u);
        });
        meeraHub.On<JsonObject>("balanceChanged", meeraUpdates.Add);
        await raviHub.StartAsync(TestContext.Current.CancellationToken);
        await meeraHub.StartAsync(TestContext.Current.CancellationToken);

        await asha.Client.MoveAsync($$"""{"type":"transfer","amount":40.25,"toAccountNumber":"{{ravi.AccountNumber}}","narration":"lunch"}""");

        var update = await received.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(40.25m, update["balance"]!.GetValue<decimal>());
        Assert.Equal("in", update["line"]!["direction"]!.GetValue<string>());
        Assert.Equal("lunch", update["line"]!["narration"]!.GetValue<string>());
        Assert.Equal(asha.AccountNumber, update["line"]!["counterpartyAccountNumber"]!.GetValue<string>());
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(raviUpdates);
        Assert.Empty(meeraUpdates);

        // Staff have no balance to watch: the hub is for customers.
        await using var staffHub = Connect(token: Token(admin));
        await Assert.ThrowsAnyAsync<Exception>(() => staffHub.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_verify_ledger_command_exits_zero_on_good_books_and_one_naming_the_account_when_a_balance_is_tampered_with()
    {
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        await asha.DepositAsync(10m);

        var good = await RunVerifyAsync();
        Assert.True(good.ExitCode == 0, good.Output);
        Assert.Contains("verifies", good.Output, StringComparison.Ordinal);

        await using (var db = app.Database.CreateContext())
        {
            await db.Accounts.Where(a => a.AccountNumber == asha.AccountNumber)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.BalancePaise, a => a.BalancePaise + 1), TestContext.Current.CancellationToken);
        }

        var bad = await RunVerifyAsync();
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

    private async Task<(int ExitCode, string Output)> RunVerifyAsync()
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

    private HubConnection Connect(Customer? customer = null, string? token = null)
    {
        var bearer = token ?? Token(customer!.Client);
        return new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/balance"), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(bearer);
            })
            .Build();
    }

    private static string Token(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;
}

public sealed class TransactionViewTests_Sqlite(SqliteApp app) : TransactionViewTests(app), IClassFixture<SqliteApp>;

public sealed class TransactionViewTests_Postgres(PostgresApp app) : TransactionViewTests(app), IClassFixture<PostgresApp>;
