using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Bank.Core.Data;

/// <summary>
/// Hand-written statements that must run as written on both databases: conditional updates with RETURNING inside the
/// current transaction of the context, and grouped report queries.
/// </summary>
public static class Sql
{
    /// <summary>Runs a statement and returns the first column of its first row as a number, or null when no row came back.</summary>
    public static async Task<long?> Int64OrNullAsync(BankDbContext db, string text, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(db, text, parameters, inTransaction: true);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs statements that each return rows (RETURNING), in order, inside the current transaction, and returns each one's
    /// rows (their values, column by column). On PostgreSQL they go to the server together, in one round trip (a batch);
    /// SQLite, in the same process, runs them one by one.
    /// </summary>
    public static async Task<List<List<object[]>>> BatchAsync(BankDbContext db, IReadOnlyList<Statement> statements, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var results = new List<List<object[]>>(statements.Count);
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                ?? throw new InvalidOperationException("These statements run only inside a transaction.");
            foreach (var statement in statements)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement.Text;
                foreach (var (name, value) in statement.Parameters)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }

                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            do
            {
                results.Add(await ReadAllAsync(reader, ct));
            }
            while (await reader.NextResultAsync(ct));
        }
        else
        {
            foreach (var statement in statements)
            {
                await using var command = Command(db, statement.Text, statement.Parameters, inTransaction: true);
                await using var reader = await command.ExecuteReaderAsync(ct);
                results.Add(await ReadAllAsync(reader, ct));
            }
        }

        // A statement without RETURNING would leave no result and shift the others' rows.
        return results.Count == statements.Count
            ? results
            : throw new InvalidOperationException("Every statement of a batch must return rows (RETURNING).");
    }

    /// <summary>
    /// Runs a read-only query (inside the current transaction if there is one) and maps each row; for the grouped report
    /// queries that LINQ cannot say on both databases.
    /// </summary>
    public static async Task<List<T>> RowsAsync<T>(BankDbContext db, string text, Func<DbDataReader, T> map, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        var opened = db.Database.GetDbConnection().State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct);
        }

        try
        {
            await using var command = Command(db, text, parameters, inTransaction: false);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<T>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(map(reader));
            }

            return rows;
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>A timestamp as the database stores it (UTC ticks on SQLite, timestamptz on PostgreSQL).</summary>
    public static object Timestamp(BankDbContext db, DateTimeOffset at) =>
        db.Provider == DatabaseProvider.Sqlite ? at.UtcTicks : at.ToUniversalTime();

    private static async Task<List<object[]>> ReadAllAsync(DbDataReader reader, CancellationToken ct)
    {
        var rows = new List<object[]>();
        while (await reader.ReadAsync(ct))
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return rows;
    }

    private static DbCommand Command(BankDbContext db, string text, (string Name, object? Value)[] parameters, bool inTransaction)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (inTransaction && command.Transaction is null)
        {
            throw new InvalidOperationException("This statement runs only inside a transaction.");
        }

        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}

/// <summary>A statement and its parameters (for <see cref="Sql.BatchAsync"/>).</summary>
public sealed record Statement(string Text, params (string Name, object? Value)[] Parameters);
