using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Bank.Bench;

/// <summary>One measured request: its first (cold) time, and the median, p95 and max of the repeats after it.</summary>
public sealed record Timing(string Name, double ColdMs, double MedianMs, double P95Ms, double MaxMs, long Bytes);

/// <summary>What one database's insight run gave: the load time, the request timings, or why it stopped.</summary>
public sealed record InsightOutcome(string Name, TimeSpan? Load, IReadOnlyList<Timing> Timings, string? Failure);

/// <summary>
/// Insight at a bank's scale: a fresh database filled by <c>demo-data</c> (timed), then the real server with the
/// dashboard cache off, and every insight request timed: dashboards, the monthly report, statements (first page, next
/// page, filtered), charts, and the pages that show them.
/// </summary>
public static class InsightRun
{
    private const int StatementCustomers = 20;

    /// <summary>The page size of the next-page request: demo customers make about ten movements in six months.</summary>
    private const int PageTwoSize = 5;

    private static readonly TimeZoneInfo Bank = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    public static Task<InsightOutcome> RunAsync(string database, string repoRoot, InsightOptions options, CancellationToken ct) =>
        BenchDatabases.RunAsync(database, repoRoot, setup => RunAsync(setup, options, ct), failure => new InsightOutcome(database, null, [], failure), ct);

    private static async Task<InsightOutcome> RunAsync(BenchSetup setup, InsightOptions options, CancellationToken ct)
    {
        var database = setup.Database;
        setup.Environment["Dashboard__CacheSeconds"] = "0"; // every dashboard request asks the database

        var clock = Stopwatch.StartNew();
        var exit = await setup.RunCommandAsync(
            ["demo-data", "--customers", Text(options.Customers), "--months", Text(options.Months), "--seed", Text(options.Seed)], ct);
        var load = clock.Elapsed;
        if (exit != 0)
        {
            throw new BenchException($"demo-data exited with code {exit}.");
        }

        Console.WriteLine($"{database}: demo-data took {load.TotalSeconds:0.0} s (process start to exit, migrations included)");

        var server = await setup.StartServerAsync(ct);
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };
        var client = new BankClient(http);
        var adminPassword = BenchDatabases.StrongPassword();
        var admin = await client.FirstLoginAsync(BankClient.SuperAdminId, setup.BootPassword, adminPassword, ct);
        var adminPages = await client.CookieLoginAsync(BankClient.SuperAdminId, adminPassword, ct);

