using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bank.Bench;

/// <summary>
/// One scenario's figures on one database: the product's ops/s and latency over REST, the raw baseline's ops/s and p99,
/// the target and whether it was met (null when it has no target), and the errors both sides saw.
/// </summary>
public sealed record ScenarioResult(
    string Database, string Name, double ProductOps, double P50, double P95, double P99, double RawOps, double RawP99, long Errors, string Target, bool? Met, string Note = "")
{
    public double Ratio => RawOps > 0 ? ProductOps / RawOps : double.NaN;
}

/// <summary>What one database gave: the scenarios' figures, and the checks (ledger, balances, errors) with what failed.</summary>
public sealed class PerfOutcome(string database)
{
    public string Database { get; } = database;

    public List<ScenarioResult> Results { get; } = [];

    /// <summary>Failed checks and phases, in words; empty when everything passed.</summary>
    public List<string> Failures { get; } = [];

    public long Errors => Results.Sum(r => r.Errors);

    public bool Passed => Failures.Count == 0 && Errors == 0;
}

/// <summary>
/// The benchmark on one database. Two banks, each a fresh database filled by the product's own <c>demo-data</c> command
/// before the Release server starts on it with its production settings:
/// the small bank (<c>--customers</c>, one month) for the money scenarios (debit, transfer, hot, balance), whose
/// customers sign in with the demo password and get a deposit over the API first; and the big bank
/// (<c>--big-customers</c>, <c>--months</c>: about a million transactions at the defaults) for statement, dashboard and
/// seed, its load timed as the seed figure. Each scenario runs K closed-loop clients over REST for the time, then the
/// raw baseline with K clients for the same time, in the same run. Both banks end with the ledger check.
/// </summary>
public static class PerfRun
{
    private const decimal Deposit = 500_000.00m;
    private const long AmountPaise = 100;
    private const string DebitJson = """{"type":"debit","amount":1.00,"narration":"bench"}""";
    private const int SignedInCustomers = 100;
    private const int HotAccounts = 10;
    private const int Seed = 2026;

    /// <summary>The most lines one page of the API's lists holds.</summary>
    private const int MaxLimit = 200;

    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    /// <summary>A progress line: the time since the start, the database, what happened.</summary>
    public static void Progress(string database, string text) =>
        Console.WriteLine($"[{Clock.Elapsed.TotalSeconds,6:0.0} s] {database}: {text}");

    public static async Task<PerfOutcome> RunAsync(string database, string repoRoot, PerfOptions options, CancellationToken ct)
    {
        var outcome = new PerfOutcome(database);
        if (PerfOptions.Money.Any(options.Runs))
        {
            await BenchDatabases.RunAsync(database, repoRoot, setup => MoneyAsync(setup, options, outcome, ct), failure => Fail(outcome, failure), ct);
        }

        if (PerfOptions.Big.Any(options.Runs))
        {
            await BenchDatabases.RunAsync(database, repoRoot, setup => BigAsync(setup, options, outcome, ct), failure => Fail(outcome, failure), ct);
        }

        return outcome;
    }

    private static bool Fail(PerfOutcome outcome, string failure)
    {
        outcome.Failures.Add(failure);
        return false;
    }

    /// <summary>The most warm-up windows before a measured run (see <see cref="MeasureAsync"/>).</summary>
    private const int WarmUpWindows = 5;

    private static TimeSpan WarmUp(PerfOptions options) => TimeSpan.FromSeconds(Math.Min(3, options.Seconds / 4.0));

