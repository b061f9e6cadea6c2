using Bank.Core;
using Bank.Core.Users;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

/// <summary>The users list (staff): search, filters, sort, keyset pages.</summary>
public sealed class IndexModel(UserDirectory directory, Actor actor) : BankPageModel
{
    private const int PageSize = 25;

    /// <summary>Whether the viewer may create users.</summary>
    public bool CanCreate => actor.Role.IsAdministrator();

    /// <summary>The filters, sort and cursor the page was asked for (the API's query record).</summary>
    public UserQuery Query { get; private set; } = new();

    /// <summary>The users of this page.</summary>
    public Page<UserSummary> Result { get; private set; } = new([], null);

    /// <summary>Shows one page of the filter.</summary>
    public async Task OnGetAsync([FromQuery] UserQuery query, CancellationToken ct)
    {
        Query = query with { Limit = PageSize };
        if (Succeeded(await directory.ListAsync(actor, Query, ct), out var page))
        {
            Result = page;
        }
    }

    /// <summary>This page with the same filters at another cursor.</summary>
    public string PageUrl(string? cursor) => ListLinks.For("/Users", Query, cursor);
}
