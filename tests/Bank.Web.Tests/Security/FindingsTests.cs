using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Bank.Web.Tests.Security;

/// <summary>The security review's findings (issue 11), one black-box test each, through the public API.</summary>
public sealed class FindingsTests(BankApps apps) : IClassFixture<BankApps>
{
    [Theory, DatabaseData]
    public async Task Finding_1_parallel_sign_ins_cannot_race_a_right_password_past_the_lock(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, userId) = await app.ActiveUserAsync(admin, "Customer");
        var password = app.LastPasswords[userId];

        var answers = await Task.WhenAll(Enumerable.Range(0, 14).Select(i => app.CreateClient()
            .PostAsJsonAsync("/api/v1/auth/login", new { userId, password = i == 6 ? password : "Not-the-password-1" }, TestContext.Current.CancellationToken)));

        Assert.InRange(answers.Count(a => a.StatusCode == HttpStatusCode.OK), 0, 1);
        var after = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId, password }, TestContext.Current.CancellationToken);
        await after.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
    }

    [Theory, DatabaseData]
    public async Task Finding_2_guesses_during_a_lock_neither_reveal_the_password_nor_extend_the_lock(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (_, userId) = await app.ActiveUserAsync(admin, "Customer");
        var anonymous = app.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password = "Not-the-password-1" }, TestContext.Current.CancellationToken);
        }

        var lockedUntil = (await (await admin.GetAsync($"/api/v1/users/{userId}")).JsonAsync())["lockedUntil"]!.GetValue<DateTimeOffset>();
        for (var i = 0; i < 10; i++)
        {
            var guess = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password = $"Guess-number-{i}x" }, TestContext.Current.CancellationToken);
            await guess.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        }

        var right = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password = app.LastPasswords[userId] }, TestContext.Current.CancellationToken);
        await right.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        Assert.Equal(lockedUntil, (await (await admin.GetAsync($"/api/v1/users/{userId}")).JsonAsync())["lockedUntil"]!.GetValue<DateTimeOffset>());
    }

    [Theory, DatabaseData]
    public async Task Finding_4_extreme_dates_are_400s_naming_the_field_on_the_list_the_export_and_the_page(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        foreach (var path in new[] { "/api/v1/transactions", "/api/v1/transactions/export" })
        {
            foreach (var (query, field) in new[] { ("to=9999-12-31", "to"), ("from=0001-01-01", "from"), ("to=9999-12-31T23:59:59.9999999Z", "to") })
            {
                var problem = await (await admin.GetAsync($"{path}?{query}", TestContext.Current.CancellationToken)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
                Assert.Equal([field], problem.ErrorFields());
            }
        }

        var browser = new CookieClient(app);
        await browser.SignInAsync(BankApp.SuperAdminId, BankApp.SuperAdminPassword);
        var page = await browser.Client.GetAsync("/Transactions?to=9999-12-31", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Must be between 2000-01-01 and 9998-12-31.", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory, DatabaseData]
    public async Task Finding_5_wrong_current_passwords_count_toward_the_lockout_are_audited_and_the_lock_ends_the_session(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);
        for (var i = 0; i < 4; i++)
        {
            var wrong = await customer.Client.PostAsJsonAsync("/api/v1/auth/change-password", new { currentPassword = $"Guess-number-{i}x", newPassword = TestUsers.StrongPassword() }, TestContext.Current.CancellationToken);
            Assert.Equal(["currentPassword"], (await wrong.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).ErrorFields());
        }

        var fifth = await customer.Client.PostAsJsonAsync("/api/v1/auth/change-password", new { currentPassword = "Guess-number-5x", newPassword = TestUsers.StrongPassword() }, TestContext.Current.CancellationToken);

        await fifth.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.Client.GetAsync("/api/v1/accounts/me")).StatusCode);
        var signIn = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userId = customer.UserId, password = app.LastPasswords[customer.UserId] }, TestContext.Current.CancellationToken);
        await signIn.AssertProblemAsync(HttpStatusCode.Unauthorized, "account-locked");
        await using var db = app.Database.CreateContext();
        var id = long.Parse(customer.UserId, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(5, await db.AuditEvents.CountAsync(a => a.Action == Core.Audit.AuditActions.PasswordChangeFailed && a.TargetUserId == id, TestContext.Current.CancellationToken));
    }

    [Theory, DatabaseData]
    public async Task Finding_6_a_body_with_a_repeated_or_unknown_member_is_refused_naming_it_and_moves_no_money(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);

        var repeated = await customer.Client.MoveAsync("""{"type":"credit","amount":1,"amount":2}""");
        var unknown = await customer.Client.MoveAsync("""{"type":"credit","amount":1,"evil":true}""");
        var user = TestUsers.NewUser("Customer");
        ((Dictionary<string, object?>)user["address"]!)["zip"] = "411001";
        var nested = await admin.PostAsJsonAsync("/api/v1/users", user, TestContext.Current.CancellationToken);

        Assert.Equal(["amount"], (await repeated.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(["evil"], (await unknown.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(["address.zip"], (await nested.AssertProblemAsync(HttpStatusCode.BadRequest)).ErrorFields());
        Assert.Equal(0m, await customer.BalanceAsync());
    }

    [Theory, DatabaseData]
    public async Task Finding_7_a_transfer_gets_one_refusal_whatever_state_the_receiving_account_is_in(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var payer = await app.NewAsync(admin);
        await payer.DepositAsync(100m);
        var frozen = await app.NewAsync(admin);
        var closed = await app.NewAsync(admin);
        var suspended = await app.NewAsync(admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync($"/api/v1/accounts/{frozen.AccountNumber}", new { status = "Frozen" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync($"/api/v1/accounts/{closed.AccountNumber}", new { status = "Closed" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync($"/api/v1/users/{suspended.UserId}", new { status = "Suspended" })).StatusCode);
        var unknown = Core.Accounts.AccountNumber.FromBody(Core.Accounts.AccountNumber.FirstBody + 9_000_000);

        var answers = new List<string>();
        foreach (var to in new[] { unknown, frozen.AccountNumber, closed.AccountNumber, suspended.AccountNumber })
        {
            var problem = await (await payer.Client.MoveAsync($$"""{"type":"transfer","amount":1,"toAccountNumber":"{{to}}"}"""))
                .AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "unknown-account");
            problem.Remove("traceId");
            problem.Remove("instance");
            answers.Add(problem.ToJsonString());
        }

        Assert.Single(answers.Distinct());
        Assert.Contains("cannot receive transfers", answers[0], StringComparison.Ordinal);
        Assert.Equal(100m, await payer.BalanceAsync());
    }

    [Theory, DatabaseData]
    public async Task Finding_8_a_customer_with_an_open_account_cannot_be_made_staff_until_it_is_closed(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customer = await app.NewAsync(admin);

        var refused = await admin.PatchJsonAsync($"/api/v1/users/{customer.UserId}", new { role = "Employee" });

        await refused.AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchJsonAsync($"/api/v1/accounts/{customer.AccountNumber}", new { status = "Closed" })).StatusCode);
        var changed = await admin.PatchJsonAsync($"/api/v1/users/{customer.UserId}", new { role = "Employee" });
        Assert.Equal("Employee", (await changed.JsonAsync())["role"]!.GetValue<string>());
    }

    [Theory, DatabaseData]
    public async Task Finding_9_the_live_hub_refuses_a_page_of_another_origin(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var customer = await app.NewAsync(await app.SuperAdminAsync());

        async Task<HttpResponseMessage> Negotiate(string? origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/balance/negotiate?negotiateVersion=1");
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            return await customer.Client.SendAsync(request, TestContext.Current.CancellationToken);
        }

        await (await Negotiate("https://evil.example")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await Negotiate("null")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using var upgrade = new HttpRequestMessage(HttpMethod.Get, "/hubs/balance?id=any");
        upgrade.Headers.Add("Origin", "https://localhost.evil.example");
        await (await customer.Client.SendAsync(upgrade, TestContext.Current.CancellationToken)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await Negotiate("https://localhost")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Negotiate(null)).StatusCode);
    }

    [Fact]
    public async Task Finding_11_the_openapi_document_says_how_to_authenticate_names_every_operation_and_lists_its_problems()
    {
        var app = await apps.ForAsync(DatabaseProvider.Sqlite);
        var document = System.Text.Json.Nodes.JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken))!;

        var schemes = document["components"]!["securitySchemes"]!.AsObject();
        Assert.Contains(schemes, s => s.Value!["type"]!.GetValue<string>() == "http" && s.Value["scheme"]!.GetValue<string>() == "bearer");
        Assert.Contains(schemes, s => s.Value!["in"]?.GetValue<string>() == "cookie" && s.Value["name"]!.GetValue<string>() == "__Host-bank_session");
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(o => (Route: $"{o.Key.ToUpperInvariant()} {p.Key}", Operation: o.Value!.AsObject()))).ToList();
        Assert.True(operations.Count >= 30, $"{operations.Count} operations");
        Assert.Equal(operations.Count, operations.Select(o => o.Operation["operationId"]!.GetValue<string>()).Distinct().Count());
        foreach (var (route, operation) in operations)
        {
            Assert.True(operation["tags"]!.AsArray().Count > 0, route);
            var problems = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4')).ToList();
            Assert.True(problems.Count > 0, $"{route} lists no problem response");
            Assert.All(problems, r => Assert.Contains("ProblemDetails", r.Value!.ToJsonString(), StringComparison.Ordinal));
        }

        var move = operations.Single(o => o.Route == "POST /api/v1/transactions").Operation;
        Assert.Contains(move["parameters"]!.AsArray(), p => p!["in"]!.GetValue<string>() == "header" && p["name"]!.GetValue<string>() == "Idempotency-Key");
    }

    [Theory, DatabaseData]
    public async Task Fuzzing_a_user_id_with_a_nul_or_half_an_emoji_is_refused_as_a_wrong_sign_in_and_recorded(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var anonymous = app.CreateClient();
        // PostgreSQL refuses NUL in text and Npgsql half a surrogate pair: the typed User ID was stored as typed (cut at 64), a 500.
        foreach (var userId in new[] { "\0", "5612\05810021", "a" + string.Concat(Enumerable.Repeat("😀", 40)) })
        {
            var answer = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userId, password = "Not-the-password-1" }, TestContext.Current.CancellationToken);
            await answer.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        }

        await using var db = app.Database.CreateContext();
        var recorded = await db.LoginAttempts.Where(a => a.UserId == null).Select(a => a.UserIdentifier).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\uFFFD", recorded);
        Assert.Contains("5612\uFFFD5810021", recorded);
        Assert.Contains("a" + string.Concat(Enumerable.Repeat("😀", 31)), recorded);
    }

    [Theory, DatabaseData]
    public async Task Fuzzing_a_user_search_with_a_nul_is_a_field_error(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        // PostgreSQL cannot compare text holding a NUL: the search was a 500 there.
        var problem = await (await admin.GetAsync("/api/v1/users?q=%00", TestContext.Current.CancellationToken)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["q"], problem.ErrorFields());
    }
}
