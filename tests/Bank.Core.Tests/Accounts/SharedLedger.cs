using Bank.Core.Data;

namespace Bank.Core.Tests.Accounts;

/// <summary>
/// One ledger per database for a whole test class (creating a database is the slow part). Tests of one class run
/// one after another; each takes customers no earlier test has touched.
/// </summary>
public sealed class SharedLedger : IAsyncDisposable
{
    private readonly Dictionary<DatabaseProvider, Lazy<Task<Ledger>>> _ledgers = new()
    {
        [DatabaseProvider.Sqlite] = new(() => Ledger.CreateAsync(DatabaseProvider.Sqlite, customers: 0)),
        [DatabaseProvider.Postgres] = new(() => Ledger.CreateAsync(DatabaseProvider.Postgres, customers: 0)),
    };

    internal Task<Ledger> ForAsync(DatabaseProvider provider) => _ledgers[provider].Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var ledger in _ledgers.Values.Where(l => l.IsValueCreated))
        {
            try
            {
                await (await ledger.Value).DisposeAsync();
            }
            catch (Exception)
            {
                // A ledger that failed to start failed its test already.
            }
        }
    }
}
