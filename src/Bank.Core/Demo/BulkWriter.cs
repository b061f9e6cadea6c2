using Bank.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Bank.Core.Demo;

/// <summary>
/// One table as the EF model maps it: its name and columns, each with the entity property's value already converted
/// to what the database stores (enum names such as <c>Super_Admin</c>, UTC ticks for times on SQLite). Bulk rows are
/// the entities themselves, so a bulk load writes exactly the columns and values <c>SaveChanges</c> would.
/// </summary>
internal sealed class BulkTable
{
    private BulkTable(string name, IReadOnlyList<BulkColumn> columns)
    {
        Name = name;
        Columns = columns;
    }

    /// <summary>The table's name.</summary>
    public string Name { get; }

    /// <summary>Its mapped columns, in the order they are written.</summary>
    public IReadOnlyList<BulkColumn> Columns { get; }

    /// <summary>The quoted column names, comma-separated.</summary>
    public string ColumnList => string.Join(", ", Columns.Select(c => $"\"{c.Name}\""));

    /// <summary>The table of entity <typeparamref name="T"/> in <paramref name="db"/>'s model.</summary>
    public static BulkTable Of<T>(BankDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var mapping = entity.GetTableMappings().Single();
        var columns = mapping.ColumnMappings.Select(c => BulkColumn.For(c.Column.Name, c.Property, c.TypeMapping)).ToList();
        return new BulkTable(mapping.Table.Name, columns);
    }
}

/// <summary>One column of a <see cref="BulkTable"/>: its name, the stored value of a row, and the stored CLR type.</summary>
internal sealed record BulkColumn(string Name, Type StoredType, Func<object, object?> Read)
{
    public static BulkColumn For(string name, IProperty property, RelationalTypeMapping typeMapping)
    {
        var getter = property.GetGetter();
        var converter = typeMapping.Converter;
        var stored = converter?.ProviderClrType ?? property.ClrType;
        return new BulkColumn(name, Nullable.GetUnderlyingType(stored) ?? stored, row =>
        {
            var value = getter.GetClrValueUsingContainingEntity(row);
            return value is null || converter is null ? value : converter.ConvertToProvider(value);
        });
    }
}

/// <summary>A change of one account's balance by a bulk load: the sum of its new entries and the time of the latest.</summary>
internal readonly record struct BalanceChange(long AccountId, long DeltaPaise, DateTimeOffset LastAt);

/// <summary>A user's latest successful sign-in among new login-history rows.</summary>
internal readonly record struct LastLogin(long UserId, DateTimeOffset At);

/// <summary>
/// Writes many rows inside the current write transaction (<see cref="WriteGate"/>): binary COPY on PostgreSQL, one
/// prepared INSERT per table bound row by row on SQLite. Rows carry explicit ids taken from <c>max(id) + 1</c> while
/// the tables are held (<see cref="LockAsync"/>), and the identity sequences are moved past them.
/// </summary>
internal abstract class BulkWriter(BankDbContext db) : IAsyncDisposable
{
    protected BankDbContext Db { get; } = db;

