using System.Globalization;
using System.Text;
using Bank.Core.Accounts;
using Bank.Core.Charts;
using Bank.Core.Data;

namespace Bank.Core.Reports;

/// <summary>
/// The grouped queries by the bank's calendar days, the same SQL on both databases. The days are a small derived table
/// of (index, start, end) instants made by <see cref="BankCalendar"/>; each query joins it on an indexed time column and
/// groups by day, so the database does the counting whatever its own time zone. They rely on the mappings'
/// snake_case columns and enums stored by name.
/// </summary>
internal static class ReportSql
{
    /// <summary>Deposits (credits) and withdrawals (debits) per day, in paise, through the index on <c>ledger_transactions.created_at</c>.</summary>
    public static async Task<IReadOnlyList<DailyFlow>> DailyFlowsAsync(BankDbContext db, IReadOnlyList<DayBucket> days, CancellationToken ct)
    {
        var (table, parameters) = DayTable(db, days);
        var rows = await Sql.RowsAsync(db,
            $"SELECT d.day_index, " +
            $"CAST(SUM(CASE WHEN t.type = '{nameof(TransactionType.Credit)}' THEN t.amount_paise ELSE 0 END) AS BIGINT), " +
            $"CAST(SUM(CASE WHEN t.type = '{nameof(TransactionType.Debit)}' THEN t.amount_paise ELSE 0 END) AS BIGINT) " +
            $"FROM ({table}) d JOIN ledger_transactions t ON t.created_at >= d.start_at AND t.created_at < d.end_at " +
            "GROUP BY d.day_index",
            r => (Day: Int(r, 0), Credits: r.GetInt64(1), Debits: r.GetInt64(2)), ct, parameters);
        var byDay = rows.ToDictionary(r => r.Day);
        return days.Select((d, i) => byDay.TryGetValue(i, out var r) ? new DailyFlow(d.Day, r.Credits, r.Debits) : new DailyFlow(d.Day, 0, 0)).ToList();
    }

    /// <summary>Successful sign-ins per day, through the index on <c>login_attempts.at</c>.</summary>
    public static async Task<IReadOnlyList<DailyCount>> DailySignInsAsync(BankDbContext db, IReadOnlyList<DayBucket> days, CancellationToken ct)
    {
        var (table, parameters) = DayTable(db, days);
        var rows = await Sql.RowsAsync(db,
            $"SELECT d.day_index, COUNT(*) FROM ({table}) d JOIN login_attempts l ON l.at >= d.start_at AND l.at < d.end_at " +
            "WHERE l.succeeded GROUP BY d.day_index",
            r => (Day: Int(r, 0), Count: Int(r, 1)), ct, parameters);
        var byDay = rows.ToDictionary(r => r.Day, r => r.Count);
        return days.Select((d, i) => new DailyCount(d.Day, byDay.GetValueOrDefault(i))).ToList();
    }

    /// <summary>
    /// One account's days with movements: money in, money out, the number of lines and the balance after the day's last
    /// entry, through the index on <c>ledger_entries (account_id, created_at, id)</c>.
    /// </summary>
    public static async Task<IReadOnlyList<(ChartDay Day, int Lines)>> AccountDaysAsync(BankDbContext db, long accountId, IReadOnlyList<DayBucket> days, CancellationToken ct)
    {
        var (table, parameters) = DayTable(db, days);
        var rows = await Sql.RowsAsync(db,
            "SELECT g.day_index, g.credits, g.debits, g.lines, e.balance_after_paise FROM (" +
            "SELECT d.day_index, " +
            "CAST(SUM(CASE WHEN x.amount_paise > 0 THEN x.amount_paise ELSE 0 END) AS BIGINT) AS credits, " +
            "CAST(SUM(CASE WHEN x.amount_paise < 0 THEN -x.amount_paise ELSE 0 END) AS BIGINT) AS debits, " +
            "COUNT(*) AS lines, MAX(x.id) AS last_id " +
            $"FROM ({table}) d JOIN ledger_entries x ON x.account_id = @account AND x.created_at >= d.start_at AND x.created_at < d.end_at " +
            "GROUP BY d.day_index) g JOIN ledger_entries e ON e.id = g.last_id ORDER BY g.day_index",
            r => (Day: Int(r, 0), Credits: r.GetInt64(1), Debits: r.GetInt64(2), Lines: Int(r, 3), Balance: r.GetInt64(4)),
            ct, [.. parameters, ("@account", accountId)]);
        return rows.Select(r => (new ChartDay(days[r.Day].Day, r.Credits, r.Debits, r.Balance), r.Lines)).ToList();
    }

    // Sums are cast to BIGINT: PostgreSQL sums bigints as numeric.

    /// <summary>The days as a derived table <c>(day_index, start_at, end_at)</c> and its parameters.</summary>
    private static (string Table, (string Name, object? Value)[] Parameters) DayTable(BankDbContext db, IReadOnlyList<DayBucket> days)
    {
        if (days.Count == 0)
        {
            throw new ArgumentException("At least one day is needed.", nameof(days));
        }

        var table = new StringBuilder();
        var parameters = new (string, object?)[days.Count + 1];
        for (var i = 0; i < days.Count; i++)
        {
            table.Append(i == 0 ? "SELECT " : " UNION ALL SELECT ")
                .Append(i.ToString(CultureInfo.InvariantCulture)).Append(" AS day_index, @d").Append(i.ToString(CultureInfo.InvariantCulture))
                .Append(" AS start_at, @d").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(" AS end_at");
            parameters[i] = ("@d" + i.ToString(CultureInfo.InvariantCulture), Sql.Timestamp(db, days[i].Start));
        }

        parameters[days.Count] = ("@d" + days.Count.ToString(CultureInfo.InvariantCulture), Sql.Timestamp(db, days[^1].End));
        return (table.ToString(), parameters);
    }

    private static int Int(System.Data.Common.DbDataReader reader, int column) => Convert.ToInt32(reader.GetValue(column), CultureInfo.InvariantCulture);
}
