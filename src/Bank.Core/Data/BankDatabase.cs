using System.Data.Common;
using Bank.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Bank.Core.Data;

/// <summary>The database as the host sees it: migrations (with the bank's own accounts) and readiness.</summary>
public sealed partial class BankDatabase(BankDbContext db, TimeProvider clock, ILogger<BankDatabase> logger)
{
    /// <summary>Which database is configured.</summary>
    public DatabaseProvider Provider => db.Provider;

    /// <summary>
    /// Applies the migrations of the configured database, builds any index of the model it lacks, on SQLite turns on WAL and
    /// refreshes stale statistics, and opens the bank's own accounts.
    /// </summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);

        // An index dropped for a bulk load that did not finish (SchemaIndexes) is built again before the bank serves.
        var built = await SchemaIndexes.CreateMissingAsync(db, ct);
        if (built.Count > 0)
        {
            LogIndexesBuilt(string.Join(", ", built));
        }

        if (db.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);

            // SQLite keeps its planner's statistics until asked again (PostgreSQL's autovacuum refreshes them itself): at each
            // start, every table that grew or shrank 25-fold since its last ANALYZE is analysed again, within a bounded time
            // (SQLite's advice for long-lived connections: https://sqlite.org/pragma.html#pragma_optimize).
            await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", ct);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Built the missing indexes {Indexes} (a bulk load stopped before building them again).")]
    private partial void LogIndexesBuilt(string indexes);
}
