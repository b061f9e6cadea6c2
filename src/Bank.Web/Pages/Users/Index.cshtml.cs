using Bank.Core;
using Bank.Core.Users;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

/// <summary>The users list (staff): search, filters, sort, keyset pages.</summary>
public sealed class IndexModel(UserDirectory directory, Actor actor) : ListPageModel<UserQuery, UserSummary>(new UserQuery(), "/Users")
{
    /// <summary>Whether the viewer may create users.</summary>
    public bool CanCreate => actor.Role.IsAdministrator();

    /// <summary>Shows one page of the filter.</summary>
    public Task OnGetAsync([FromQuery] UserQuery query, CancellationToken ct) =>
        ShowAsync(query with { Limit = Paging.DefaultLimit }, q => directory.ListAsync(actor, q, ct));
}