    /// <summary>The writer for the context's database.</summary>
    public static BulkWriter For(BankDbContext db) => db.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteBulkWriter(db),
        DatabaseProvider.Postgres => new PostgresBulkWriter(db),
        _ => throw new ArgumentOutOfRangeException(nameof(db), db.Provider, null),
    };

    /// <summary>Inserts entities of one type as their mapping stores them, ids included.</summary>
    public abstract Task InsertAsync<T>(IReadOnlyList<T> rows, CancellationToken ct)
        where T : class;

    /// <summary>
    /// Keeps every other writer out of <paramref name="tables"/> until commit, so that explicit ids from max(id) + 1 cannot
    /// meet another insert. SQLite: the transaction already holds the database's single write lock (BEGIN IMMEDIATE).
    /// </summary>
    public virtual Task LockAsync(IReadOnlyList<string> tables, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The first id after the largest in <paramref name="table"/> (call after <see cref="LockAsync"/>).</summary>
    public async Task<long> NextIdAsync(string table, CancellationToken ct) =>
        await Sql.Int64OrNullAsync(Db, $"SELECT COALESCE(MAX(id), 0) + 1 FROM \"{table}\"", ct) ?? 1;

    /// <summary>After explicit ids: PostgreSQL's identity sequence continues after the largest id (SQLite's AUTOINCREMENT does so itself).</summary>
    public virtual Task AdvanceIdentityAsync(string table, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Adds each change to its account's balance and moves its last transaction time forward (never back).</summary>
    public abstract Task AddToBalancesAsync(IReadOnlyList<BalanceChange> changes, CancellationToken ct);

    /// <summary>Moves each user's last sign-in forward (never back).</summary>
    public abstract Task RaiseLastLoginAsync(IReadOnlyList<LastLogin> logins, CancellationToken ct);

    /// <summary>Refreshes the planner's statistics after a bulk load (outside any transaction).</summary>
    public abstract Task AnalyzeAsync(IReadOnlyList<string> tables, CancellationToken ct);

    /// <inheritdoc/>
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected System.Data.Common.DbTransaction Transaction =>
        Db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Bulk writes run inside a write transaction.");
}

/// <summary>
/// SQLite: one prepared statement per table for the whole load, parameters bound per row, inside large transactions. For
/// the load, the connection keeps up to <see cref="CacheKiB"/> of pages in memory instead of SQLite's 2 MB: a load inserts
/// into every index of tables growing to hundreds of megabytes, and with the small cache each page went out to the
/// operating system and was read back several times (millions of reads and writes for 20,000 customers).
/// </summary>
internal sealed class SqliteBulkWriter : BulkWriter
{
    private const int CacheKiB = 256 * 1024;

    private const string AddToBalance =
        "UPDATE accounts SET balance_paise = balance_paise + $delta, " +
        "last_transaction_at = CASE WHEN last_transaction_at IS NULL OR last_transaction_at < $at THEN $at ELSE last_transaction_at END WHERE id = $id";

    private const string RaiseLastLogin =
        "UPDATE users SET last_login_at = $at WHERE id = $id AND (last_login_at IS NULL OR last_login_at < $at)";

    private readonly Dictionary<Type, (SqliteCommand Command, BulkTable Table)> _inserts = [];
    private SqliteCommand? _balances;
    private SqliteCommand? _logins;

    private readonly long _cacheBefore;

    public SqliteBulkWriter(BankDbContext db)
        : base(db)
    {
        _cacheBefore = Run("PRAGMA cache_size");
        Run($"PRAGMA cache_size = -{CacheKiB}");
    }

    private SqliteConnection Connection => (SqliteConnection)Db.Database.GetDbConnection();

    public override Task InsertAsync<T>(IReadOnlyList<T> rows, CancellationToken ct)
    {
        if (!_inserts.TryGetValue(typeof(T), out var insert))
        {
            var table = BulkTable.Of<T>(Db);
            var values = string.Join(", ", table.Columns.Select((_, i) => $"$p{i}"));
            insert = (Prepare($"INSERT INTO \"{table.Name}\" ({table.ColumnList}) VALUES ({values})", table.Columns.Count), table);
            _inserts[typeof(T)] = insert;
        }

        var (command, columns) = (insert.Command, insert.Table.Columns);
        command.Transaction = (SqliteTransaction)Transaction;
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                command.Parameters[i].Value = columns[i].Read(row) ?? DBNull.Value;
            }

            command.ExecuteNonQuery();
        }

        ct.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    public override Task AddToBalancesAsync(IReadOnlyList<BalanceChange> changes, CancellationToken ct)
    {
        _balances ??= Prepare(AddToBalance, "$delta", "$at", "$id");
        _balances.Transaction = (SqliteTransaction)Transaction;
        foreach (var change in changes)
        {
            _balances.Parameters[0].Value = change.DeltaPaise;
            _balances.Parameters[1].Value = Sql.Timestamp(Db, change.LastAt);
            _balances.Parameters[2].Value = change.AccountId;
            _balances.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public override Task RaiseLastLoginAsync(IReadOnlyList<LastLogin> logins, CancellationToken ct)
    {
        _logins ??= Prepare(RaiseLastLogin, "$at", "$id");
        _logins.Transaction = (SqliteTransaction)Transaction;
        foreach (var login in logins)
        {
            _logins.Parameters[0].Value = Sql.Timestamp(Db, login.At);
            _logins.Parameters[1].Value = login.UserId;
            _logins.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public override Task AnalyzeAsync(IReadOnlyList<string> tables, CancellationToken ct)
    {
        // Every table the load wrote, analysed afresh (as on PostgreSQL): PRAGMA optimize, used before, judges staleness only
        // for tables this connection has queried, so the figures of a tiny earlier load stayed and misled the ledger check.
        foreach (var table in tables)
        {
            Run($"ANALYZE \"{table}\"");
        }

        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var (command, _) in _inserts.Values)
        {
            await command.DisposeAsync();
        }

        if (_balances is not null)
        {
            await _balances.DisposeAsync();
        }

        if (_logins is not null)
        {
            await _logins.DisposeAsync();
        }

        // The pooled connection goes back with SQLite's cache size, its memory released.
        Run($"PRAGMA cache_size = {_cacheBefore}");
        await base.DisposeAsync();
    }

    /// <summary>Runs a statement (a pragma, ANALYZE) on the load's connection; its first column as a number (0 when it returns nothing).</summary>
    private long Run(string text)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = text;
        return command.ExecuteScalar() is long value ? value : 0;
    }

    private SqliteCommand Prepare(string text, int parameters) =>
        Prepare(text, Enumerable.Range(0, parameters).Select(i => $"$p{i}").ToArray());

    private SqliteCommand Prepare(string text, params string[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = text;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Transaction = (SqliteTransaction)Transaction;
        command.Prepare();
        return command;
    }
}

/// <summary>PostgreSQL: binary COPY per table, array parameters (<c>unnest</c>) for the updates, table locks for explicit ids.</summary>
internal sealed class PostgresBulkWriter(BankDbContext db) : BulkWriter(db)
{
    private const string AddToBalance =
        "UPDATE accounts AS a SET balance_paise = a.balance_paise + d.delta, last_transaction_at = GREATEST(a.last_transaction_at, d.at) " +
        "FROM unnest(@ids, @deltas, @ats) AS d(id, delta, at) WHERE a.id = d.id";

    private const string RaiseLastLogin =
        "UPDATE users AS u SET last_login_at = GREATEST(u.last_login_at, d.at) FROM unnest(@ids, @ats) AS d(id, at) WHERE u.id = d.id";

    private NpgsqlConnection Connection => (NpgsqlConnection)Db.Database.GetDbConnection();

    public override async Task InsertAsync<T>(IReadOnlyList<T> rows, CancellationToken ct)
    {
        var table = BulkTable.Of<T>(Db);
        var columns = table.Columns;
        var types = columns.Select(c => TypeOf(c.StoredType)).ToArray();
        await using var import = await Connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await import.StartRowAsync(ct);
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].Read(row) is { } value)
                {
                    await import.WriteAsync(value, types[i], ct);
                }
                else
                {
                    await import.WriteNullAsync(ct);
                }
            }
        }

        await import.CompleteAsync(ct);
    }

    public override async Task LockAsync(IReadOnlyList<string> tables, CancellationToken ct)
    {
        // EXCLUSIVE lets readers in but no other writer, so nobody else takes an id from the sequence until commit.
        await using var command = Command($"LOCK TABLE {string.Join(", ", tables.Select(t => $"\"{t}\""))} IN EXCLUSIVE MODE");
        await command.ExecuteNonQueryAsync(ct);
    }

    public override async Task AdvanceIdentityAsync(string table, CancellationToken ct)
    {
        await using var command = Command($"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT MAX(id) FROM \"{table}\"))");
        await command.ExecuteScalarAsync(ct);
    }

    public override async Task AddToBalancesAsync(IReadOnlyList<BalanceChange> changes, CancellationToken ct)
    {
        await using var command = Command(AddToBalance);
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", changes.Select(c => c.AccountId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("deltas", changes.Select(c => c.DeltaPaise).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ats", changes.Select(c => c.LastAt.ToUniversalTime()).ToArray()));
        await command.ExecuteNonQueryAsync(ct);
    }

    public override async Task RaiseLastLoginAsync(IReadOnlyList<LastLogin> logins, CancellationToken ct)
    {
        await using var command = Command(RaiseLastLogin);
        command.Parameters.Add(new NpgsqlParameter<long[]>("ids", logins.Select(l => l.UserId).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("ats", logins.Select(l => l.At.ToUniversalTime()).ToArray()));
        await command.ExecuteNonQueryAsync(ct);
    }

    public override async Task AnalyzeAsync(IReadOnlyList<string> tables, CancellationToken ct)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = $"ANALYZE {string.Join(", ", tables.Select(t => $"\"{t}\""))}";
        await command.ExecuteNonQueryAsync(ct);
    }

    private NpgsqlCommand Command(string text) => new(text, Connection, (NpgsqlTransaction)Transaction);

    private static NpgsqlDbType TypeOf(Type stored) =>
        stored == typeof(long) ? NpgsqlDbType.Bigint
        : stored == typeof(int) ? NpgsqlDbType.Integer
        : stored == typeof(string) ? NpgsqlDbType.Varchar
        : stored == typeof(bool) ? NpgsqlDbType.Boolean
        : stored == typeof(DateTimeOffset) ? NpgsqlDbType.TimestampTz
        : stored == typeof(DateOnly) ? NpgsqlDbType.Date
        : throw new NotSupportedException($"No bulk column type for {stored.Name}.");
}
