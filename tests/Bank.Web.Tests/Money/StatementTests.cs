using System.Net;
using System.Text.Json.Nodes;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Money;

/// <summary>Statements and searches, isolation between customers, CSV export (SPEC §4–5).</summary>
public sealed class StatementTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task A_customer_sees_only_their_own_lines_newest_first_across_keyset_pages(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
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

    [Theory, DatabaseData]
    public async Task A_customer_cannot_read_or_move_another_customers_money_through_any_id(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
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

        // The body names no source account: a debit always comes from the caller's own account, and members a movement
        // does not have are refused, not ignored.
        var spoof = await ravi.Client.MoveAsync($$"""{"type":"debit","amount":10,"accountNumber":"{{asha.AccountNumber}}","userId":"{{asha.UserId}}"}""");
        Assert.Equal(["accountNumber"], (await spoof.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(50m, await asha.BalanceAsync());

        var own = await (await asha.Client.GetAsync($"/api/v1/transactions/{ashaTxn}")).JsonAsync();
        Assert.Single(own["lines"]!.AsArray());
    }

    [Theory, DatabaseData]
    public async Task Staff_read_every_customer_with_filters_and_an_employee_cannot_move_money(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
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

        // A transfer's two lines share their time: one line a page, the second page is the tie after the cursor.
        var first = await (await employee.GetAsync($"/api/v1/transactions?transactionId={txn}&limit=1")).JsonAsync();
        var next = first["nextCursor"]!.GetValue<string>();
        var second = await (await employee.GetAsync($"/api/v1/transactions?transactionId={txn}&limit=1&cursor={Uri.EscapeDataString(next)}")).JsonAsync();
        var sides = first["items"]!.AsArray().Concat(second["items"]!.AsArray()).Select(l => l!["accountNumber"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { asha.AccountNumber, ravi.AccountNumber }.Order(StringComparer.Ordinal), sides.Order(StringComparer.Ordinal));
        Assert.Null(second["nextCursor"]);
        Assert.Equal(first["items"]![0]!["createdAt"]!.GetValue<string>(), second["items"]![0]!["createdAt"]!.GetValue<string>());
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
    [DatabaseData("type=refund", "type")]
    [DatabaseData("from=yesterday", "from")]
    [DatabaseData("to=2026-13-01", "to")]
    [DatabaseData("from=2026-02-01&to=2026-01-01", "to")]
    [DatabaseData("minAmount=abc", "minAmount")]
    [DatabaseData("maxAmount=1.001", "maxAmount")]
    [DatabaseData("minAmount=10&maxAmount=5", "maxAmount")]
    [DatabaseData("limit=0", "limit")]
    [DatabaseData("limit=100000", "limit")]
    [DatabaseData("limit=abc", "limit")]
    [DatabaseData("cursor=not-a-cursor", "cursor")]
    [DatabaseData("transactionId=12345", "transactionId")]
    [DatabaseData("accountNumber=500100000012", "accountNumber")]
    [DatabaseData("userId=abc", "userId")]
    [DatabaseData("to=9999-12-31", "to")]
    [DatabaseData("from=0001-01-01", "from")]
    [DatabaseData("to=9999-12-31T23:59:59.9999999Z", "to")]
    [DatabaseData("from=0001-01-01T00:00:00Z", "from")]
    public async Task A_bad_filter_is_400_naming_the_field(DatabaseProvider provider, string query, string field)
    {
        var app = await apps.ForAsync(provider);
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

    [Theory, DatabaseData]
    public async Task The_transactions_page_answers_dates_out_of_range_with_the_rule_not_an_error_page(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        await app.SuperAdminAsync();
        var browser = new CookieClient(app);
        await browser.SignInAsync(BankApp.SuperAdminId, BankApp.SuperAdminPassword);

        foreach (var query in new[] { "to=9999-12-31", "from=0001-01-01", "to=9999-12-31T23:59:59.9999999Z" })
        {
            var page = await browser.Client.GetAsync("/Transactions?" + query);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Must be between 2000-01-01 and 9998-12-31.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory, DatabaseData]
    public async Task The_export_is_csv_of_the_whole_filter_with_iso_dates_and_dotted_amounts(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
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
        Assert.Matches(@"^TXN[A-Z0-9]{12},\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30,debit,out,12\.30,", rows[1]);
        Assert.Contains("\"'=HYPERLINK(\"\"x\"\"), \"\"quoted\"\"\"", rows[1], StringComparison.Ordinal);
        Assert.Contains(",credit,in,1000.50,1000.50,", rows[^1], StringComparison.Ordinal);
    }
}