    private static async Task<bool> MoneyAsync(BenchSetup setup, PerfOptions options, PerfOutcome outcome, CancellationToken ct)
    {
        var database = setup.Database;
        var (lines, load) = await DemoDataAsync(setup, options.Customers, months: 1, ct);
        var password = DemoPassword(lines, "Customer");

        var server = await setup.StartServerAsync(ct);
        using var http = Http(server.Address);
        var client = new BankClient(http);
        var admin = await client.FirstLoginAsync(BankClient.SuperAdminId, setup.BootPassword, BenchDatabases.StrongPassword(), ct);
        var ids = await client.ActiveCustomersAsync(admin.AccessToken, (SignedInCustomers + HotAccounts) * 5 / 4, ct);
        var clock = Stopwatch.StartNew();
        var customers = await SignInAsync(client, ids, password, SignedInCustomers + HotAccounts, ct);
        if (customers.Count < HotAccounts + 2)
        {
            throw new BenchException($"The demo bank has only {customers.Count} Active customers with an Active account; use a larger --customers.");
        }

        var hot = customers[^HotAccounts..];
        var spread = customers[..^HotAccounts];
        Progress(database, $"server up; {customers.Count} Active customers signed in with the demo password and given {Deposit:N2} each in {clock.Elapsed.TotalSeconds:0.0} s");

        await using var raw = await RawMoney.CreateAsync(database, setup.Folder, options.Customers, Paise(Deposit), ct);
        var rawSpread = Enumerable.Range(1, spread.Count).Select(i => (long)i).ToList();
        var rawHot = Enumerable.Range(spread.Count + 1, HotAccounts).Select(i => (long)i).ToList();
        Progress(database, $"raw baseline: {options.Customers} accounts in its own tables ({(database == "sqlite" ? "raw-money.db beside bank.db" : "its own database on the same cluster")})");

        var seconds = TimeSpan.FromSeconds(options.Seconds);
        foreach (var scenario in PerfOptions.Money.Where(options.Runs))
        {
            var before = await SumAsync(client, scenario == "hot" ? hot : spread, ct);
            var rawBefore = await raw.SumAsync(scenario == "hot" ? rawHot : rawSpread, ct);
            Func<int, long, CancellationToken, Task<OpOutcome>> product = scenario switch
            {
                "debit" => (_, _, t) => client.TryAsync(HttpMethod.Post, "/api/v1/transactions", Pick(spread).Token, DebitJson, idempotent: true, t),
                "transfer" => (_, _, t) =>
                {
                    var (from, to) = Pair(spread.Count);
                    var json = $$"""{"type":"transfer","amount":1.00,"toAccountNumber":"{{spread[to].AccountNumber}}","narration":"bench"}""";
                    return client.TryAsync(HttpMethod.Post, "/api/v1/transactions", spread[from].Token, json, idempotent: true, t);
                }
                ,
                "hot" => (_, n, t) => client.TryAsync(HttpMethod.Post, "/api/v1/transactions", hot[(int)(n % HotAccounts)].Token, DebitJson, idempotent: true, t),
                _ => (_, _, t) => client.TryAsync(HttpMethod.Get, "/api/v1/accounts/me", Pick(spread).Token, null, idempotent: false, t),
            };
            Func<int, long, CancellationToken, Task<OpOutcome>> baseline = scenario switch
            {
                "debit" => (c, _, t) => raw.DebitAsync(c, Pick(rawSpread), AmountPaise, t),
                "transfer" => (c, _, t) =>
                {
                    var (from, to) = Pair(rawSpread.Count);
                    return raw.TransferAsync(c, rawSpread[from], rawSpread[to], AmountPaise, t);
                }
                ,
                "hot" => (c, n, t) => raw.DebitAsync(c, rawHot[(int)(n % HotAccounts)], AmountPaise, t),
                _ => (c, _, t) => raw.BalanceAsync(c, Pick(rawSpread), t),
            };

            var (mine, mineOk) = await MeasureAsync(database, scenario, "product", options.Clients, WarmUp(options), seconds, product, ct);
            var (theirs, theirsOk) = await MeasureAsync(database, scenario, "raw", options.Clients, WarmUp(options), seconds, baseline, ct);

            // No lost update: the balances moved by exactly the successes (transfers within the set move nothing in sum).
            var moved = scenario is "debit" or "hot" ? AmountPaise : 0;
            var after = await SumAsync(client, scenario == "hot" ? hot : spread, ct);
            var rawAfter = await raw.SumAsync(scenario == "hot" ? rawHot : rawSpread, ct);
            var unknown = mine.Other + theirs.Other;
            var balanced = before - after == mineOk * moved && rawBefore - rawAfter == theirsOk * moved;
            var check = $"balances: product dropped {Rupees(before - after)} for {mineOk} successes, raw {Rupees(rawBefore - rawAfter)} for {theirsOk}"
                + (scenario == "transfer" ? " (transfers inside the set: 0 expected)" : $" (× {Rupees(moved)} expected)")
                + (unknown > 0 ? $"; {unknown} operations got no answer, their effect unknown" : "");
            Progress(database, $"{(balanced ? "PASS" : "FAIL")} {scenario} {check}");
            if (!balanced && scenario != "balance")
            {
                outcome.Failures.Add($"{database} {scenario}: lost or extra updates — {check}");
            }

            var (target, met) = scenario switch
            {
                "debit" => ("ratio ≥ 0.50, p99 ≤ 3× raw", mine.PerSecond >= 0.5 * theirs.PerSecond && mine.Percentile(99) <= 3 * theirs.Percentile(99)),
                "hot" => ("ratio ≥ 0.50, no lost update", mine.PerSecond >= 0.5 * theirs.PerSecond && balanced),
                "balance" => ("ratio ≥ 0.30", mine.PerSecond >= 0.3 * theirs.PerSecond),
                _ => ("ratio ≥ 0.50", mine.PerSecond >= 0.5 * theirs.PerSecond),
            };
            outcome.Results.Add(Result(database, scenario, mine, theirs, target, met));
        }

        return await LedgerAsync(client, admin.AccessToken, outcome, database, ct);
    }

