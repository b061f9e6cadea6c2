using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bank.Bench;

/// <summary>
/// The raw baseline of the money scenarios: the customer's side of the work done directly against the database, by the
/// strongest straightforward client, on its own tables shaped like the product's (accounts with a balance, a transaction
/// row, entry rows) and with no bank-side row. A debit is the guarded update of the balance
/// (<c>… WHERE id = @id AND balance_paise &gt;= @a RETURNING balance_paise</c>), a transaction row and an entry, in one
/// transaction; a transfer is two updates in id order (the payer's guarded), a transaction row and two entries; a balance
/// is a select by id. A refused guard is an error (the scenarios deposit enough that nothing should be refused).
/// </summary>
public abstract class RawMoney : IAsyncDisposable
{
    /// <summary>The tables, in the dialect both databases accept but for the identity column.</summary>
    protected static string Schema(string identity, string bigint) =>
        $"CREATE TABLE raw_accounts (id {bigint} PRIMARY KEY, balance_paise {bigint} NOT NULL, last_transaction_at {bigint});" +
        $"CREATE TABLE raw_transactions (id {identity}, transaction_id VARCHAR(32) NOT NULL UNIQUE, type VARCHAR(10) NOT NULL, amount_paise {bigint} NOT NULL, created_at {bigint} NOT NULL);" +
        "CREATE INDEX raw_transactions_created ON raw_transactions (created_at);" +
        $"CREATE TABLE raw_entries (id {identity}, transaction_id {bigint} NOT NULL REFERENCES raw_transactions (id), account_id {bigint} NOT NULL REFERENCES raw_accounts (id), " +
        $"type VARCHAR(10) NOT NULL, amount_paise {bigint} NOT NULL, balance_after_paise {bigint} NOT NULL, created_at {bigint} NOT NULL);" +
        "CREATE INDEX raw_entries_account ON raw_entries (account_id, created_at, id);" +
        "CREATE INDEX raw_entries_transaction ON raw_entries (transaction_id);";

    protected const string Guarded =
        "UPDATE raw_accounts SET balance_paise = balance_paise - @a, last_transaction_at = @now WHERE id = @id AND balance_paise >= @a RETURNING balance_paise";

    protected const string Credit =
        "UPDATE raw_accounts SET balance_paise = balance_paise + @a, last_transaction_at = @now WHERE id = @id RETURNING balance_paise";

    protected const string NewTransaction =
        "INSERT INTO raw_transactions (transaction_id, type, amount_paise, created_at) VALUES (@tid, @type, @a, @now) RETURNING id";

    protected const string NewEntry =
        "INSERT INTO raw_entries (transaction_id, account_id, type, amount_paise, balance_after_paise, created_at) VALUES (@t, @id, @type, @a, @after, @now)";

    protected const string Balance = "SELECT balance_paise FROM raw_accounts WHERE id = @id";

    /// <summary>Accounts 1..<paramref name="accounts"/>, each holding <paramref name="balancePaise"/>.</summary>
    public static async Task<RawMoney> CreateAsync(string database, string folder, int accounts, long balancePaise, CancellationToken ct)
    {
        RawMoney raw = database == "sqlite"
            ? new SqliteRawMoney(Path.Combine(folder, "raw-money.db"))
            : new PostgresRawMoney(await BenchDatabases.CreatePostgresDatabaseAsync("raw_", ct));
        await raw.SetUpAsync(accounts, balancePaise, ct);
        return raw;
    }

    protected abstract Task SetUpAsync(int accounts, long balancePaise, CancellationToken ct);

    public abstract Task<OpOutcome> DebitAsync(int client, long account, long paise, CancellationToken ct);

    public abstract Task<OpOutcome> TransferAsync(int client, long payer, long payee, long paise, CancellationToken ct);

    public abstract Task<OpOutcome> BalanceAsync(int client, long account, CancellationToken ct);

    /// <summary>The sum of these accounts' balances.</summary>
    public abstract Task<long> SumAsync(IReadOnlyList<long> accounts, CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    protected static long Now() => DateTimeOffset.UtcNow.UtcTicks;

    protected static string TransactionId() => "TXN" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    protected static OpOutcome Refused(long account) => OpOutcome.Failed(409, $"raw: the guard refused account {account} (insufficient funds)");
}

/// <summary>
/// SQLite: WAL, <c>synchronous=FULL</c>, one connection per client with its prepared statements, <c>BEGIN IMMEDIATE</c>
/// and a busy timeout: the strongest straightforward client of a single-writer database.
/// </summary>
public sealed class SqliteRawMoney(string file) : RawMoney
{
    private readonly ConcurrentDictionary<int, Client> _clients = new();

    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();

