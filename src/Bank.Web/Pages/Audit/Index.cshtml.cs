using Bank.Core;
using Bank.Core.Audit;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Audit;

/// <summary>The audit trail for administrators: filters, keyset pages, CSV of the filter. Read-only.</summary>
public sealed class IndexModel(AuditLog log, Actor actor) : ListPageModel<AuditQuery, AuditEntry>(new AuditQuery(), "/Audit")
{
    /// <summary>Whether the reader sees every entry (Super_Admin) or those about Employees and Customers (Admin).</summary>
    public bool SeesAll => actor.Role == Core.Users.Role.SuperAdmin;

    /// <summary>The CSV of the same filters (every page).</summary>
    public string ExportUrl
    {
        get
        {
            var url = ListLinks.For("/api/v1/audit", Query, null);
            return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "format=csv";
        }
    }

    /// <summary>Shows one page of the filter.</summary>
    public Task OnGetAsync([FromQuery] AuditQuery query, CancellationToken ct) =>
        ShowAsync(query with { Limit = 50 }, q => log.ListAsync(actor, q, ct));
}
