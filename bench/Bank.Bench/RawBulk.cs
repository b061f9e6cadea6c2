using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Bank.Bench;

/// <summary>How many rows of each kind a demo load wrote (from its last lines), to load as many raw.</summary>
public sealed record BulkCounts(long Users, long Customers, long Transactions, long Entries, long SignIns)
{
    public long Rows => Users + Customers + Transactions + Entries + SignIns;
}

/// <summary>
/// The raw baseline of <c>seed</c>: the same numbers of users, accounts, transactions, entries and sign-in attempts as
/// the demo load wrote, with columns like the product's, loaded by the fastest straightforward bulk path (PostgreSQL:
/// Npgsql binary COPY; SQLite: prepared inserts in one transaction, WAL, synchronous=FULL) into a fresh database of the
/// same kind, then the same kinds of indexes built and statistics gathered. The values are synthetic: this measures the
/// database's cost of taking the rows, not the making of a plausible bank.
/// </summary>
public static class RawBulk
{
    private sealed record Column(string Name, string Kind);

    private sealed record Table(string Name, Column[] Columns, long Rows, Func<long, object?[]> Row);

    private static readonly string[] Indexes =
    [
        "CREATE UNIQUE INDEX bulk_users_email ON bulk_users (normalized_email)",
        "CREATE INDEX bulk_users_role ON bulk_users (role, id)",
        "CREATE INDEX bulk_users_status ON bulk_users (status, id)",
        "CREATE INDEX bulk_users_last_login ON bulk_users (last_login_at)",
        "CREATE UNIQUE INDEX bulk_accounts_number ON bulk_accounts (account_number)",
        "CREATE INDEX bulk_accounts_user ON bulk_accounts (user_id)",
        "CREATE UNIQUE INDEX bulk_transactions_id ON bulk_transactions (transaction_id)",
        "CREATE INDEX bulk_transactions_created ON bulk_transactions (created_at)",
        "CREATE INDEX bulk_entries_user ON bulk_entries (user_id, created_at, id)",
        "CREATE INDEX bulk_entries_account ON bulk_entries (account_id, created_at, id)",
        "CREATE INDEX bulk_entries_created ON bulk_entries (created_at, id)",
        "CREATE INDEX bulk_entries_type ON bulk_entries (type, created_at, id)",
        "CREATE INDEX bulk_entries_amount ON bulk_entries (amount_paise)",
        "CREATE INDEX bulk_entries_transaction ON bulk_entries (ledger_transaction_id)",
        "CREATE INDEX bulk_login_attempts_at ON bulk_login_attempts (at)",
        "CREATE INDEX bulk_login_attempts_user ON bulk_login_attempts (user_id, at)",
    ];

    /// <summary>Loads the rows into a fresh database of the kind (a file in <paramref name="folder"/>, or a database on the cluster); the time taken.</summary>
    public static async Task<TimeSpan> LoadAsync(string database, string folder, BulkCounts counts, CancellationToken ct)
    {
        var tables = Tables(counts);
        if (database == "sqlite")
        {
            var clock = Stopwatch.StartNew();
            LoadSqlite(Path.Combine(folder, "raw-bulk.db"), tables, ct);
            return clock.Elapsed;
        }

        await using var target = await BenchDatabases.CreatePostgresDatabaseAsync("rawbulk_", ct);
        var pgClock = Stopwatch.StartNew();
        await LoadPostgresAsync(target.ConnectionString, tables, ct);
        return pgClock.Elapsed;
    }

    private static Table[] Tables(BulkCounts c)
    {
        var start = DateTimeOffset.UtcNow.AddMonths(-6);
        var span = TimeSpan.FromDays(180).Ticks;
        DateTimeOffset At(long i, long of) => start.AddTicks(span / Math.Max(1, of) * i);
        var customersFrom = c.Users - c.Customers;
        return
        [
            new("bulk_users",
                [new("id", "id"), new("first_name", "text"), new("last_name", "text"), new("email", "text"), new("normalized_email", "text"),
                 new("date_of_birth", "text"), new("gender", "text"), new("street", "text"), new("city", "text"), new("state", "text"),
                 new("role", "text"), new("status", "text"), new("created_at", "time"), new("last_login_at", "time"), new("password_hash", "text"),
                 new("must_change_password", "bool"), new("password_changed_at", "time"), new("access_failed_count", "int")],
                c.Users,
                i => [i + 1, "Aarav", "Sharma", $"user{i}@example.in", $"USER{i}@EXAMPLE.IN", "1990-01-01", "Male", "12 MG Road", "Pune", "Maharashtra",
                      i < customersFrom ? "Employee" : "Customer", "Active", At(i, c.Users), At(i, c.Users), Hash, false, At(i, c.Users), 0]),
            new("bulk_accounts",
                [new("id", "id"), new("account_number", "text"), new("user_id", "long"), new("kind", "text"), new("branch", "text"), new("currency", "text"),
                 new("balance_paise", "long"), new("status", "text"), new("opened_at", "time"), new("last_transaction_at", "time")],
                c.Customers,
                i => [i + 1, (100_000_000_000 + i).ToString(CultureInfo.InvariantCulture), customersFrom + i + 1, "Customer", "Pune Main", "INR", 1_000_000L, "Active", start, At(i, c.Customers)]),
            new("bulk_transactions",
                [new("id", "id"), new("transaction_id", "text"), new("type", "text"), new("amount_paise", "long"), new("narration", "text"),
                 new("initiated_by_user_id", "long"), new("channel", "text"), new("created_at", "time")],
                c.Transactions,
                i => [i + 1, "TXN" + i.ToString("D12", CultureInfo.InvariantCulture), (i % 3) switch { 0 => "Credit", 1 => "Debit", _ => "Transfer" }, 10_000 + (i % 997) * 100,
                      "Groceries", customersFrom + 1 + (i % Math.Max(1, c.Customers)), "Web", At(i, c.Transactions)]),
            new("bulk_entries",
                [new("id", "id"), new("ledger_transaction_id", "long"), new("account_id", "long"), new("user_id", "long"), new("type", "text"),
                 new("amount_paise", "long"), new("balance_after_paise", "long"), new("counterparty_account_id", "long"), new("created_at", "time")],
                c.Entries,
                i => [i + 1, 1 + (i / 2 % Math.Max(1, c.Transactions)), 1 + (i % Math.Max(1, c.Customers)), customersFrom + 1 + (i % Math.Max(1, c.Customers)),
                      "Debit", i % 2 == 0 ? -10_000L : 10_000L, 1_000_000L, 1 + ((i + 1) % Math.Max(1, c.Customers)), At(i, c.Entries)]),
            new("bulk_login_attempts",
                [new("id", "id"), new("user_identifier", "text"), new("user_id", "long"), new("succeeded", "bool"), new("outcome", "text"),
                 new("at", "time"), new("ip_address", "text"), new("user_agent", "text"), new("channel", "text")],
                c.SignIns,
                i => [i + 1, (customersFrom + 1 + (i % Math.Max(1, c.Customers))).ToString(CultureInfo.InvariantCulture), customersFrom + 1 + (i % Math.Max(1, c.Customers)),
                      i % 20 != 0, i % 20 != 0 ? "Succeeded" : "WrongPassword", At(i, c.SignIns), "203.0.113.7", "Mozilla/5.0 (Linux; Android 14) Chrome/131", "Web"]),
        ];
    }