    protected override Task SetUpAsync(int accounts, long balancePaise, CancellationToken ct)
    {
        using var connection = Open(ConnectionString);
        Execute(connection, Schema("INTEGER PRIMARY KEY", "INTEGER"));
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO raw_accounts (id, balance_paise) VALUES (@id, @b)";
        var id = insert.Parameters.Add("@id", SqliteType.Integer);
        insert.Parameters.AddWithValue("@b", balancePaise);
        for (var i = 1; i <= accounts; i++)
        {
            id.Value = i;
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <summary>An open connection in WAL mode with synchronous=FULL and a 5 s busy timeout.</summary>
    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public override Task<OpOutcome> DebitAsync(int client, long account, long paise, CancellationToken ct) =>
        Task.FromResult(Of(client).Move(account, null, paise));

    public override Task<OpOutcome> TransferAsync(int client, long payer, long payee, long paise, CancellationToken ct) =>
        Task.FromResult(Of(client).Move(payer, payee, paise));

    public override Task<OpOutcome> BalanceAsync(int client, long account, CancellationToken ct)
    {
        var c = Of(client);
        c.Balance.Parameters["@id"].Value = account;
        return Task.FromResult(c.Balance.ExecuteScalar() is long ? OpOutcome.Success : OpOutcome.Failed(404, $"raw: no account {account}"));
    }

    public override Task<long> SumAsync(IReadOnlyList<long> accounts, CancellationToken ct)
    {
        using var connection = Open(ConnectionString);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(SUM(balance_paise), 0) FROM raw_accounts WHERE id IN ({string.Join(',', accounts)})";
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    public override ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _clients.Clear();
        return ValueTask.CompletedTask;
    }

    private Client Of(int client) => _clients.GetOrAdd(client, _ => new Client(Open(ConnectionString)));

    /// <summary>One client's connection and its prepared statements.</summary>
    private sealed class Client : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _guarded, _credit, _transaction, _entry;

        public Client(SqliteConnection connection)
        {
            _connection = connection;
            _guarded = Command(Guarded, "@a", "@now", "@id");
            _credit = Command(Credit, "@a", "@now", "@id");
            _transaction = Command(NewTransaction, "@tid", "@type", "@a", "@now");
            _entry = Command(NewEntry, "@t", "@id", "@type", "@a", "@after", "@now");
            Balance = Command(RawMoney.Balance, "@id");
        }

        public SqliteCommand Balance { get; }

        /// <summary>A debit (<paramref name="to"/> null) or a transfer, in one BEGIN IMMEDIATE transaction.</summary>
        public OpOutcome Move(long from, long? to, long paise)
        {
            var now = Now();
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var command in new[] { _guarded, _credit, _transaction, _entry })
            {
                command.Transaction = transaction;
            }

            // Two updates in id order: the payer's is guarded.
            long? fromAfter = null, toAfter = null;
            foreach (var (id, payer) in to is { } t ? (from < t ? [(from, true), (t, false)] : new[] { (t, false), (from, true) }) : [(from, true)])
            {
                var update = payer ? _guarded : _credit;
                Set(update, ("@a", paise), ("@now", now), ("@id", id));
                if (update.ExecuteScalar() is not long after)
                {
                    transaction.Rollback();
                    return Refused(from);
                }

                if (payer)
                {
                    fromAfter = after;
                }
                else
                {
                    toAfter = after;
                }
            }

            var type = to is null ? "Debit" : "Transfer";
            Set(_transaction, ("@tid", TransactionId()), ("@type", type), ("@a", paise), ("@now", now));
            var transactionRow = (long)_transaction.ExecuteScalar()!;
            Set(_entry, ("@t", transactionRow), ("@id", from), ("@type", type), ("@a", -paise), ("@after", fromAfter!.Value), ("@now", now));
            _entry.ExecuteNonQuery();
            if (to is { } payee)
            {
                Set(_entry, ("@t", transactionRow), ("@id", payee), ("@type", type), ("@a", paise), ("@after", toAfter!.Value), ("@now", now));
                _entry.ExecuteNonQuery();
            }

            transaction.Commit();
            return OpOutcome.Success;
        }

        public void Dispose()
        {
            foreach (var command in new[] { _guarded, _credit, _transaction, _entry, Balance })
            {
                command.Dispose();
            }

            _connection.Dispose();
        }

        private static void Set(SqliteCommand command, params (string Name, object Value)[] values)
        {
            foreach (var (name, value) in values)
            {
                command.Parameters[name].Value = value;
            }
        }

        private SqliteCommand Command(string sql, params string[] parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Prepare();
            return command;
        }
    }
}

/// <summary>
/// PostgreSQL: one pooled Npgsql data source (as many connections as clients), automatically prepared statements, each
/// operation one transaction on the same server and so the same durability setting as the product's database.
/// </summary>
public sealed class PostgresRawMoney(PostgresDatabase database) : RawMoney
{
    private NpgsqlDataSource? _source;

