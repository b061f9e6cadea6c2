using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bank.Core.Data;

/// <summary>
/// Runs a unit of work as one database transaction. On SQLite, which allows one writer at a time,
/// writes from this process queue on one gate and start with BEGIN IMMEDIATE, so load never
/// surfaces as "database is locked". On PostgreSQL, serialization failures and deadlocks are retried.
/// </summary>
public sealed class WriteGate(BankMetrics metrics) : IDisposable
{
    private const int MaxAttempts = 5;
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction: committed (after SaveChanges) when it succeeds, rolled back otherwise.
    /// Either way the context tracks nothing afterwards.
    /// </summary>
    public async Task<Result<T>> WriteAsync<T>(BankDbContext db, Func<CancellationToken, Task<Result<T>>> work, CancellationToken ct)
    {
        var sqlite = db.Provider == DatabaseProvider.Sqlite;
        if (sqlite)
        {
            using var queued = metrics.GateQueued();
            await _sqliteWriter.WaitAsync(ct);
        }

        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    var result = await work(ct);
                    if (result.Succeeded)
                    {
                        await db.SaveChangesAsync(ct);
                        await tx.CommitAsync(ct);
                    }
                    else
                    {
                        await tx.RollbackAsync(ct);
                    }

                    // A unit of work leaves nothing tracked: the next one on this context reads the database, not what this one saw.
                    db.ChangeTracker.Clear();
                    return result;
                }
                catch (Exception ex) when (attempt < MaxAttempts && DbErrors.IsTransient(ex))
                {
                    db.ChangeTracker.Clear();
                    await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * Random.Shared.Next(1, 5)), ct);
                }
                catch
                {
                    db.ChangeTracker.Clear();
                    throw;
                }
            }
        }
        finally
        {
            if (sqlite)
            {
                _sqliteWriter.Release();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _sqliteWriter.Dispose();
}

/// <summary>Recognises database errors by meaning, on both providers.</summary>
public static class DbErrors
{
    /// <summary>Whether a unique index refused a write; <paramref name="constraint"/> names it (as far as the database says).</summary>
    public static bool IsUniqueViolation(Exception ex, out string constraint)
    {
        constraint = "";
        switch (ex.InnerException ?? ex)
        {
            case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg:
                constraint = pg.ConstraintName ?? pg.MessageText;
                return true;
            case SqliteException { SqliteErrorCode: 19 } sq when sq.Message.Contains("UNIQUE", StringComparison.Ordinal):
                constraint = sq.Message;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether retrying the whole transaction may succeed (serialization failure, deadlock, busy database).</summary>
    public static bool IsTransient(Exception ex) => (ex.InnerException ?? ex) switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException sq => sq.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        _ => false,
    };
}
