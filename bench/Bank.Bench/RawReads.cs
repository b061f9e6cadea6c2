using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bank.Bench;

/// <summary>
/// The raw baseline of <c>statement</c> and <c>dashboard</c>: the SQL the product should need, run directly on the
/// product's own (idle) database by a raw client: the keyset query of one customer's statement page (entries joined
/// to their transaction, account, counterparty account and its owner; newest first, 26 rows fetched for a page of 25),
/// and the staff dashboard's aggregates (users by role and status with the recently active, the customers' total
/// balance, this month's transactions split at today, money in and out per day and successful sign-ins per day over
/// 30 days). SQLite: a read-only connection per client; PostgreSQL: a pooled data source with prepared statements.
/// </summary>
public sealed class RawReads : IAsyncDisposable
{
    public const int PageSize = 25;

    private const string Lines =
        "SELECT e.id, e.created_at, t.transaction_id, e.type, e.amount_paise, e.balance_after_paise, a.account_number, e.user_id, " +
        "c.account_number, u.first_name, u.last_name, t.narration, t.initiated_by_user_id, t.channel " +
        "FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.ledger_transaction_id JOIN accounts a ON a.id = e.account_id " +
        "LEFT JOIN accounts c ON c.id = e.counterparty_account_id LEFT JOIN users u ON u.id = c.user_id " +
        "WHERE e.user_id = @u";

    private const string Order = " ORDER BY e.created_at DESC, e.id DESC LIMIT 26";

    private const string After = " AND e.created_at <= @at AND (e.created_at < @at OR (e.created_at = @at AND e.id < @id))";

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    private readonly bool _sqlite;
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _source;
    private readonly ConcurrentDictionary<int, SqliteConnection> _connections = new();
    private readonly ConcurrentDictionary<(int, string), SqliteCommand> _commands = new();

    public RawReads(string database, string connectionString)
    {
        _sqlite = database == "sqlite";
        _connectionString = _sqlite
            ? new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()
            : connectionString;
        _source = _sqlite ? null : PostgresDatabase.DataSource(connectionString);
    }

