using Bank.Core;
using Bank.Core.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Account;

/// <summary>The signed-in user's own sign-in attempts, newest first.</summary>
public sealed class LoginsModel(LoginHistory history, Actor actor) : BankPageModel
{
    private const int PageSize = 25;

    /// <summary>The paging the page was asked for.</summary>
    public LoginQuery Query { get; private set; } = new();

    /// <summary>The attempts on this page.</summary>
    public Page<LoginRecord> Result { get; private set; } = new([], null);

    /// <summary>Shows one page.</summary>
    public async Task OnGetAsync([FromQuery] LoginQuery query, CancellationToken ct)
    {
        Query = query with { Limit = PageSize };
        if (Succeeded(await history.OwnAsync(actor, Query, ct), out var page))
        {
            Result = page;
        }
    }
}
