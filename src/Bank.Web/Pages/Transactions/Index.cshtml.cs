using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Users;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Transactions;

/// <summary>Staff: every customer's transactions; a customer: their own statement. Filters, keyset pages, CSV of the filter.</summary>
public sealed class IndexModel(LedgerService ledger) : BankPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? TransactionId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? AccountNumber { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? MinAmount { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? MaxAmount { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Cursor { get; set; }

    public bool IsStaff { get; private set; }

    public Page<TransactionLine> Result { get; private set; } = new([], null);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var actor = HttpContext.ToActor();
        IsStaff = actor.Role.IsStaff();
        var result = await ledger.ListAsync(actor, Query(Cursor), ct);
        if (result.Failure is { } failure)
        {
            Show(failure);
            return;
        }

        Result = result.Value!;
    }

    private TransactionQuery Query(string? cursor) =>
        new(UserId, TransactionId, AccountNumber, Type, From, To, MinAmount, MaxAmount, cursor, 50);

    /// <summary>This page with the same filters at another cursor.</summary>
    public string PageUrl(string? cursor) => "/Transactions" + QueryString(cursor);

    /// <summary>The CSV export of the same filters (all pages).</summary>
    public string ExportUrl => "/api/v1/transactions/export" + QueryString(null);

    private string QueryString(string? cursor)
    {
        var pairs = new Dictionary<string, string?>
        {
            ["userId"] = UserId,
            ["transactionId"] = TransactionId,
            ["accountNumber"] = AccountNumber,
            ["type"] = Type,
            ["from"] = From,
            ["to"] = To,
            ["minAmount"] = MinAmount,
            ["maxAmount"] = MaxAmount,
            ["cursor"] = cursor,
        }.Where(p => !string.IsNullOrWhiteSpace(p.Value)).ToDictionary(p => p.Key, p => p.Value);
        return Microsoft.AspNetCore.Http.QueryString.Create(pairs).ToString();
    }
}
