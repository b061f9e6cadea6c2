using Bank.Core.Data;
using Bank.Core.Tests.Infrastructure;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Data;

/// <summary>The counter rows behind User IDs and account numbers, on both databases.</summary>
public sealed class CounterTests
{
    [Theory, DatabaseData]
    public async Task Concurrent_transactions_get_distinct_consecutive_values_and_rolled_back_values_are_reused(TestBank bank)
    {
        var ct = TestContext.Current.CancellationToken;
        long before;
        await using (var db = bank.Database.CreateContext())
        {
            before = await db.Counters.Where(c => c.Name == CounterNames.UserId).Select(c => c.Value).SingleAsync(ct);
        }

        var values = await Concurrently.RunAsync(40, async i =>
        {
            await using var scope = bank.Scope();
            var db = scope.Db;
            var result = await scope.Get<WriteGate>().WriteAsync(db, async token =>
            {
                var value = await Counters.NextAsync(db, CounterNames.UserId, token);
                // Every fifth transaction rolls back: its value is not committed.
                return i % 5 == 4 ? FailureTypes.Conflict.Because("rolled back") : Result.Ok(value);
            }, ct);
            return result.Succeeded ? result.Value : (long?)null;
        });

        var committed = values.OfType<long>().Order().ToList();
        Assert.Equal(32, committed.Count);
        // A rolled-back UPDATE … RETURNING gives its value back: the committed values follow the counter with no gaps at all.
        Assert.Equal(Enumerable.Range(1, 32).Select(i => before + i), committed);
        await using var check = bank.Database.CreateContext();
        var last = await check.Counters.Where(c => c.Name == CounterNames.UserId).Select(c => c.Value).SingleAsync(ct);
        Assert.Equal(committed[^1], last);
    }
}
