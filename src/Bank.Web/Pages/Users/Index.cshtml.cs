using Bank.Core;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Users;

public sealed class IndexModel(UserService users) : BankPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Activity { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public Page<UserSummary> Result { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var result = await users.ListAsync(HttpContext.ToActor(), new UserQuery(Q, Role, Status, Activity, Sort, Cursor, 25), ct);
        if (result.Failure is { } failure)
        {
            Show(failure);
            return;
        }

        Result = result.Value!;
    }

    public string PageUrl(string? cursor) =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["q"] = Q,
            ["role"] = Role,
            ["status"] = Status,
            ["activity"] = Activity,
            ["sort"] = Sort,
            ["cursor"] = cursor,
        }.Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent() is var query && query.Length > 0 ? "/Users" + query : "/Users";
}
