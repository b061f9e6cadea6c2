using System.Data.Common;
using Bank.Core.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Data;

/// <summary>The database as the host sees it: migrations (with the bank's own accounts) and readiness.</summary>
public sealed class BankDatabase(BankDbContext db, TimeProvider clock)
{
    /// <summary>Which database is configured.</summary>
    public DatabaseProvider Provider => db.Provider;

    /// <summary>Applies the migrations of the configured database, on SQLite turns on WAL, and opens the bank's own accounts.</summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        await BankAccounts.EnsureAsync(db, clock, ct);
    }

    /// <summary>Whether the database answers and is migrated (readiness).</summary>
    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            return await db.Database.CanConnectAsync(ct) && await db.Counters.AnyAsync(ct);
        }
        catch (DbException)
        {
            // Not migrated yet (no counters table), or the server refused the query.
            return false;
        }
    }
}