    private static async Task<bool> BigAsync(BenchSetup setup, PerfOptions options, PerfOutcome outcome, CancellationToken ct)
    {
        var database = setup.Database;
        var (lines, load) = await DemoDataAsync(setup, options.BigCustomers, options.Months, ct);
        var counts = Counts(lines);
        Progress(database, $"the big bank: {counts.Users:N0} users, {counts.Transactions:N0} transactions, {counts.Entries:N0} entries, {counts.SignIns:N0} sign-ins "
            + $"({counts.Rows:N0} rows) in {load.TotalSeconds:0.0} s: {counts.Rows / load.TotalSeconds:N0} rows/s");
        if (options.Runs("seed"))
        {
            Progress(database, $"raw bulk load of as many rows ({(database == "sqlite" ? "prepared inserts in one transaction" : "binary COPY")}, then the indexes)…");
            var bulk = await RawBulk.LoadAsync(database, setup.Folder, counts, ct);
            var productRate = counts.Rows / load.TotalSeconds;
            var rawRate = counts.Rows / bulk.TotalSeconds;
            Progress(database, $"raw bulk load: {bulk.TotalSeconds:0.0} s, {rawRate:N0} rows/s; demo-data took {load.TotalSeconds / bulk.TotalSeconds:0.0}× as long");
            outcome.Results.Add(new ScenarioResult(database, "seed", productRate, double.NaN, double.NaN, double.NaN, rawRate, double.NaN, 0,
                "≤ 6× the raw load's time (ratio ≥ 0.17)", productRate >= rawRate / 6, $"rows/s; demo-data {load.TotalSeconds:0.0} s, raw {bulk.TotalSeconds:0.0} s"));
        }

        if (!options.Runs("statement") && !options.Runs("dashboard"))
        {
            return true;
        }

        setup.Environment["Dashboard__CacheSeconds"] = "0"; // the operator setting: every dashboard request asks the database
        var server = await setup.StartServerAsync(ct);
        using var http = Http(server.Address);
        var client = new BankClient(http);
        var admin = await client.FirstLoginAsync(BankClient.SuperAdminId, setup.BootPassword, BenchDatabases.StrongPassword(), ct);
        await using var reads = new RawReads(database, setup.ConnectionString);
        var seconds = TimeSpan.FromSeconds(options.Seconds);

        if (options.Runs("statement"))
        {
            // One customer with many entries: the demo customer's own history, then --deep-entries deposits over the API.
            var deepOne = (await SignInAsync(client, await client.ActiveCustomersAsync(admin.AccessToken, 20, ct), DemoPassword(lines, "Customer"), 1, ct))
                .FirstOrDefault() ?? throw new BenchException("The big bank has no Active customer with an Active account among its first 20.");
            var (id, token) = (deepOne.UserId, deepOne.Token);
            var clock = Stopwatch.StartNew();
            await Parallel.ForAsync(0, options.DeepEntries, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
                async (_, t) => await client.DepositAsync(token, 1.00m, t));
            Progress(database, $"customer {id}: {options.DeepEntries} deposits over the API in {clock.Elapsed.TotalSeconds:0.0} s (the deep statement)");

            // The deep page: walk the statement (up to 200 lines at a time) to its last full pages, as a client would.
            var step = Math.Min(MaxLimit, options.DeepEntries / 4);
            var depth = 0;
            string? cursor = null;
            while (depth + step <= options.DeepEntries - RawReads.PageSize)
            {
                using var doc = JsonDocument.Parse(await client.GetJsonAsync($"/api/v1/transactions?limit={step}" + Cursor(cursor), token, ct));
                cursor = doc.RootElement.GetProperty("nextCursor").GetString();
                depth += step;
            }

            var userId = long.Parse(id, CultureInfo.InvariantCulture);
            var key = await reads.KeyAtAsync(userId, depth - 1, ct);
            Progress(database, $"deep page: after line {depth:N0} of the customer's statement");

            var first = $"/api/v1/transactions?limit={RawReads.PageSize}";
            var deep = first + Cursor(cursor);
            var (firstMine, _) = await MeasureAsync(database, "statement", "product", options.Clients, WarmUp(options), seconds,
                (_, _, t) => client.TryAsync(HttpMethod.Get, first, token, null, idempotent: false, t), ct);
            var (firstRaw, _) = await MeasureAsync(database, "statement", "raw", options.Clients, WarmUp(options), seconds,
                (c, _, t) => Rows(reads.PageAsync(c, userId, null, t)), ct);
            var (deepMine, _) = await MeasureAsync(database, "statement-deep", "product", options.Clients, WarmUp(options), seconds,
                (_, _, t) => client.TryAsync(HttpMethod.Get, deep, token, null, idempotent: false, t), ct);
            var (deepRaw, _) = await MeasureAsync(database, "statement-deep", "raw", options.Clients, WarmUp(options), seconds,
                (c, _, t) => Rows(reads.PageAsync(c, userId, key, t)), ct);
            outcome.Results.Add(Result(database, "statement", firstMine, firstRaw, "p95 ≤ 20 ms", firstMine.Percentile(95) <= 20));
            outcome.Results.Add(Result(database, "statement-deep", deepMine, deepRaw, "p95 ≤ 20 ms, ops/s ≥ 0.8× first page",
                deepMine.Percentile(95) <= 20 && deepMine.PerSecond >= 0.8 * firstMine.PerSecond));
        }

        if (options.Runs("dashboard"))
        {
            var (mine, _) = await MeasureAsync(database, "dashboard", "product", options.Clients, WarmUp(options), seconds,
                (_, _, t) => client.TryAsync(HttpMethod.Get, "/api/v1/dashboard", admin.AccessToken, null, idempotent: false, t), ct);
            var (theirs, _) = await MeasureAsync(database, "dashboard", "raw", options.Clients, WarmUp(options), seconds,
                (c, _, t) => Rows(reads.DashboardAsync(c, t)), ct);
            outcome.Results.Add(Result(database, "dashboard", mine, theirs, "≤ 2× raw SQL (ratio ≥ 0.50)", mine.PerSecond >= 0.5 * theirs.PerSecond));
        }

        return await LedgerAsync(client, admin.AccessToken, outcome, database, ct);
    }

