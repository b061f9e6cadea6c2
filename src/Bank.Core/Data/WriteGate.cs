using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Bank.Core.Data;

/// <summary>
/// Runs a unit of work as one database transaction. On SQLite, which allows one writer at a time,
/// writes from this process queue on one gate and start with BEGIN IMMEDIATE, so load never
/// surfaces as "database is locked". On PostgreSQL, serialization failures and deadlocks are retried.
/// </summary>
public sealed class WriteGate : IDisposable
{
    private const int MaxAttempts = 5;
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);

    /// <summary>Runs <paramref name="work"/> in a transaction: committed (after SaveChanges) when it succeeds, rolled back otherwise.</summary>
    public async Task<Result<T>> WriteAsync<T>(BankDbContext db, Func<CancellationToken, Task<Result<T>>> work, CancellationToken ct)
    {
        var sqlite = db.Provider == DatabaseProvider.Sqlite;
        if (sqlite)
        {
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
                        db.ChangeTracker.Clear();
                    }

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

    public void Dispose() => _sqliteWriter.Dispose();
}

/// <summary>Recognises database errors by meaning, on both providers.</summary>
public static class DbErrors
{
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

    public static bool IsTransient(Exception ex) => (ex.InnerException ?? ex) switch
    {
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        SqliteException sq => sq.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        _ => false,
    };
}

/// <summary>Named sequences advanced inside the current transaction with UPDATE … RETURNING (same SQL on both databases).</summary>
public static class Counters
{
    public static async Task<long> NextAsync(BankDbContext db, string name, CancellationToken ct) =>
        await Sql.Int64OrNullAsync(db, "UPDATE counters SET value = value + 1 WHERE name = @name RETURNING value", ct, ("@name", name))
        ?? throw new InvalidOperationException($"Counter '{name}' is missing.");
}