        // Customers whose statements are read in turn: the first page of Active customers (busy and quiet ones alike).
        var customers = await ActiveCustomersAsync(client, admin.AccessToken, ct);
        var customer = await BusyCustomerAsync(client, admin.AccessToken, customers, ct);
        var customerPassword = BenchDatabases.StrongPassword();
        var temporary = await client.ResetPasswordAsync(admin.AccessToken, customer, ct);
        var own = await client.FirstLoginAsync(customer, temporary, customerPassword, ct);
        var ownPages = await client.CookieLoginAsync(customer, customerPassword, ct);
        var secondPage = await NextCursorAsync(client, own.AccessToken, ct);

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Bank).DateTime);
        var thisMonth = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var lastMonth = today.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var from = today.AddMonths(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string Someone(int i) => customers[i % customers.Count];

        var staff = Caller.Api(admin.AccessToken);
        var self = Caller.Api(own.AccessToken);
        var requests = new (string Name, Caller Caller, Func<int, string> Path)[]
        {
            ("API dashboard, staff (uncached)", staff, _ => "/api/v1/dashboard"),
            ("API dashboard, customer", self, _ => "/api/v1/dashboard"),
            ($"API monthly sign-ins {thisMonth}", staff, _ => $"/api/v1/reports/monthly-logins?month={thisMonth}"),
            ($"API monthly sign-ins {lastMonth}", staff, _ => $"/api/v1/reports/monthly-logins?month={lastMonth}"),
            ($"API monthly sign-ins {lastMonth} CSV", staff, _ => $"/api/v1/reports/monthly-logins?month={lastMonth}&format=csv"),
            ("API transactions, all, page 1", staff, _ => "/api/v1/transactions?limit=25"),
            ("API statement (staff), page 1", staff, i => $"/api/v1/transactions?userId={Someone(i)}&limit=25"),
            ("API statement (staff), 3 months over 100", staff, i => $"/api/v1/transactions?userId={Someone(i)}&from={from}&to={to}&minAmount=100&limit=25"),
            ("API statement (customer), page 1", self, _ => "/api/v1/transactions?limit=25"),
            ($"API statement (customer), page 2 of {PageTwoSize}", self, _ => $"/api/v1/transactions?limit={PageTwoSize}&cursor={Uri.EscapeDataString(secondPage)}"),
            ("API chart, 6 months (staff)", staff, i => $"/api/v1/charts/transactions?userId={Someone(i)}"),
            ("API chart, 6 months (customer, phone)", self, _ => "/api/v1/charts/transactions?size=phone"),
            ("API chart, daily money in/out", staff, _ => "/api/v1/charts/daily-flows"),
            ("API chart, daily sign-ins", staff, _ => "/api/v1/charts/daily-sign-ins"),
            ("page /, staff dashboard", Caller.Pages(adminPages), _ => "/"),
            ("page /, customer dashboard", Caller.Pages(ownPages), _ => "/"),
            ($"page monthly sign-ins {lastMonth}", Caller.Pages(adminPages), _ => $"/Reports/MonthlyLogins?month={lastMonth}"),
            ("page statement (customer)", Caller.Pages(ownPages), _ => "/Transactions"),
            ("page statement (staff, one customer)", Caller.Pages(adminPages), i => $"/Transactions?userId={Someone(i)}"),
            ("page user details (staff)", Caller.Pages(adminPages), i => $"/Users/Details/{Someone(i)}"),
        };

        var timings = new List<Timing>();
        foreach (var (name, caller, path) in requests)
        {
            var timing = await MeasureAsync(client, name, caller, path, options.Repeat, ct);
            Console.WriteLine($"  {timing.Name,-44} cold {timing.ColdMs,8:0.0} ms   median {timing.MedianMs,8:0.0} ms   p95 {timing.P95Ms,8:0.0} ms");
            timings.Add(timing);
        }

        return await BenchDatabases.CheckLedgerAsync(client, admin.AccessToken, ct)
            ? new InsightOutcome(database, load, timings, null)
            : new InsightOutcome(database, load, timings, "the ledger does not verify");
    }

    /// <summary>One cold request (the first of its kind), then <paramref name="repeat"/> timed ones one after another.</summary>
    private static async Task<Timing> MeasureAsync(BankClient client, string name, Caller caller, Func<int, string> path, int repeat, CancellationToken ct)
    {
        var (cold, bytes) = await client.TimedGetAsync(path(0), caller, ct);
        var times = new double[repeat];
        for (var i = 0; i < repeat; i++)
        {
            times[i] = (await client.TimedGetAsync(path(i + 1), caller, ct)).Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return new Timing(name, cold.TotalMilliseconds, Percentiles.Of(times, 50), Percentiles.Of(times, 95), Percentiles.Of(times, 100), bytes);
    }

    private static async Task<List<string>> ActiveCustomersAsync(BankClient client, string token, CancellationToken ct)
    {
        var body = await client.GetJsonAsync($"/api/v1/users?role=Customer&status=Active&limit={StatementCustomers}", token, ct);
        using var doc = JsonDocument.Parse(body);
        var ids = doc.RootElement.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("userId").GetString()!).ToList();
        return ids.Count > 0 ? ids : throw new BenchException("The demo bank has no Active customer.");
    }

    /// <summary>The first of <paramref name="customers"/> with more than one short page of transactions.</summary>
    private static async Task<string> BusyCustomerAsync(BankClient client, string token, List<string> customers, CancellationToken ct)
    {
        foreach (var id in customers)
        {
            var body = await client.GetJsonAsync($"/api/v1/transactions?userId={id}&limit={PageTwoSize}", token, ct);
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String)
            {
                return id;
            }
        }

        return customers[0];
    }

    private static async Task<string> NextCursorAsync(BankClient client, string token, CancellationToken ct)
    {
        var body = await client.GetJsonAsync($"/api/v1/transactions?limit={PageTwoSize}", token, ct);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("nextCursor", out var cursor) && cursor.GetString() is { Length: > 0 } next
            ? next
            : throw new BenchException($"The customer whose statement is read has fewer than {PageTwoSize + 1} transactions; try another --seed.");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
