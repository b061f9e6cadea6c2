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
/// <param name="UsersWithAttempts">Users with any attempt that month: the rows of the whole report.</param>
/// <param name="Users">The rows of this page (all of them in an export), one per user with an attempt, in the order asked for.</param>
/// <param name="NextCursor">The cursor of the next page; null on the last page and in an export.</param>
public sealed record MonthlyLoginReport(
    string Month,
    DateTimeOffset From,
    DateTimeOffset To,
    int SignIns,
    int FailedAttempts,
    int ActiveUsers,
    int UsersWithAttempts,
    IReadOnlyList<MonthlyLoginRow> Users,
    string? NextCursor);

/// <summary>Which month, the order of the rows and the page (the API's query names; the page binds the same record).</summary>
/// <param name="Month">YYYY-MM; this month when empty.</param>
/// <param name="Sort">userId (default), name, role, signIns, failedAttempts or lastSignIn; a leading '-' reverses it.</param>
/// <param name="Cursor">The <see cref="MonthlyLoginReport.NextCursor"/> of the previous page; ignored by an export.</param>
/// <param name="Limit">Rows on a page (as every list); ignored by an export.</param>
public sealed record MonthlyLoginQuery(string? Month = null, string? Sort = null, string? Cursor = null, int? Limit = null) : IPageQuery;

/// <summary>
/// Monthly login statistics for Super_Admins: one grouped query over the month's attempts, by the bank's calendar. The
/// totals cover the month; the rows come a page at a time (a month of a large bank has a row for most of its users),
/// or all at once in an export.
/// </summary>
public sealed class MonthlyLogins(BankDbContext db, BankCalendar calendar)
{
    /// <summary>The sort keys a report accepts (each also with a leading '-').</summary>
    public static readonly IReadOnlyList<string> Sorts = ["userId", "name", "role", "signIns", "failedAttempts", "lastSignIn"];

    /// <summary>The report of one month (this month so far when none is named), with one page of its rows.</summary>
    public Task<Result<MonthlyLoginReport>> ForMonthAsync(Actor actor, MonthlyLoginQuery query, CancellationToken ct) =>
        ReportAsync(actor, query, paged: true, ct);

    /// <summary>The report of one month with all its rows (the CSV); the query's cursor and limit are not read.</summary>
    public Task<Result<MonthlyLoginReport>> ExportAsync(Actor actor, MonthlyLoginQuery query, CancellationToken ct) =>
        ReportAsync(actor, query with { Cursor = null, Limit = null }, paged: false, ct);

    private async Task<Result<MonthlyLoginReport>> ReportAsync(Actor actor, MonthlyLoginQuery query, bool paged, CancellationToken ct)
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

        var name = $"{year:D4}-{month:D2}";
        var window = query.Window<RowKey>($"monthly-logins:{name}:{sort}", errors);
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

        var lines = Sorted(rows.Select(r => new MonthlyLoginRow(new UserId(r.UserId).ToString(), r.FirstName, r.LastName, r.Role, r.SignIns, r.Failed, r.Last)), sort).ToList();
        IReadOnlyList<MonthlyLoginRow> shown = lines;
        string? next = null;
        if (paged)
        {
            // Keyset over the sorted rows: the page starts after the row of the cursor's user.
            var start = window.After is { } after ? lines.FindIndex(r => r.UserId == after.UserId) + 1 : 0;
            if (start == 0 && window.After is not null)
            {
                return Failure.Validation("cursor", Paging.CursorRule);
            }

            var page = window.ToPage(lines.GetRange(start, Math.Min(window.Fetch, lines.Count - start)), r => new RowKey(r.UserId), r => r);
            (shown, next) = (page.Items, page.NextCursor);
        }

        return new MonthlyLoginReport(
            name,
            range.Start,
            range.End,
            rows.Sum(r => r.SignIns),
            rows.Sum(r => r.Failed),
            rows.Count(r => r.SignIns > 0),
            lines.Count,
            shown,
            next);
    }

    private static bool TryMonth(string text, out int year, out int month)
    {
        (year, month) = (0, 0);
        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || first.Year is < 2000 or > 9998)
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

    /// <summary>The key a page of the report ends on: the user of its last row.</summary>
    private sealed record RowKey(string UserId);
}