    /// <summary>The key (created_at, id) of the <paramref name="offset"/>-th newest entry of the user (0-based).</summary>
    public async Task<(object At, long Id)> KeyAtAsync(long userId, int offset, CancellationToken ct)
    {
        return await WithCommandAsync(0, "SELECT created_at, id FROM ledger_entries WHERE user_id = @u ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET @o",
            [("@u", userId), ("@o", offset)],
            async command =>
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await reader.ReadAsync(ct)
                    ? (reader.GetValue(0), reader.GetInt64(1))
                    : throw new BenchException($"User {userId} has fewer than {offset + 1} entries.");
            });
    }

    /// <summary>One page of the user's statement: the first (no key) or the one after the key; the rows read.</summary>
    public Task<int> PageAsync(int client, long userId, (object At, long Id)? after, CancellationToken ct) =>
        after is { } key
            ? WithCommandAsync(client, Lines + After + Order, [("@u", userId), ("@at", key.At), ("@id", key.Id)], c => ReadAllAsync(c, ct))
            : WithCommandAsync(client, Lines + Order, [("@u", userId)], c => ReadAllAsync(c, ct));

    /// <summary>The staff dashboard's five queries; the rows read.</summary>
    public async Task<int> DashboardAsync(int client, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        var monthStart = Start(new DateOnly(today.Year, today.Month, 1));
        var monthEnd = Start(new DateOnly(today.Year, today.Month, 1).AddMonths(1));
        var rows = 0;
        rows += await WithCommandAsync(client,
            "SELECT role, status, COUNT(*), SUM(CASE WHEN last_login_at > @since THEN 1 ELSE 0 END) FROM users GROUP BY role, status",
            [("@since", Time(now.AddDays(-30)))], c => ReadAllAsync(c, ct));
        rows += await WithCommandAsync(client, "SELECT SUM(balance_paise) FROM accounts WHERE kind = 'Customer'", [], c => ReadAllAsync(c, ct));
        rows += await WithCommandAsync(client,
            "SELECT CASE WHEN created_at >= @today THEN 1 ELSE 0 END, COUNT(*), SUM(amount_paise) FROM ledger_transactions " +
            "WHERE created_at >= @ms AND created_at < @me GROUP BY CASE WHEN created_at >= @today THEN 1 ELSE 0 END",
            [("@today", Time(Start(today))), ("@ms", Time(monthStart)), ("@me", Time(monthEnd))], c => ReadAllAsync(c, ct));

        var (table, days) = DayTable(today);
        rows += await WithCommandAsync(client,
            "SELECT d.day_index, CAST(SUM(CASE WHEN t.type = 'Credit' THEN t.amount_paise ELSE 0 END) AS BIGINT), " +
            "CAST(SUM(CASE WHEN t.type = 'Debit' THEN t.amount_paise ELSE 0 END) AS BIGINT) " +
            $"FROM ({table}) d JOIN ledger_transactions t ON t.created_at >= d.start_at AND t.created_at < d.end_at GROUP BY d.day_index",
            days, c => ReadAllAsync(c, ct));
        rows += await WithCommandAsync(client,
            $"SELECT d.day_index, COUNT(*) FROM ({table}) d JOIN login_attempts l ON l.at >= d.start_at AND l.at < d.end_at WHERE l.succeeded GROUP BY d.day_index",
            days, c => ReadAllAsync(c, ct));
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        foreach (var connection in _connections.Values)
        {
            await connection.DisposeAsync();
        }

        if (_source is not null)
        {
            await _source.DisposeAsync();
        }
    }

    /// <summary>The 30 days up to today as a table of (day_index, start_at, end_at), as the product builds it.</summary>
    private (string Table, (string, object)[] Parameters) DayTable(DateOnly today)
    {
        const int days = 30;
        var table = new StringBuilder();
        var parameters = new (string, object)[days + 1];
        for (var i = 0; i < days; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            var next = (i + 1).ToString(CultureInfo.InvariantCulture);
            table.Append(i == 0 ? "SELECT " : " UNION ALL SELECT ").Append(n).Append(" AS day_index, @d").Append(n).Append(" AS start_at, @d").Append(next).Append(" AS end_at");
            parameters[i] = ("@d" + n, Time(Start(today.AddDays(i + 1 - days))));
        }

        parameters[days] = ("@d" + days.ToString(CultureInfo.InvariantCulture), Time(Start(today.AddDays(1))));
        return (table.ToString(), parameters);
    }

    private static DateTimeOffset Start(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>A timestamp as the product stores it: UTC ticks on SQLite, timestamptz on PostgreSQL.</summary>
    private object Time(DateTimeOffset at) => _sqlite ? at.UtcTicks : at.UtcDateTime;

    private static async Task<int> ReadAllAsync(DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var values = new object[reader.FieldCount];
        var rows = 0;
        while (await reader.ReadAsync(ct))
        {
            reader.GetValues(values);
            rows++;
        }

        return rows;
    }

    private async Task<T> WithCommandAsync<T>(int client, string sql, (string Name, object Value)[] parameters, Func<DbCommand, Task<T>> run)
    {
        if (_sqlite)
        {
            // One connection per client, and its statements prepared once and kept.
            var command = _commands.GetOrAdd((client, sql), _ =>
            {
                var connection = _connections.GetOrAdd(client, _ =>
                {
                    var c = new SqliteConnection(_connectionString);
                    c.Open();
                    return c;
                });
                var created = connection.CreateCommand();
                created.CommandText = sql;
                foreach (var (name, value) in parameters)
                {
                    created.Parameters.AddWithValue(name, value);
                }

                created.Prepare();
                return created;
            });
            foreach (var (name, value) in parameters)
            {
                command.Parameters[name].Value = value;
            }

            return await run(command);
        }

        await using var pg = await _source!.OpenConnectionAsync();
        await using var pgCommand = new NpgsqlCommand(sql, pg);
        foreach (var (name, value) in parameters)
        {
            pgCommand.Parameters.AddWithValue(name[1..], value);
        }

        return await run(pgCommand);
    }
}
