using Bank.Core.Data;
using Bank.Tests.Shared;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Data;

/// <summary>Each database's migrations match the model and apply to an empty database.</summary>
public sealed class MigrationTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Migrations_cover_the_whole_model_and_seed_the_counters(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = database.CreateContext();

        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations lag behind the model: add a migration.");
        await DatabaseSetup.MigrateAsync(db, TestContext.Current.CancellationToken);

        var counters = await db.Counters.OrderBy(c => c.Name).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([CounterNames.AccountNumber, CounterNames.UserId], counters.Select(c => c.Name));
        Assert.Equal(BankDbContext.FirstUserId - 1, counters.Single(c => c.Name == CounterNames.UserId).Value);
    }
}
