using Bank.Core.Data;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Core.Tests.Data;

/// <summary>Each database's migrations match the model and apply to an empty database.</summary>
public sealed class MigrationTests
{
    [Theory, DatabaseData]
    public async Task Migrations_cover_the_whole_model_and_seed_the_counters(DatabaseProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var services = new ServiceCollection().AddLogging().AddBankCore(database.Configuration()).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BankDbContext>();

        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations lag behind the model: add a migration.");
        Assert.False(await scope.ServiceProvider.GetRequiredService<BankDatabase>().IsReadyAsync(ct), "An empty database is not ready.");
        await scope.ServiceProvider.GetRequiredService<BankDatabase>().MigrateAsync(ct);

        var counters = await db.Counters.OrderBy(c => c.Name).ToListAsync(ct);
        Assert.Equal([CounterNames.AccountNumber, CounterNames.UserId], counters.Select(c => c.Name));
        Assert.Equal(UserId.First.Value - 1, counters.Single(c => c.Name == CounterNames.UserId).Value);
        Assert.True(await scope.ServiceProvider.GetRequiredService<BankDatabase>().IsReadyAsync(ct));
    }
}
