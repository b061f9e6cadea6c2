using Bank.Core;
using Bank.Core.Reports;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Reports;

/// <summary>Monthly sign-in statistics (Super_Admin): a month picker, the totals, and a table sortable by every column.</summary>
public sealed class MonthlyLoginsModel(MonthlyLogins logins, Actor actor) : BankPageModel
{
    /// <summary>The month and order asked for (the API's query record).</summary>
    public MonthlyLoginQuery Query { get; private set; } = new();

    /// <summary>The report.</summary>
    public MonthlyLoginReport? Report { get; private set; }

    /// <summary>Shows one month.</summary>
    public async Task OnGetAsync([FromQuery] MonthlyLoginQuery query, CancellationToken ct)
    {
        Query = query;
        if (Succeeded(await logins.ForMonthAsync(actor, query, ct), out var report))
        {
            Report = report;
        }
    }

    /// <summary>The sort key of a column when it is clicked: ascending first, reversed when it is already ascending.</summary>
    public string NextSort(string column) => Query.Sort == column ? "-" + column : column;

    /// <summary>The aria-sort value of a column header.</summary>
    public string? AriaSort(string column) =>
        (Query.Sort ?? MonthlyLogins.Sorts[0]) == column ? "ascending" : Query.Sort == "-" + column ? "descending" : null;

    /// <summary>This month's page in another order.</summary>
    public string SortUrl(string column) => Link(Report?.Month, NextSort(column), csv: false);

    /// <summary>The CSV of the month shown.</summary>
    public string CsvUrl => Link(Report?.Month, Query.Sort, csv: true);

    private static string Link(string? month, string? sort, bool csv)
    {
        var pairs = new Dictionary<string, string?> { ["month"] = month, ["sort"] = sort, ["format"] = csv ? "csv" : null }
            .Where(p => !string.IsNullOrEmpty(p.Value));
        return (csv ? "/api/v1/reports/monthly-logins" : "/Reports/MonthlyLogins") + QueryString.Create(pairs);
    }
}