    /// <summary>A password hash's length and shape (PBKDF2, Base64).</summary>
    private const string Hash = "AQAAAAIAAzSQAAAAEJ3x4oWm1a0Wf1bD4tH9c2sKqv8u3Y0n7gq5Vw1sZr6Lx8pT0eJmUaQ2kNcR4yBvFiHdGo9XlE7tS3Wz5P1KbMn==";

    private static void LoadSqlite(string file, Table[] tables, CancellationToken ct)
    {
        using var connection = SqliteRawMoney.Open(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        foreach (var table in tables)
        {
            SqliteRawMoney.Execute(connection, $"CREATE TABLE {table.Name} ({string.Join(", ", table.Columns.Select(c => $"{c.Name} {SqliteType(c.Kind)}"))})");
        }

        using (var transaction = connection.BeginTransaction())
        {
            foreach (var table in tables)
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = $"INSERT INTO {table.Name} VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"))})";
                var parameters = table.Columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter($"@p{i}", null))).ToArray();
                insert.Prepare();
                for (long r = 0; r < table.Rows; r++)
                {
                    var row = table.Row(r);
                    for (var i = 0; i < parameters.Length; i++)
                    {
                        parameters[i].Value = row[i] switch { DateTimeOffset at => at.UtcTicks, bool b => b ? 1 : 0, null => DBNull.Value, var v => v };
                    }

                    insert.ExecuteNonQuery();
                    if (r % 100_000 == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                    }
                }
            }

            transaction.Commit();
        }

        foreach (var index in Indexes)
        {
            SqliteRawMoney.Execute(connection, index);
        }

        SqliteRawMoney.Execute(connection, "ANALYZE");
    }

    private static async Task LoadPostgresAsync(string connectionString, Table[] tables, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        foreach (var table in tables)
        {
            await using var create = new NpgsqlCommand($"CREATE TABLE {table.Name} ({string.Join(", ", table.Columns.Select(c => $"{c.Name} {PostgresType(c.Kind)}"))})", connection);
            await create.ExecuteNonQueryAsync(ct);
            await using var copy = await connection.BeginBinaryImportAsync($"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
            for (long r = 0; r < table.Rows; r++)
            {
                var row = table.Row(r);
                await copy.StartRowAsync(ct);
                for (var i = 0; i < row.Length; i++)
                {
                    switch (row[i])
                    {
                        case DateTimeOffset at:
                            await copy.WriteAsync(at.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
                            break;
                        case long l:
                            await copy.WriteAsync(l, NpgsqlDbType.Bigint, ct);
                            break;
                        case int n:
                            await copy.WriteAsync(n, NpgsqlDbType.Integer, ct);
                            break;
                        case bool b:
                            await copy.WriteAsync(b, NpgsqlDbType.Boolean, ct);
                            break;
                        case string s:
                            await copy.WriteAsync(s, NpgsqlDbType.Varchar, ct);
                            break;
                        default:
                            await copy.WriteNullAsync(ct);
                            break;
                    }
                }
            }

            await copy.CompleteAsync(ct);
        }

        foreach (var index in Indexes.Concat(tables.Select(t => $"ALTER TABLE {t.Name} ADD PRIMARY KEY (id)")).Append("ANALYZE"))
        {
            await using var command = new NpgsqlCommand(index, connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static string SqliteType(string kind) => kind switch
    {
        "id" => "INTEGER PRIMARY KEY",
        "text" => "TEXT",
        _ => "INTEGER",
    };

    private static string PostgresType(string kind) => kind switch
    {
        "id" or "long" => "BIGINT",
        "int" => "INTEGER",
        "text" => "VARCHAR(512)",
        "bool" => "BOOLEAN",
        _ => "TIMESTAMPTZ",
    };
}
