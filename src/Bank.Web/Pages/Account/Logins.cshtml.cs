using Bank.Core;
using Bank.Core.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Account;

/// <summary>The signed-in user's own sign-in attempts, newest first.</summary>
public sealed class LoginsModel(LoginHistory history, Actor actor) : ListPageModel<LoginQuery, LoginRecord>(new LoginQuery(), "/Account/Logins")
{
    /// <summary>Shows one page.</summary>
    public Task OnGetAsync([FromQuery] LoginQuery query, CancellationToken ct) =>
        ShowAsync(query with { Limit = Paging.DefaultLimit }, q => history.OwnAsync(actor, q, ct));
}
