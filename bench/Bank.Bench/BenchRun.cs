using System.Diagnostics;

namespace Bank.Bench;

/// <summary>What one database's run gave: the load figures and the two checks, or why it stopped early.</summary>
public sealed record DbOutcome(string Name, LoadResult? Load, bool LedgerOk, bool BalancesOk, string? Failure)
{
    public bool Passed => Load is not null && LedgerOk && BalancesOk;
}

/// <summary>One database: fresh database, real server, customers set up over the API, warm-up, timed debits, checks.</summary>
public static class BenchRun
{
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    private const decimal Deposit = 500_000.00m;
    private const decimal DebitAmount = 1.00m;

    public static Task<DbOutcome> RunAsync(string database, string repoRoot, BenchOptions options, CancellationToken ct) =>
        BenchDatabases.RunAsync(database, repoRoot, setup => RunAsync(setup, options, ct), failure => new DbOutcome(database, null, false, false, failure), ct);

    private static async Task<DbOutcome> RunAsync(BenchSetup setup, BenchOptions options, CancellationToken ct)
    {
        var database = setup.Database;
        var clock = Stopwatch.StartNew();
        var server = await setup.StartServerAsync(ct);
        Console.WriteLine($"server ready at {server.Address} in {clock.Elapsed.TotalSeconds:0.0} s");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 10_000, PooledConnectionLifetime = TimeSpan.FromMinutes(30) };
        using var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        var client = new BankClient(http);

        clock.Restart();
        var admin = await client.FirstLoginAsync(BankClient.SuperAdminId, setup.BootPassword, BenchDatabases.StrongPassword(), ct);
        var customers = await CreateCustomersAsync(client, admin.AccessToken, options.Customers, ct);
        Console.WriteLine($"set up the Super_Admin and {customers.Count} customers (created, signed in, passwords changed) in {clock.Elapsed.TotalSeconds:0.0} s");
        await DepositAsync(client, customers, ct);
        Console.WriteLine($"each customer deposited {Deposit:0.00}");

        var warm = await Load.RunAsync(client, customers, options.Workers, WarmUp, ct);
        Console.WriteLine($"warm-up ({WarmUp.TotalSeconds:0} s, not counted): {warm.Ok} ok, {warm.Errors} errors");
        PrintErrors(warm);

        var run = await Load.RunAsync(client, customers, options.Workers, TimeSpan.FromSeconds(options.Seconds), ct);
        Console.WriteLine($"{database}: {run.PerSecond:0.0} debits/s over REST ({run.Ok} ok, {run.Errors} errors, {run.Elapsed.TotalSeconds:0.0} s, "
            + $"{options.Workers} workers, p50 {run.Percentile(50):0.0} ms, p95 {run.Percentile(95):0.0} ms, p99 {run.Percentile(99):0.0} ms)");
        PrintErrors(run);

        var ledgerOk = await BenchDatabases.CheckLedgerAsync(client, admin.AccessToken, ct);
        var balancesOk = await CheckBalancesAsync(client, customers, warm.Ok + run.Ok, warm.Other + run.Other, ct);
        if (run.ServerErrors + warm.ServerErrors > 0 && server.RecentOutput.Length > 0)
        {
            Console.WriteLine($"The server's recent output:\n{server.RecentOutput}");
        }

        return new DbOutcome(database, run, ledgerOk, balancesOk, null);
    }

    private static async Task<List<Customer>> CreateCustomersAsync(BankClient client, string adminToken, int count, CancellationToken ct)
    {
        var created = new CreatedCustomer[count];
        for (var n = 0; n < count; n++)
        {
            created[n] = await client.CreateCustomerAsync(adminToken, n + 1, ct);
        }

        // Password hashing dominates these steps; a few in parallel keep the setup short.
        var customers = new Customer[count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = ct };
        await Parallel.ForAsync(0, count, parallel, async (i, t) =>
        {
            var c = created[i];
            var login = await client.FirstLoginAsync(c.UserId, c.TemporaryPassword, BenchDatabases.StrongPassword(), t);
            customers[i] = new Customer(c.UserId, c.AccountNumber ?? "", login.AccessToken);
        });

        return [.. customers];
    }

    private static async Task DepositAsync(BankClient client, IReadOnlyList<Customer> customers, CancellationToken ct)
    {
        foreach (var customer in customers)
        {
            var balance = await client.DepositAsync(customer.Token, Deposit, ct);
            if (balance != Deposit)
            {
                throw new BenchException($"After depositing {Deposit:0.00} into a new account, balanceAfter is {balance:0.00}.");
            }
        }
    }

    /// <summary>Every 201 debit took exactly 1.00, and nothing else did: the balances dropped by successes × 1.00.</summary>
    private static async Task<bool> CheckBalancesAsync(BankClient client, IReadOnlyList<Customer> customers, long successes, long unknown, CancellationToken ct)
    {
        try
        {
            var dropped = 0m;
            foreach (var customer in customers)
            {
                dropped += Deposit - await client.BalanceAsync(customer.Token, ct);
            }

            var expected = successes * DebitAmount;
            var ok = dropped == expected;
            Console.WriteLine($"{(ok ? "PASS" : "FAIL")} balances: dropped by {dropped:0.00} in all, {successes} successful debits × {DebitAmount:0.00} = {expected:0.00}"
                + (unknown > 0 ? $" ({unknown} requests got no answer or an unexpected status; their effect is unknown)" : ""));
            return ok;
        }
        catch (BenchException ex)
        {
            Console.WriteLine($"FAIL balances: {ex.Message}");
            return false;
        }
    }

    private static void PrintErrors(LoadResult result)
    {
        if (result.Errors == 0)
        {
            return;
        }

        Console.WriteLine($"  errors: {result.ClientErrors} 4xx, {result.ServerErrors} 5xx, {result.Other} other; the first ones:");
        foreach (var error in result.FirstErrors)
        {
            Console.WriteLine($"    {error}");
        }
    }
}
