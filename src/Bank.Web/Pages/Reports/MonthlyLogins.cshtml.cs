using Bank.Core;
using Bank.Core.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Bank.Web.Pages.Reports;

/// <summary>Monthly sign-in statistics (Super_Admin): a month picker, the totals, and a table sortable by every column, a page at a time.</summary>
public sealed class MonthlyLoginsModel(MonthlyLogins logins, Actor actor) : BankPageModel
{
    /// <summary>The month and order asked for (the API's query record).</summary>
    public MonthlyLoginQuery Query { get; private set; } = new();

    /// <summary>The report.</summary>
    public MonthlyLoginReport? Report { get; private set; }

    /// <summary>Shows one month.</summary>
    public async Task OnGetAsync([FromQuery] MonthlyLoginQuery query, CancellationToken ct)
    {
        Query = query with { Limit = Paging.DefaultLimit }; // the page's size, whatever the address says
        if (Succeeded(await logins.ForMonthAsync(actor, Query, ct), out var report))
        {
            Report = report;
        }
    }

    /// <summary>The sort key of a column when it is clicked: ascending first, reversed when it is already ascending.</summary>
    public string NextSort(string column) => SortShown == column ? "-" + column : column;

    /// <summary>The aria-sort value of a column header.</summary>
    public string? AriaSort(string column) =>
        SortShown == column ? "ascending" : SortShown == "-" + column ? "descending" : null;

    /// <summary>This month's first page in another order.</summary>
    public string SortUrl(string column) => ListLinks.For(Path, Shown with { Sort = NextSort(column) }, null);

    /// <summary>This month in this order at another cursor (the first page for null).</summary>
    public string PageUrl(string? cursor) => ListLinks.For(Path, Shown, cursor);

    /// <summary>The CSV of the month shown: every row, in the order shown.</summary>
    public string CsvUrl => QueryHelpers.AddQueryString(ListLinks.For("/api/v1/reports/monthly-logins", Shown, null), "format", "csv");

    private const string Path = "/Reports/MonthlyLogins";

    /// <summary>The order of the rows shown (the report's default when the query names none).</summary>
    private string SortShown => string.IsNullOrWhiteSpace(Query.Sort) ? MonthlyLogins.Sorts[0] : Query.Sort.Trim();

    /// <summary>The query of the month shown (a month picked by default is named).</summary>
    private MonthlyLoginQuery Shown => Query with { Month = Report?.Month ?? Query.Month };
}