    private NpgsqlDataSource Source => _source ?? throw new InvalidOperationException("Not set up.");

    protected override async Task SetUpAsync(int accounts, long balancePaise, CancellationToken ct)
    {
        _source = PostgresDatabase.DataSource(database.ConnectionString);
        await using var connection = await Source.OpenConnectionAsync(ct);
        await using (var schema = new NpgsqlCommand(Schema("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BIGINT"), connection))
        {
            await schema.ExecuteNonQueryAsync(ct);
        }

        await using var fill = new NpgsqlCommand("INSERT INTO raw_accounts (id, balance_paise) SELECT g, @b FROM generate_series(1, @n) g; ANALYZE raw_accounts", connection);
        fill.Parameters.AddWithValue("b", balancePaise);
        fill.Parameters.AddWithValue("n", (long)accounts);
        await fill.ExecuteNonQueryAsync(ct);
    }

    public override Task<OpOutcome> DebitAsync(int client, long account, long paise, CancellationToken ct) => MoveAsync(account, null, paise, ct);

    public override Task<OpOutcome> TransferAsync(int client, long payer, long payee, long paise, CancellationToken ct) => MoveAsync(payer, payee, paise, ct);

    public override async Task<OpOutcome> BalanceAsync(int client, long account, CancellationToken ct)
    {
        await using var command = Source.CreateCommand(Balance.Replace("@id", "$1", StringComparison.Ordinal));
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = account });
        return await command.ExecuteScalarAsync(ct) is long ? OpOutcome.Success : OpOutcome.Failed(404, $"raw: no account {account}");
    }

    public override async Task<long> SumAsync(IReadOnlyList<long> accounts, CancellationToken ct)
    {
        await using var command = Source.CreateCommand("SELECT COALESCE(SUM(balance_paise), 0)::bigint FROM raw_accounts WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. accounts] });
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }

        await database.DisposeAsync();
    }

    private async Task<OpOutcome> MoveAsync(long from, long? to, long paise, CancellationToken ct)
    {
        var now = Now();
        await using var connection = await Source.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long? fromAfter = null, toAfter = null;
        foreach (var (id, payer) in to is { } t ? (from < t ? [(from, true), (t, false)] : new[] { (t, false), (from, true) }) : [(from, true)])
        {
            await using var update = new NpgsqlCommand(payer ? Guarded : Credit, connection, transaction);
            update.Parameters.AddWithValue("a", paise);
            update.Parameters.AddWithValue("now", now);
            update.Parameters.AddWithValue("id", id);
            if (await update.ExecuteScalarAsync(ct) is not long after)
            {
                await transaction.RollbackAsync(ct);
                return Refused(from);
            }

            if (payer)
            {
                fromAfter = after;
            }
            else
            {
                toAfter = after;
            }
        }

        var type = to is null ? "Debit" : "Transfer";
        long transactionRow;
        await using (var insert = new NpgsqlCommand(NewTransaction, connection, transaction))
        {
            insert.Parameters.AddWithValue("tid", TransactionId());
            insert.Parameters.AddWithValue("type", type);
            insert.Parameters.AddWithValue("a", paise);
            insert.Parameters.AddWithValue("now", now);
            transactionRow = (long)(await insert.ExecuteScalarAsync(ct))!;
        }

        await EntryAsync(from, -paise, fromAfter!.Value);
        if (to is { } payee)
        {
            await EntryAsync(payee, paise, toAfter!.Value);
        }

        await transaction.CommitAsync(ct);
        return OpOutcome.Success;

        async Task EntryAsync(long account, long amount, long after)
        {
            await using var entry = new NpgsqlCommand(NewEntry, connection, transaction);
            entry.Parameters.AddWithValue("t", transactionRow);
            entry.Parameters.AddWithValue("id", account);
            entry.Parameters.AddWithValue("type", type);
            entry.Parameters.AddWithValue("a", amount);
            entry.Parameters.AddWithValue("after", after);
            entry.Parameters.AddWithValue("now", now);
            await entry.ExecuteNonQueryAsync(ct);
        }
    }
}
