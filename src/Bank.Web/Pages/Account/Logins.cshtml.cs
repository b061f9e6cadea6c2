using Bank.Core.Auth;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Account;

public sealed class LoginsModel(LoginHistory history) : BankPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public IReadOnlyList<LoginRecord> Items { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var result = await history.OwnAsync(HttpContext.ToActor(), Cursor, 25, ct);
        if (result.Failure is { } failure)
        {
            Show(failure);
            return;
        }

        Items = result.Value!.Items;
        NextCursor = result.Value.NextCursor;
    }
}
