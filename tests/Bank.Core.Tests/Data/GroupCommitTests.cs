using Bank.Core.Data;
using Bank.Core.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Core.Tests.Data;

/// <summary>
/// SQLite's group commit (<see cref="WriteGate.WriteGroupedAsync{T}"/>): the movements waiting at the gate are applied in
/// one transaction, each in its own savepoint, and no caller hears "done" before that transaction commits.
/// </summary>
public sealed class GroupCommitTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Waiting_movements_commit_together_no_caller_is_answered_before_the_commit_and_a_refused_one_rolls_back_only_itself()
    {
        await using var bank = await TestBank.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>());
        await bank.AddCustomersAsync(4);
        var (first, payer, poor, payee) = (bank.Customers[0], bank.Customers[1], bank.Customers[2], bank.Customers[3]);
        await bank.FundAsync(payer, 1_000m);
        await bank.FundAsync(poor, 5m);
        var gate = bank.Services.GetRequiredService<WriteGate>();
        var before = await bank.StateAsync();
        var cashBefore = await bank.CashAsync();

        // Every commit of this test's flow stops until the test lets it go.
        var commits = 0;
        var reached = new SemaphoreSlim(0);
        var release = new SemaphoreSlim(0);
        TestBank.Interceptor.BeforeCommit.Value = async () =>
        {
            Interlocked.Increment(ref commits);
            reached.Release();
            await release.WaitAsync(Token);
        };
        try
        {
            // The first movement leads and holds its commit open.
            var leading = bank.CreditAsync(first, 10m, key: "lead");
            Assert.True(await reached.WaitAsync(TimeSpan.FromSeconds(30), Token), "The first movement never reached its commit.");

            // Five more arrive while it commits: they wait at the gate, together.
            var waiting = new[]
            {
                bank.DebitAsync(payer, 100m, key: "debit"),
                bank.TransferAsync(payer, payee.AccountNumber, 200m, key: "transfer"),
                bank.DebitAsync(poor, 50m, key: "refused"),
                bank.CreditAsync(payee, 1m, key: "credit"),
                bank.CreditAsync(poor, 2m, key: "credit-poor"),
            };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (gate.Queued < waiting.Length && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, Token);
            }

            Assert.Equal(waiting.Length, gate.Queued);

            // Nothing is answered, and nothing is visible to others, while the first commit is held.
            Assert.False(leading.IsCompleted, "The leader answered before its commit.");
            Assert.All(waiting, t => Assert.False(t.IsCompleted, "A waiting movement answered before any commit of its own."));
            Assert.Equal(before.Transactions, await bank.TransactionCountAsync());

            release.Release();
            var lead = await leading;
            Assert.True(lead.Succeeded, lead.Failure?.ToString());

            // The five run as one group: one more commit, held like the first; still no answer, nothing visible.
            Assert.True(await reached.WaitAsync(TimeSpan.FromSeconds(30), Token), "The waiting movements never reached a commit.");
            Assert.Equal(0, gate.Queued);
            Assert.All(waiting, t => Assert.False(t.IsCompleted, "A movement answered before its group committed."));
            Assert.Equal(before.Transactions + 1, await bank.TransactionCountAsync());

            release.Release();
            var results = await Task.WhenAll(waiting);

            Assert.Equal(2, commits);
            Assert.True(results[0].Succeeded, results[0].Failure?.ToString());
            Assert.True(results[1].Succeeded, results[1].Failure?.ToString());
            Assert.Equal(FailureTypes.InsufficientFunds.Code, results[2].Failure?.Code);
            Assert.True(results[3].Succeeded, results[3].Failure?.ToString());
            Assert.True(results[4].Succeeded, results[4].Failure?.ToString());
            Assert.Equal(700m, results[1].Value!.Line.BalanceAfter);
            Assert.Equal(7m, results[4].Value!.Line.BalanceAfter);
        }
        finally
        {
            TestBank.Interceptor.BeforeCommit.Value = null;
        }

        // The refused debit left nothing behind, not even its Idempotency-Key; the others are all in the books.
        var after = await bank.StateAsync();
        Assert.Equal(before.Transactions + 5, after.Transactions);
        Assert.Equal(before.IdempotencyRecords + 5, after.IdempotencyRecords);
        Assert.Equal(before.Balances[first.AccountNumber] + 1_000, after.Balances[first.AccountNumber]);
        Assert.Equal(before.Balances[payer.AccountNumber] - 30_000, after.Balances[payer.AccountNumber]);
        Assert.Equal(before.Balances[poor.AccountNumber] + 200, after.Balances[poor.AccountNumber]);
        Assert.Equal(before.Balances[payee.AccountNumber] + 20_100, after.Balances[payee.AccountNumber]);
        Assert.Equal(cashBefore - 1_000 + 10_000 - 100 - 200, await bank.CashAsync());
        await using (var db = bank.Database.CreateContext())
        {
            Assert.False(await db.IdempotencyRecords.AnyAsync(r => r.Key == "refused", Token));
        }

        await bank.AssertVerifiesAsync();
    }

    [Fact]
    public async Task Two_hundred_concurrent_opposite_transfers_through_the_group_commit_conserve_money_and_leave_no_one_waiting()
    {
        await using var bank = await TestBank.CreateAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?>());
        await bank.AddCustomersAsync(2);
        var (a, b) = (bank.Customers[0], bank.Customers[1]);
        await bank.FundAsync(a, 1_000m);
        var results = await Concurrently.RunAsync(200, i => bank.TransferAsync(i % 2 == 0 ? a : b, (i % 2 == 0 ? b : a).AccountNumber, 1m));

        Assert.All(results, r => Assert.True(r.Succeeded || r.Failure!.Code == FailureTypes.InsufficientFunds.Code, r.Failure?.ToString()));
        Assert.Equal(100_000, await bank.BalanceAsync(a) + await bank.BalanceAsync(b));
        Assert.Equal(0, bank.Services.GetRequiredService<WriteGate>().Queued);
        await bank.AssertVerifiesAsync();
    }
}
