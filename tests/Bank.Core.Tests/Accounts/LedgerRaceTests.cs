using System.Data.Common;
using Bank.Core.Accounts;
using Bank.Core.Data;
using Bank.Core.Money;
using Bank.Core.Tests.Infrastructure;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Bank.Core.Tests.Accounts;

/// <summary>
/// Many clients at once, each with its own context and one shared write gate, as in the app: no overdraft, no money
/// created or lost, no deadlock, and an Idempotency-Key moves money once however many retries race.
/// </summary>
public sealed class LedgerRaceTests
{
    [Theory, DatabaseData]
    public async Task A_hundred_concurrent_debits_of_100_on_a_balance_of_1000_let_exactly_ten_through_in_every_round(TestBank bank)
    {
        const int Rounds = 20;
        await bank.AddCustomersAsync(1);
        var customer = bank.Customers[0];

        for (var round = 1; round <= Rounds; round++)
        {
            await bank.FundAsync(customer, 1_000m);
            var results = await Concurrently.RunAsync(100, _ => bank.DebitAsync(customer, 100m));

            var succeeded = results.Where(r => r.Succeeded).ToList();
            Assert.True(succeeded.Count == 10, $"Round {round}: {succeeded.Count} debits went through, not 10.");
            Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(FailureTypes.InsufficientFunds.Code, r.Failure!.Code));
            // Each success saw its own balance: 900, 800, …, 0, each exactly once.
            Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 100m), succeeded.Select(r => r.Value!.Line.BalanceAfter).Order());
            Assert.Equal(0, await bank.BalanceAsync(customer));
        }

        Assert.Equal(Rounds * 11, await bank.TransactionCountAsync());
        Assert.Equal(0, await bank.CashAsync());
        await bank.AssertVerifiesAsync();
    }

    [Theory, DatabaseData]
    public async Task Five_hundred_random_concurrent_transfers_among_twenty_accounts_conserve_money_to_the_paisa(TestBank bank)
    {
        await bank.AddCustomersAsync(20);
        var customers = bank.Customers;
        var seed = Random.Shared.Next();
        var random = new Random(seed);

        var start = new long[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            start[i] = random.Next(0, 4) == 0 ? 0 : random.Next(1, 500_000);
            if (start[i] > 0)
            {
                await bank.FundAsync(customers[i], Rupees.FromPaise(start[i]));
            }
        }

        var transactionsBefore = await bank.TransactionCountAsync();
        var cashBefore = await bank.CashAsync();
        var orders = Enumerable.Range(0, 500).Select(_ =>
        {
            var from = random.Next(customers.Count);
            var to = (from + random.Next(1, customers.Count)) % customers.Count;
            // Mostly affordable amounts, some far beyond any balance.
            long paise = random.Next(0, 10) == 0 ? random.Next(500_000, 5_000_000) : random.Next(1, 60_000);
            return (From: from, To: to, Paise: paise);
        }).ToArray();

        var results = await Concurrently.RunAsync(orders.Length,
            i => bank.TransferAsync(customers[orders[i].From], customers[orders[i].To].AccountNumber, Rupees.FromPaise(orders[i].Paise)),
            maxInFlight: 64);

        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(FailureTypes.InsufficientFunds.Code, r.Failure!.Code));
        var expected = (long[])start.Clone();
        for (var i = 0; i < orders.Length; i++)
        {
            if (results[i].Succeeded)
            {
                expected[orders[i].From] -= orders[i].Paise;
                expected[orders[i].To] += orders[i].Paise;
            }
        }

        var balances = await bank.BalancesAsync();
        var actual = customers.Select(c => balances[c.AccountNumber]).ToArray();
        Assert.True(actual.Sum() == start.Sum(), $"seed {seed}: customers hold {actual.Sum()} paise, not the {start.Sum()} paid in.");
        Assert.All(actual, b => Assert.True(b >= 0, $"seed {seed}: a balance went negative: {b}"));
        Assert.Equal(expected, actual);
        Assert.Equal(cashBefore, await bank.CashAsync());
        Assert.Equal(transactionsBefore + results.Count(r => r.Succeeded), await bank.TransactionCountAsync());
        Assert.True(results.Count(r => r.Succeeded) > 100, $"seed {seed}: too few transfers went through to mean anything.");
        await bank.AssertVerifiesAsync();
    }

    [Theory, DatabaseData]
    public async Task Opposite_concurrent_transfers_between_two_accounts_never_deadlock_and_fail_only_for_insufficient_funds(TestBank bank)
    {
        const int Rounds = 2;
        const int EachWay = 100;
        await bank.AddCustomersAsync(2);
        var (a, b) = (bank.Customers[0], bank.Customers[1]);
        await bank.FundAsync(a, 1_000m);
        await bank.FundAsync(b, 1_000m);
        var random = new Random(12345);
        var expectedA = 100_000L;

        for (var round = 0; round < Rounds; round++)
        {
            var amounts = Enumerable.Range(0, 2 * EachWay).Select(_ => (long)random.Next(1, 40_000)).ToArray();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            var results = await Concurrently.RunAsync(amounts.Length, i => i % 2 == 0
                ? bank.TransferAsync(a, b.AccountNumber, Rupees.FromPaise(amounts[i]))
                : bank.TransferAsync(b, a.AccountNumber, Rupees.FromPaise(amounts[i]))).WaitAsync(timeout.Token);

            Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(FailureTypes.InsufficientFunds.Code, r.Failure!.Code));
            for (var i = 0; i < amounts.Length; i++)
            {
                if (results[i].Succeeded)
                {
                    expectedA += i % 2 == 0 ? -amounts[i] : amounts[i];
                }
            }

            Assert.Equal(expectedA, await bank.BalanceAsync(a));
            Assert.Equal(200_000 - expectedA, await bank.BalanceAsync(b));
            Assert.True(results.Count(r => r.Succeeded) >= EachWay / 2, $"Round {round}: only {results.Count(r => r.Succeeded)} transfers went through.");
        }

        await bank.AssertVerifiesAsync();
    }

    [Theory, DatabaseData]
    public async Task Twenty_concurrent_retries_with_one_idempotency_key_move_the_money_exactly_once(TestBank bank)
    {
        await bank.AddCustomersAsync(2);
        var (customer, other) = (bank.Customers[0], bank.Customers[1]);
        await bank.FundAsync(customer, 10_000m);

        var orders = new[]
        {
            new MoneyOrder("debit", 250.25m, Narration: "ATM"),
            new MoneyOrder("transfer", 1_000m, other.AccountNumber, "rent"),
            new MoneyOrder("credit", 0.01m),
        };
        foreach (var template in orders)
        {
            var order = template with { IdempotencyKey = Guid.NewGuid().ToString() };
            var before = await bank.StateAsync();

            var results = await Concurrently.RunAsync(20, _ => bank.MoveAsync(customer, order));

            Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.ToString()));
            var lines = results.Select(r => r.Value!).ToList();
            Assert.Single(lines.Select(l => l.Line.TransactionId).Distinct());
            Assert.Equal(19, lines.Count(l => l.Replayed));
            var original = lines.Single(l => !l.Replayed).Line;
            Assert.All(lines, l => Assert.Equal(original, l.Line));

            var after = await bank.StateAsync();
            Assert.Equal(before.Transactions + 1, after.Transactions);
            Assert.Equal(before.IdempotencyRecords + 1, after.IdempotencyRecords);
            var paise = (long)(order.Amount!.Value * 100);
            var change = order.Type == "credit" ? paise : -paise;
            Assert.Equal(before.Balances[customer.AccountNumber] + change, after.Balances[customer.AccountNumber]);
            Assert.Equal(original.BalanceAfter, Rupees.FromPaise(after.Balances[customer.AccountNumber]));
        }

        Assert.Equal(100_000, await bank.BalanceAsync(other));
        await bank.AssertVerifiesAsync();
    }

    [Theory, DatabaseData]
    public async Task A_transfer_refused_for_funds_stays_insufficient_funds_when_a_deposit_lands_while_the_refusal_is_explained(TestBank bank)
    {
        // The interleaving that makes opposite transfers fail with "conflict" now and then, made certain: the payer's
        // conditional update finds too little money; before the service reads why, a deposit to the payer commits.
        await bank.AddCustomersAsync(2);
        var (payer, payee) = (bank.Customers[0], bank.Customers[1]);
        await bank.FundAsync(payer, 10m);
        var depositedMeanwhile = false;
        var interceptor = new BeforeBalanceIsRead(async () =>
        {
            // PostgreSQL: another client deposits now. SQLite has one writer, which this transfer holds: the deposit
            // can only come after it, below.
            if (bank.Provider == DatabaseProvider.Postgres)
            {
                await bank.FundAsync(payer, 100m);
                depositedMeanwhile = true;
            }
        });

        var result = await TestBank.InterceptAsync(interceptor, () => bank.TransferAsync(payer, payee.AccountNumber, 50m));

        Assert.True(interceptor.Fired, "The refusal was not explained from the database: the test no longer hits the interleaving it is about.");
        if (!depositedMeanwhile)
        {
            await bank.FundAsync(payer, 100m);
        }

        // Either answer is right: refused for the funds the update saw, or moved once the money was there. "Try again" is not.
        Assert.True(result.Succeeded || result.Failure!.Code == FailureTypes.InsufficientFunds.Code,
            $"The transfer failed with {result.Failure?.Code}: {result.Failure?.Message}");
        var moved = result.Succeeded ? 5_000 : 0;
        Assert.Equal(11_000 - moved, await bank.BalanceAsync(payer));
        Assert.Equal(moved, await bank.BalanceAsync(payee));
        await bank.AssertVerifiesAsync();
    }

    [Fact]
    public async Task On_PostgreSQL_a_deposit_whose_cash_account_is_locked_by_another_movement_takes_a_free_one_instead_of_waiting()
    {
        // PostgreSQL only: SQLite has one writer and no row locks, so its movements never wait for a cash row.
        await using var bank = await TestBank.CreateAsync(DatabaseProvider.Postgres, new Dictionary<string, string?>());
        var customer = (await bank.AddCustomersAsync(1))[0];
        var preferred = BankAccounts.CashAccountFor(customer.Actor.UserId);
        var before = await bank.BalancesAsync();

        // Another transaction holds the lock of the customer's preferred cash account, as a movement in flight does.
        await using (var holder = bank.Database.CreateContext())
        {
            await using var held = await holder.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await holder.Database.ExecuteSqlAsync($"SELECT id FROM accounts WHERE account_number = {preferred} FOR UPDATE", TestContext.Current.CancellationToken);

            var result = await bank.CreditAsync(customer, 250m).WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

            Assert.True(result.Succeeded, result.Failure?.ToString());
            var during = await bank.BalancesAsync();
            Assert.Equal(before[preferred], during[preferred]);
            var took = Assert.Single(BankAccounts.CashAccountNumbers, n => during[n] != before[n]);
            Assert.Equal(-25_000, during[took] - before[took]);
            await held.RollbackAsync(TestContext.Current.CancellationToken);
        }

        // Free again, the preferred one takes the next deposit.
        Assert.True((await bank.CreditAsync(customer, 1m)).Succeeded);
        Assert.Equal(before[preferred] - 100, (await bank.BalancesAsync())[preferred]);
        Assert.Equal(25_100, await bank.BalanceAsync(customer));
        await bank.AssertVerifiesAsync();
    }

    /// <summary>Runs a callback once, just before the first query of the context that reads an account balance.</summary>
    private sealed class BeforeBalanceIsRead(Func<Task> callback) : DbCommandInterceptor
    {
        public bool Fired { get; private set; }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (!Fired && command.CommandText.Contains("balance_paise", StringComparison.Ordinal)
                && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                Fired = true;
                await callback();
            }

            return result;
        }
    }
}