    private static string Cursor(string? cursor) => cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}";

    private static async Task<OpOutcome> Rows(Task<int> rows) =>
        await rows > 0 ? OpOutcome.Success : OpOutcome.Failed(404, "raw: the query returned no rows");

    /// <summary>
    /// A warm-up (not counted), then the measured run; prints one line; the result and its successes including the warm-up's.
    /// The warm-up goes on window after window (each <paramref name="warmUp"/> long, at most <see cref="WarmUpWindows"/>)
    /// while a window is more than 5 % faster than the one before: a server just started is still compiling its hot paths
    /// again, optimised, under load (.NET's tiered JIT), and the first scenario after a start ran at half its later speed.
    /// </summary>
    private static async Task<(LoadResult Result, long Successes)> MeasureAsync(
        string database, string scenario, string side, int clients, TimeSpan warmUp, TimeSpan duration, Func<int, long, CancellationToken, Task<OpOutcome>> op, CancellationToken ct)
    {
        var warm = new List<LoadResult>();
        do
        {
            warm.Add(await Load.RunAsync(clients, warmUp, op, ct));
        }
        while (warm.Count < WarmUpWindows && (warm.Count < 2 || warm[^1].PerSecond > 1.05 * warm[^2].PerSecond));

        var run = await Load.RunAsync(clients, duration, op, ct);
        Progress(database, $"{scenario,-14} {side,-7} {run.PerSecond,9:0.0} ops/s  p50 {run.Percentile(50),7:0.0} ms  p95 {run.Percentile(95),7:0.0} ms  p99 {run.Percentile(99),7:0.0} ms  "
            + $"errors {warm.Sum(w => w.Errors) + run.Errors}  (warm-up {warm.Count} × {warmUp.TotalSeconds:0.##} s)");
        foreach (var error in warm.SelectMany(w => w.FirstErrors).Concat(run.FirstErrors).Take(5))
        {
            Console.WriteLine($"    {error}");
        }

        // The warm-up's errors count too: nothing but successes is expected anywhere.
        return (run with
        {
            ClientErrors = run.ClientErrors + warm.Sum(w => w.ClientErrors),
            ServerErrors = run.ServerErrors + warm.Sum(w => w.ServerErrors),
            Other = run.Other + warm.Sum(w => w.Other),
        }, warm.Sum(w => w.Ok) + run.Ok);
    }

    private static ScenarioResult Result(string database, string name, LoadResult mine, LoadResult theirs, string target, bool met) =>
        new(database, name, mine.PerSecond, mine.Percentile(50), mine.Percentile(95), mine.Percentile(99), theirs.PerSecond, theirs.Percentile(99),
            mine.Errors + theirs.Errors, target, met);

    private static async Task<bool> LedgerAsync(BankClient client, string token, PerfOutcome outcome, string database, CancellationToken ct)
    {
        if (await BenchDatabases.CheckLedgerAsync(client, token, ct))
        {
            return true;
        }

        outcome.Failures.Add($"{database}: the ledger does not verify");
        return false;
    }

    /// <summary>Runs <c>demo-data</c> on the fresh database; its output lines and how long it took (process start to exit).</summary>
    private static async Task<(List<string> Lines, TimeSpan Took)> DemoDataAsync(BenchSetup setup, int customers, int months, CancellationToken ct)
    {
        Progress(setup.Database, $"demo-data --customers {customers} --months {months} on a fresh database…");
        var lines = new List<string>();
        var clock = Stopwatch.StartNew();
        var exit = await setup.RunCommandAsync(
            ["demo-data", "--customers", customers.ToString(CultureInfo.InvariantCulture), "--months", months.ToString(CultureInfo.InvariantCulture), "--seed", Seed.ToString(CultureInfo.InvariantCulture)],
            ct, line =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            });
        var took = clock.Elapsed;
        if (exit != 0)
        {
            throw new BenchException($"demo-data exited with code {exit}.");
        }

        Progress(setup.Database, $"demo-data took {took.TotalSeconds:0.0} s (process start to exit: migrations, load, indexes, ledger check)");
        return (lines, took);
    }

    /// <summary>The role's demo password from demo-data's table "Demo passwords, one per role" (its last row for the role).</summary>
    private static string DemoPassword(List<string> lines, string role)
    {
        string? password = null;
        foreach (var line in lines)
        {
            var cells = line.Split('│', '|').Select(c => c.Trim()).ToArray();
            if (cells.Length >= 4 && cells[1] == role && cells[2].Length > 0 && !cells[2].All(char.IsDigit))
            {
                password = cells[2];
            }
        }

        return password ?? throw new BenchException($"demo-data printed no demo password for {role}.");
    }

    /// <summary>The row counts from demo-data's summary line ("Done in … users (…, N customers), N transactions (N entries), N sign-in attempts").</summary>
    private static BulkCounts Counts(List<string> lines)
    {
        var text = Regex.Replace(string.Join(' ', lines), @"\s+", " "); // the line may wrap on a narrow console
        var match = Regex.Match(text, @"([\d,]+) users \(.*?([\d,]+) customers\), ([\d,]+) transactions \(([\d,]+) entries\), ([\d,]+) sign-in attempts");
        if (!match.Success)
        {
            throw new BenchException("demo-data printed no summary line with its row counts.");
        }

        long N(int group) => long.Parse(match.Groups[group].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return new BulkCounts(N(1), N(2), N(3), N(4), N(5));
    }

    /// <summary>
    /// Signs the customers in (a few at a time: each is a password hash), keeps those whose account is Active (the demo
    /// bank freezes some), up to <paramref name="wanted"/>, and gives each a deposit.
    /// </summary>
    private static async Task<List<Customer>> SignInAsync(BankClient client, List<string> ids, string password, int wanted, CancellationToken ct)
    {
        var customers = new Customer?[ids.Count];
        var kept = 0;
        await Parallel.ForAsync(0, ids.Count, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, t) =>
        {
            if (Volatile.Read(ref kept) >= wanted)
            {
                return;
            }

            var login = (await client.LoginAsync(ids[i], password, t)).AccessToken;
            var (number, status) = await client.AccountAsync(login, t);
            if (status != "Active" || Interlocked.Increment(ref kept) > wanted)
            {
                return;
            }

            await client.DepositAsync(login, Deposit, t);
            customers[i] = new Customer(ids[i], number, login);
        });
        return [.. customers.OfType<Customer>()];
    }

    private static async Task<long> SumAsync(BankClient client, IEnumerable<Customer> customers, CancellationToken ct)
    {
        var sum = 0L;
        foreach (var customer in customers)
        {
            sum += Paise(await client.BalanceAsync(customer.Token, ct));
        }

        return sum;
    }

    private static T Pick<T>(IReadOnlyList<T> items) => items[Random.Shared.Next(items.Count)];

    /// <summary>Two different indexes below <paramref name="count"/>.</summary>
    private static (int From, int To) Pair(int count)
    {
        var from = Random.Shared.Next(count);
        var to = (from + 1 + Random.Shared.Next(count - 1)) % count;
        return (from, to);
    }

    private static long Paise(decimal rupees) => (long)(rupees * 100);

    private static string Rupees(long paise) => (paise / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static HttpClient Http(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 10_000, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
}
