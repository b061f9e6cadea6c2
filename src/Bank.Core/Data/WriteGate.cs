using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bank.Core.Data;

/// <summary>
/// Runs a unit of work as one database transaction. On SQLite, which allows one writer at a time,
/// writes from this process queue on one gate and start with BEGIN IMMEDIATE, so load never
/// surfaces as "database is locked"; money movements waiting there are committed together (group commit,
/// <see cref="WriteGroupedAsync{T}"/>). On PostgreSQL, serialization failures and deadlocks are retried.
/// </summary>
public sealed class WriteGate(IServiceScopeFactory scopes, BankMetrics metrics) : IDisposable
{
    /// <summary>The most units one group commit takes: enough to share one fsync widely, few enough to answer soon.</summary>
    public const int MaxGroup = 64;

    private const int MaxAttempts = 5;

    /// <summary>The savepoint each unit of a group runs in (one at a time, so one name serves).</summary>
    private const string Savepoint = "unit";
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);
    private readonly Lock _queueLock = new();
    private readonly List<GroupedUnit> _queue = [];
    private bool _leading;

    /// <summary>How many money movements wait at the SQLite gate for the next group commit (for operators' gauges and tests).</summary>
    public int Queued
    {
        get
        {
            lock (_queueLock)
            {
                return _queue.Count;
            }
        }
    }

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

        // The transaction commits whole or not at all: EF's savepoint around SaveChanges would only add two round trips,
        // made while the movement holds its rows' locks.
        db.Database.AutoSavepointsEnabled = false;
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
                        // Once asked, a commit is not cancelled: a caller that gave up mid-commit could not tell what happened.
                        await tx.CommitAsync(CancellationToken.None);
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
            // The context goes back to the pool as it came.
            db.Database.AutoSavepointsEnabled = true;
            if (sqlite)
            {
                _sqliteWriter.Release();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction like <see cref="WriteAsync{T}"/>, handing it the context of the unit it
    /// runs in: the caller's own (<paramref name="db"/>) on PostgreSQL; on SQLite a group commit's, shared by every unit
    /// waiting at the gate. There each unit runs in a savepoint of its own, so a refused or failing unit rolls back only
    /// itself, one commit (one fsync) makes them all durable, and no caller is answered before that commit. The work must
    /// depend only on what it is given (it may run on another caller's async flow; it writes through the context it is
    /// handed, never the caller's) and may run again from the start when the group's transaction is retried.
    /// </summary>
    public async Task<Result<T>> WriteGroupedAsync<T>(
        BankDbContext db, Func<BankDbContext, CancellationToken, Task<Result<T>>> work, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Sqlite)
        {
            return await WriteAsync(db, token => work(db, token), ct);
        }

        ct.ThrowIfCancellationRequested();
        var unit = new GroupedUnit(async (context, token) =>
        {
            var result = await work(context, token);
            return (result.Succeeded, result);
        }, metrics.GateQueued());
        bool lead;
        lock (_queueLock)
        {
            _queue.Add(unit);
            // Whoever finds no leader leads; otherwise the leader of the moment takes this unit in its next group.
            lead = !_leading;
            _leading = true;
        }

        if (!lead && await Task.WhenAny(unit.Answer.Task, unit.Promoted.Task) == unit.Promoted.Task)
        {
            lead = true;
        }

        if (lead)
        {
            await LeadAsync();
        }

        return (Result<T>)await unit.Answer.Task;
    }

    /// <summary>
    /// Commits one group (the waiting units, oldest first, at most <see cref="MaxGroup"/>; this leader's own is the oldest),
    /// hands the lead to the oldest unit still waiting, and only then answers the group's callers.
    /// </summary>
    private async Task LeadAsync()
    {
        List<GroupedUnit> group;
        Dictionary<GroupedUnit, object> answers;
        await _sqliteWriter.WaitAsync(CancellationToken.None);
        try
        {
            lock (_queueLock)
            {
                group = _queue.GetRange(0, Math.Min(MaxGroup, _queue.Count));
                _queue.RemoveRange(0, group.Count);
            }

            foreach (var unit in group)
            {
                // Its wait at the gate ends here (queue length and wait, for operators).
                unit.Queued.Dispose();
            }

            try
            {
                answers = await CommitGroupAsync(group);
            }
            catch (Exception ex)
            {
                // Whatever went wrong, every caller of the group is answered and the lead passes on: no one waits forever.
                answers = group.ToDictionary(u => u, _ => (object)ex);
            }
        }
        finally
        {
            _sqliteWriter.Release();
        }

        GroupedUnit? next = null;
        lock (_queueLock)
        {
            if (_queue.Count > 0)
            {
                next = _queue[0];
            }
            else
            {
                _leading = false;
            }
        }

        next?.Promoted.TrySetResult();
        foreach (var unit in group)
        {
            switch (answers[unit])
            {
                case Exception ex:
                    unit.Answer.TrySetException(ex);
                    break;
                case var result:
                    unit.Answer.TrySetResult(result);
                    break;
            }
        }
    }

    /// <summary>One transaction for the group, a savepoint per unit; each unit's answer (a result, or the exception it threw).</summary>
    private async Task<Dictionary<GroupedUnit, object>> CommitGroupAsync(List<GroupedUnit> group)
    {
        // The group's own token: once a group has begun, no caller's cancellation tears it.
        var ct = CancellationToken.None;
        for (var attempt = 1; ; attempt++)
        {
            var answers = new Dictionary<GroupedUnit, object>(group.Count);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BankDbContext>();
            // Each unit has its own savepoint below; EF's own one per SaveChanges would only add statements.
            db.Database.AutoSavepointsEnabled = false;
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                foreach (var unit in group)
                {
                    await tx.CreateSavepointAsync(Savepoint, ct);
                    try
                    {
                        var (succeeded, result) = await unit.Work(db, ct);
                        if (succeeded)
                        {
                            await db.SaveChangesAsync(ct);
                            await tx.ReleaseSavepointAsync(Savepoint, ct);
                        }
                        else
                        {
                            await tx.RollbackToSavepointAsync(Savepoint, ct);
                            await tx.ReleaseSavepointAsync(Savepoint, ct);
                        }

                        answers[unit] = result;
                    }
                    catch (Exception ex) when (!DbErrors.IsTransient(ex))
                    {
                        // This unit's trouble is its own (for example a unique key it drew twice): the others go on.
                        await tx.RollbackToSavepointAsync(Savepoint, ct);
                        await tx.ReleaseSavepointAsync(Savepoint, ct);
                        answers[unit] = ex;
                    }
                    finally
                    {
                        db.ChangeTracker.Clear();
                    }
                }

                await tx.CommitAsync(ct);
                return answers;
            }
            catch (Exception ex) when (attempt < MaxAttempts && DbErrors.IsTransient(ex))
            {
                // Nothing of the group was committed: every unit runs again in a new transaction.
                await Task.Delay(TimeSpan.FromMilliseconds(10 * attempt * Random.Shared.Next(1, 5)), ct);
            }
            catch (Exception ex)
            {
                // Nothing of the group was committed (the disk failed, say): every caller hears why, none is told "done".
                return group.ToDictionary(u => u, _ => (object)ex);
            }
            finally
            {
                // The context goes back to the pool as it came.
                db.Database.AutoSavepointsEnabled = true;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _sqliteWriter.Dispose();

    /// <summary>A unit of work waiting at the SQLite gate, and where its caller waits for the answer.</summary>
    private sealed class GroupedUnit(Func<BankDbContext, CancellationToken, Task<(bool Succeeded, object Result)>> work, BankMetrics.GateTicket queued)
    {
        /// <summary>The unit's place in the gate's queue gauge, given up when a group takes it.</summary>
        public BankMetrics.GateTicket Queued { get; } = queued;

        /// <summary>The work on the group's context; its result boxed, with whether it succeeded (committed) or was refused (rolled back).</summary>
        public Func<BankDbContext, CancellationToken, Task<(bool Succeeded, object Result)>> Work { get; } = work;

        /// <summary>The unit's result, or its exception. Continuations run apart from the leader.</summary>
        public TaskCompletionSource<object> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set when this waiting unit's caller becomes the next leader (before its unit is answered).</summary>
        public TaskCompletionSource Promoted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
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
