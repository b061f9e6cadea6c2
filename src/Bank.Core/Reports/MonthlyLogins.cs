using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Reports;

/// <summary>One user's sign-ins in a month.</summary>
public sealed record MonthlyLoginRow(string UserId, string FirstName, string LastName, Role Role, int SignIns, int FailedAttempts, DateTimeOffset? LastSignInAt);

/// <summary>The monthly login statistics (SPEC §6): per user with any attempt that month, and the totals.</summary>
/// <param name="Month">The month, YYYY-MM, in the bank's time zone.</param>
/// <param name="From">When the month began (UTC).</param>
/// <param name="To">When it ends (UTC), or ended.</param>
/// <param name="SignIns">Successful sign-ins in all.</param>
/// <param name="FailedAttempts">Failed attempts of known users in all.</param>
/// <param name="ActiveUsers">Users who signed in at least once that month.</param>
/// <param name="Users">One row per user with an attempt, in the order asked for.</param>
public sealed record MonthlyLoginReport(
    string Month,
    DateTimeOffset From,
    DateTimeOffset To,
    int SignIns,
    int FailedAttempts,
    int ActiveUsers,
    IReadOnlyList<MonthlyLoginRow> Users);

/// <summary>Which month, and the order of the rows (the API's query names; the page binds the same record).</summary>
/// <param name="Month">YYYY-MM; this month when empty.</param>
/// <param name="Sort">userId (default), name, role, signIns, failedAttempts or lastSignIn; a leading '-' reverses it.</param>
public sealed record MonthlyLoginQuery(string? Month = null, string? Sort = null);

/// <summary>Monthly login statistics for Super_Admins: one grouped query over the month's attempts, by the bank's calendar.</summary>
public sealed class MonthlyLogins(BankDbContext db, BankCalendar calendar)
{
    /// <summary>The sort keys a report accepts (each also with a leading '-').</summary>
    public static readonly IReadOnlyList<string> Sorts = ["userId", "name", "role", "signIns", "failedAttempts", "lastSignIn"];

    /// <summary>The report of one month (this month so far when none is named).</summary>
    public async Task<Result<MonthlyLoginReport>> ForMonthAsync(Actor actor, MonthlyLoginQuery query, CancellationToken ct)
    {
        if (actor.Role != Role.SuperAdmin)
        {
            return Failure.Forbidden("Only a Super_Admin sees the monthly login statistics.");
        }

        var errors = new FieldErrors();
        var today = calendar.Today;
        var (year, month) = (today.Year, today.Month);
        if (!string.IsNullOrWhiteSpace(query.Month) && !TryMonth(query.Month.Trim(), out year, out month))
        {
            errors.Add("month", "Must be a month written YYYY-MM, for example 2026-11.");
        }

        var sort = string.IsNullOrWhiteSpace(query.Sort) ? Sorts[0] : query.Sort.Trim();
        if (!Sorts.Contains(sort.TrimStart('-')))
        {
            errors.Add("sort", $"Must be one of {string.Join(", ", Sorts)}, each with an optional leading '-'.");
        }

        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        var range = calendar.Month(year, month);
        var rows = await db.LoginAttempts.AsNoTracking()
            .Where(l => l.UserId != null && l.At >= range.Start && l.At < range.End)
            .GroupBy(l => l.UserId)
            .Select(g => new
            {
                UserId = g.Key!.Value,
                SignIns = g.Count(l => l.Succeeded),
                Failed = g.Count(l => !l.Succeeded),
                Last = g.Where(l => l.Succeeded).Max(l => (DateTimeOffset?)l.At),
            })
            .Join(db.Users, g => g.UserId, u => u.Id, (g, u) => new { g.UserId, u.FirstName, u.LastName, u.Role, g.SignIns, g.Failed, g.Last })
            .ToListAsync(ct);

        var lines = rows.Select(r => new MonthlyLoginRow(new UserId(r.UserId).ToString(), r.FirstName, r.LastName, r.Role, r.SignIns, r.Failed, r.Last));
        return new MonthlyLoginReport(
            $"{year:D4}-{month:D2}",
            range.Start,
            range.End,
            rows.Sum(r => r.SignIns),
            rows.Sum(r => r.Failed),
            rows.Count(r => r.SignIns > 0),
            Sorted(lines, sort).ToList());
    }

    private static bool TryMonth(string text, out int year, out int month)
    {
        (year, month) = (0, 0);
        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || first.Year < 2000)
        {
            return false;
        }

        (year, month) = (first.Year, first.Month);
        return true;
    }

    [SuppressMessage("Globalization", "CA1309:Use ordinal string comparison", Justification = "Names sort as people read them.")]
    private static IEnumerable<MonthlyLoginRow> Sorted(IEnumerable<MonthlyLoginRow> rows, string sort)
    {
        var descending = sort.StartsWith('-');
        IOrderedEnumerable<MonthlyLoginRow> ordered = sort.TrimStart('-') switch
        {
            "name" => Order(rows, r => r.LastName + " " + r.FirstName, descending, StringComparer.CurrentCultureIgnoreCase),
            "role" => Order(rows, r => r.Role, descending),
            "signIns" => Order(rows, r => r.SignIns, descending),
            "failedAttempts" => Order(rows, r => r.FailedAttempts, descending),
            "lastSignIn" => Order(rows, r => r.LastSignInAt, descending),
            _ => Order(rows, r => long.Parse(r.UserId, CultureInfo.InvariantCulture), descending),
        };
        return ordered.ThenBy(r => r.UserId, StringComparer.Ordinal);
    }

    private static IOrderedEnumerable<MonthlyLoginRow> Order<TKey>(IEnumerable<MonthlyLoginRow> rows, Func<MonthlyLoginRow, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? rows.OrderByDescending(key, comparer) : rows.OrderBy(key, comparer);
}
