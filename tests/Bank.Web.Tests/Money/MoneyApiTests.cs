using System.Net;
using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Money;

/// <summary>POST /transactions and /accounts over HTTP: answers, problem types per rejection, idempotency, account status (SPEC §4).</summary>
public sealed class MoneyApiTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task Deposit_withdrawal_and_transfer_answer_201_with_the_line_and_move_exact_paise(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var asha = await app.NewAsync(admin);
        var ravi = await app.NewAsync(admin);

        var deposit = await asha.Client.MoveAsync("""{"type":"credit","amount":0.10,"narration":"first"}""");
        Assert.Equal(HttpStatusCode.Created, deposit.StatusCode);
        var line = await deposit.JsonAsync();
        Assert.Matches("^TXN[A-Z0-9]{12}$", line["transactionId"]!.GetValue<string>());
        Assert.Equal($"/api/v1/transactions/{line["transactionId"]}", deposit.Headers.Location!.OriginalString);
        Assert.Equal("credit", line["type"]!.GetValue<string>());
        Assert.Equal(0.10m, line["amount"]!.GetValue<decimal>());
        Assert.Equal(0.10m, line["balanceAfter"]!.GetValue<decimal>());
        Assert.Equal("first", line["narration"]!.GetValue<string>());
        Assert.Equal("api", line["channel"]!.GetValue<string>());
        Assert.True(line["createdAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddMinutes(-5));

        Assert.Equal(HttpStatusCode.Created, (await asha.Client.MoveAsync("""{"type":"credit","amount":0.20}""")).StatusCode);
        Assert.Equal(0.30m, await asha.BalanceAsync());
        await asha.DepositAsync(749.50m);
        var withdrawal = await (await asha.Client.MoveAsync("""{"type":"debit","amount":49.80}""")).JsonAsync();
        Assert.Equal(700.00m, withdrawal["balanceAfter"]!.GetValue<decimal>());
        Assert.Contains("\"balanceAfter\":700.00", withdrawal.ToJsonString(), StringComparison.Ordinal);

        var transfer = await asha.Client.MoveAsync($$"""{"type":"transfer","amount":250.05,"toAccountNumber":"{{ravi.AccountNumber}}","narration":"rent"}""");
        Assert.Equal(HttpStatusCode.Created, transfer.StatusCode);
        var sent = await transfer.JsonAsync();
        Assert.Equal("out", sent["direction"]!.GetValue<string>());
        Assert.Equal(ravi.AccountNumber, sent["counterpartyAccountNumber"]!.GetValue<string>());
        Assert.Equal(449.95m, await asha.BalanceAsync());
        Assert.Equal(250.05m, await ravi.BalanceAsync());

        var received = (await (await ravi.Client.GetAsync("/api/v1/transactions")).JsonAsync())["items"]!.AsArray().Single()!;
        Assert.Equal("in", received["direction"]!.GetValue<string>());
        Assert.Equal(asha.AccountNumber, received["counterpartyAccountNumber"]!.GetValue<string>());
        // The recipient is not told the sender's User ID (it is the sender's sign-in name).
        Assert.Null(received["initiatedBy"]);
    }

    public static TheoryData<string, string, HttpStatusCode> Rejections => new()
    {
        { """{"type":"debit","amount":0}""", "invalid-amount", HttpStatusCode.BadRequest },
        { """{"type":"debit","amount":-5}""", "invalid-amount", HttpStatusCode.BadRequest },
        { """{"type":"debit","amount":1.001}""", "invalid-amount", HttpStatusCode.BadRequest },
        { """{"type":"debit","amount":"10"}""", "invalid-amount", HttpStatusCode.BadRequest },
        { """{"type":"debit","amount":1e400}""", "invalid-amount", HttpStatusCode.BadRequest },
        { """{"type":"debit"}""", "invalid-amount", HttpStatusCode.BadRequest },
        { """{"type":"credit","amount":1000000.01}""", "limit-exceeded", HttpStatusCode.UnprocessableEntity },
        { """{"type":"debit","amount":100.01}""", "insufficient-funds", HttpStatusCode.UnprocessableEntity },
        { """{"type":"refund","amount":1}""", "validation", HttpStatusCode.BadRequest },
        { """{"type":"transfer","amount":1}""", "validation", HttpStatusCode.BadRequest },
        { """{"type":"credit","amount":1,"toAccountNumber":"500100000011"}""", "validation", HttpStatusCode.BadRequest },
        { """{"type":"credit","amount":1,"narration":"NARRATION"}""", "validation", HttpStatusCode.BadRequest },
        { """{"type":"transfer","amount":1,"toAccountNumber":"500100000012"}""", "invalid-account-number", HttpStatusCode.BadRequest },
        { """{"type":"transfer","amount":1,"toAccountNumber":"12345"}""", "invalid-account-number", HttpStatusCode.BadRequest },
        { """{"type":"transfer","amount":1,"toAccountNumber":"UNKNOWN"}""", "unknown-account", HttpStatusCode.UnprocessableEntity },
        { """{"type":"transfer","amount":1,"toAccountNumber":"OWN"}""", "same-account", HttpStatusCode.UnprocessableEntity },
        { """{"type":"transfer","amount":1,"toAccountNumber":"CASH"}""", "unknown-account", HttpStatusCode.UnprocessableEntity },
    };

    [Theory]
    [DatabaseData(MemberName = nameof(Rejections))]
    public async Task Each_rejection_has_its_own_problem_type_and_changes_nothing(DatabaseProvider provider, string json, string type, HttpStatusCode status)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);
        await customer.DepositAsync(100m);
        json = json.Replace("NARRATION", new string('n', 141), StringComparison.Ordinal)
            .Replace("UNKNOWN", AccountNumber.FromBody(59999999999), StringComparison.Ordinal)
            .Replace("OWN", customer.AccountNumber, StringComparison.Ordinal)
            .Replace("CASH", BankAccounts.CashAccountNumber, StringComparison.Ordinal);
        var before = await BooksAsync(app);

        var response = await customer.Client.MoveAsync(json);

        var problem = await response.AssertProblemAsync(status, type);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        if (type is "invalid-amount" or "limit-exceeded")
        {
            Assert.Contains("amount", problem.ErrorFields());
        }

        Assert.Equal(before, await BooksAsync(app));
        Assert.Equal(100m, await customer.BalanceAsync());
    }

    [Theory, DatabaseData]
    public async Task Frozen_and_closed_accounts_cannot_move_money_and_only_an_empty_account_closes(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var owner = await app.NewAsync(admin);
        var other = await app.NewAsync(admin);
        await owner.DepositAsync(10m);

        var frozen = await admin.PatchJsonAsync($"/api/v1/accounts/{owner.AccountNumber}", new { status = "Frozen" });
        Assert.Equal(HttpStatusCode.OK, frozen.StatusCode);
        Assert.Equal("Frozen", (await frozen.JsonAsync())["status"]!.GetValue<string>());
        var before = await BooksAsync(app);
        await (await owner.Client.MoveAsync("""{"type":"debit","amount":1}""")).AssertProblemAsync(HttpStatusCode.Conflict, "account-frozen");
        await (await owner.Client.MoveAsync("""{"type":"credit","amount":1}""")).AssertProblemAsync(HttpStatusCode.Conflict, "account-frozen");
        await (await other.Client.MoveAsync($$"""{"type":"transfer","amount":1,"toAccountNumber":"{{owner.AccountNumber}}"}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "insufficient-funds");
        await other.DepositAsync(5m);
        before = await BooksAsync(app);
        var toFrozen = await (await other.Client.MoveAsync($$"""{"type":"transfer","amount":1,"toAccountNumber":"{{owner.AccountNumber}}"}"""))
            .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unknown-account");
        Assert.Contains("cannot receive transfers", toFrozen["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await BooksAsync(app));

        Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync($"/api/v1/accounts/{owner.AccountNumber}", new { status = "Active" })).StatusCode);
        await (await admin.PatchJsonAsync($"/api/v1/accounts/{owner.AccountNumber}", new { status = "Closed" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "account-not-empty");
        Assert.Equal(HttpStatusCode.Created, (await owner.Client.MoveAsync("""{"type":"debit","amount":10}""")).StatusCode);
        var closed = await admin.PatchJsonAsync($"/api/v1/accounts/{owner.AccountNumber}", new { status = "Closed" });
        Assert.Equal("Closed", (await closed.JsonAsync())["status"]!.GetValue<string>());
        await (await owner.Client.MoveAsync("""{"type":"credit","amount":1}""")).AssertProblemAsync(HttpStatusCode.Conflict, "account-closed");
        await (await admin.PatchJsonAsync($"/api/v1/accounts/{owner.AccountNumber}", new { status = "Active" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "account-closed");
        await (await admin.PatchJsonAsync($"/api/v1/accounts/{owner.AccountNumber}", new { status = "Gone" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation");

        await using var db = app.Database.CreateContext();
        var audit = await db.AuditEvents.Where(a => a.Action == "account.status-changed").Select(a => a.Details).ToListAsync();
        Assert.Contains($"{owner.AccountNumber}: Active -> Frozen", audit);
        Assert.Contains($"{owner.AccountNumber}: Active -> Closed", audit);
        var moves = await db.AuditEvents.CountAsync(a => a.Action == "money.moved" && a.TargetUserId == long.Parse(owner.UserId));
        Assert.Equal(2, moves);
    }

    [Theory, DatabaseData]
    public async Task A_repeated_idempotency_key_returns_the_first_answer_and_another_body_is_422(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);
        var key = Guid.NewGuid().ToString();

        var first = await customer.Client.MoveAsync("""{"type":"credit","amount":500.25,"narration":"salary"}""", key);
        var again = await customer.Client.MoveAsync("""{ "narration": "salary", "amount": 500.250, "type": "credit" }""", key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(500.25m, await customer.BalanceAsync());

        var other = await customer.Client.MoveAsync("""{"type":"credit","amount":500.26,"narration":"salary"}""", key);
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-conflict");
        Assert.Equal(500.25m, await customer.BalanceAsync());

        // Keys belong to a user: another customer may use the same key for their own request.
        var stranger = await app.NewAsync(admin);
        Assert.Equal(HttpStatusCode.Created, (await stranger.Client.MoveAsync("""{"type":"credit","amount":1}""", key)).StatusCode);

        var tooLong = await customer.Client.MoveAsync("""{"type":"credit","amount":1}""", new string('k', 256));
        Assert.Contains("Idempotency-Key", (await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
    }

    [Theory, DatabaseData]
    public async Task Twenty_concurrent_requests_with_one_key_move_money_once(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);
        await customer.DepositAsync(1000m);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => customer.Client.MoveAsync("""{"type":"debit","amount":100}""", key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.JsonAsync())["transactionId"]!.GetValue<string>()));
        Assert.Single(ids.Distinct());
        Assert.Equal(19, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(900m, await customer.BalanceAsync());
        await using var db = app.Database.CreateContext();
        Assert.Equal(1, await db.LedgerTransactions.CountAsync(t => t.TransactionId == ids[0]));
    }

    [Theory, DatabaseData]
    public async Task Malformed_json_and_wrong_content_type_are_400_and_415_and_move_nothing(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);
        var before = await BooksAsync(app);

        await (await customer.Client.MoveAsync("""{"type":"credit","amount":""")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await customer.Client.MoveAsync("""{"type":5,"amount":1}""")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var form = await customer.Client.PostAsync("/api/v1/transactions", new FormUrlEncodedContent([new("type", "credit"), new("amount", "1")]));
        await form.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, await BooksAsync(app));
    }

    [Theory, DatabaseData]
    public async Task The_ledger_verifies_for_the_super_admin_only(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);
        await customer.DepositAsync(10m);
        var (employee, _) = await app.ActiveUserAsync(admin, "Employee");
        var (otherAdmin, _) = await app.ActiveUserAsync(admin, "Admin");

        var report = await (await admin.GetAsync("/api/v1/ledger/verify")).JsonAsync();
        Assert.True(report["ok"]!.GetValue<bool>());
        Assert.True(report["accounts"]!.GetValue<int>() >= 2);
        Assert.True(report["entries"]!.GetValue<long>() >= 2);
        Assert.Empty(report["problems"]!.AsArray());
        await (await otherAdmin.GetAsync("/api/v1/ledger/verify")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await employee.GetAsync("/api/v1/ledger/verify")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.Client.GetAsync("/api/v1/ledger/verify")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    private static async Task<(long Sum, int Transactions, int Entries, string Balances)> BooksAsync(BankApp app)
    {
        await using var db = app.Database.CreateContext();
        var balances = await db.Accounts.OrderBy(a => a.Id).Select(a => a.BalancePaise).ToListAsync();
        return (balances.Sum(), await db.LedgerTransactions.CountAsync(), await db.LedgerEntries.CountAsync(), string.Join(',', balances));
    }
}

