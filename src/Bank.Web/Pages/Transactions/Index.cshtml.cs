using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Users;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Transactions;

/// <summary>Staff: every customer's transactions; a customer: their own statement. Filters, keyset pages, CSV of the filter.</summary>
public sealed class IndexModel(Statements statements, Actor actor) : BankPageModel
{
    private const int PageSize = 50;

    /// <summary>Whether the viewer is staff (and sees every customer).</summary>
    public bool IsStaff => actor.Role.IsStaff();

    /// <summary>The filters and cursor the page was asked for (the API's query record).</summary>
    public TransactionQuery Query { get; private set; } = new();

    /// <summary>The lines of this page.</summary>
    public Page<TransactionLine> Result { get; private set; } = new([], null);

    /// <summary>Shows one page of the filter.</summary>
    public async Task OnGetAsync([FromQuery] TransactionQuery query, CancellationToken ct)
    {
        Query = query with { Limit = PageSize };
        if (Succeeded(await statements.ListAsync(actor, Query, ct), out var page))
        {
            Result = page;
        }
    }

    /// <summary>This page with the same filters at another cursor.</summary>
    public string PageUrl(string? cursor) => ListLinks.For("/Transactions", Query, cursor);

    /// <summary>The CSV export of the same filters (all pages).</summary>
    public string ExportUrl => ListLinks.For("/api/v1/transactions/export", Query, null);
}
