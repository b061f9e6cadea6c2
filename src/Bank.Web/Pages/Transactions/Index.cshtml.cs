using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Users;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Transactions;

/// <summary>Staff: every customer's transactions; a customer: their own statement. Filters, keyset pages, CSV of the filter.</summary>
public sealed class IndexModel(Statements statements, Actor actor) : ListPageModel<TransactionQuery, TransactionLine>(new TransactionQuery(), "/Transactions")
{
    /// <summary>Whether the viewer is staff (and sees every customer).</summary>
    public bool IsStaff => actor.Role.IsStaff();

    /// <summary>The CSV export of the same filters (all pages).</summary>
    public string ExportUrl => ListLinks.For("/api/v1/transactions/export", Query, null);

    /// <summary>Shows one page of the filter.</summary>
    public Task OnGetAsync([FromQuery] TransactionQuery query, CancellationToken ct) =>
        ShowAsync(query with { Limit = 50 }, q => statements.ListAsync(actor, q, ct));
}
