using Bank.Core.Data;
using Bank.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Data;

/// <summary>The counter rows behind User IDs and account numbers, on both databases.</summary>
public sealed class CounterTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Concurrent_transactions_get_distinct_consecutive_values_and_rolled_back_values_are_reused(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using (var setup = database.CreateContext())
        {
            await DatabaseSetup.MigrateAsync(setup, TestContext.Current.CancellationToken);
        }

        using var gate = new WriteGate();
        var values = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            await using var db = database.CreateContext();
            var result = await gate.WriteAsync<long>(db, async ct =>
            {
                var value = await Counters.NextAsync(db, CounterNames.UserId, ct);
                // Every fifth transaction rolls back: its value is not committed.
                return i % 5 == 4 ? new Failure(FailureCodes.Conflict, "rolled back") : Result<long>.Ok(value);
            }, TestContext.Current.CancellationToken);
            return result.Succeeded ? result.Value : (long?)null;
        }));

        var committed = values.OfType<long>().Order().ToList();
        Assert.Equal(32, committed.Count);
        // A rolled-back UPDATE … RETURNING gives its value back: the committed values have no gaps at all.
        Assert.Equal(Enumerable.Range(0, 32).Select(i => BankDbContext.FirstUserId + i), committed);
        await using var check = database.CreateContext();
        var last = await check.Counters.Where(c => c.Name == CounterNames.UserId).Select(c => c.Value).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(committed[^1], last);
    }
}
