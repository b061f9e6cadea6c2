using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Money;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.MyAccount;

/// <summary>
/// A customer's account: balance (live), deposit, withdraw and transfer forms, the latest transactions.
/// Each rendered form carries a fresh idempotency key, so a double submit or a resubmitted POST moves money once.
/// </summary>
public sealed class IndexModel(AccountService accounts, LedgerService ledger) : BankPageModel
{
    public const int RecentCount = 10;

    public AccountView? Account { get; private set; }

    public IReadOnlyList<TransactionLine> Recent { get; private set; } = [];

    /// <summary>Which form the last POST came from ("deposit", "withdraw", "transfer"), to show its errors beside it.</summary>
    public string? ActiveForm { get; private set; }

    [BindProperty]
    public MoneyForm Form { get; set; } = new();

    public string NewKey() => Guid.NewGuid().ToString("N");

    public async Task OnGetAsync(CancellationToken ct)
    {
        SuccessMessage = TempData["Notice"] as string;
        await LoadAsync(ct);
    }

    public Task<IActionResult> OnPostDepositAsync(CancellationToken ct) => MoveAsync("deposit", "credit", ct);

    public Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct) => MoveAsync("withdraw", "debit", ct);

    public Task<IActionResult> OnPostTransferAsync(CancellationToken ct) => MoveAsync("transfer", "transfer", ct);

    private async Task<IActionResult> MoveAsync(string form, string type, CancellationToken ct)
    {
        ActiveForm = form;
        Result<MoneyMoved> result;
        if (!Money.TryParseTyped(Form.Amount, out var rupees))
        {
            result = LedgerFailures.InvalidAmount("Must be an amount in rupees, for example 1500.50.");
        }
        else
        {
            var order = new MoneyOrder(type, rupees, type == "transfer" ? Form.ToAccountNumber ?? "" : null, Form.Narration,
                string.IsNullOrWhiteSpace(Form.Key) ? null : Form.Key, Channel.Web);
            result = await ledger.MoveAsync(HttpContext.ToActor(), order, ct);
        }

        if (result.Failure is { } failure)
        {
            Show(failure);
            await LoadAsync(ct);
            return Page();
        }

        var line = result.Value!.Line;
        var what = type switch
        {
            "credit" => $"Deposited {Display.Rupees(line.Amount)}",
            "debit" => $"Withdrew {Display.Rupees(line.Amount)}",
            _ => $"Transferred {Display.Rupees(line.Amount)} to {line.CounterpartyAccountNumber}",
        };
        TempData["Notice"] = $"{what}. Transaction {line.TransactionId}. Your balance is now {Display.Rupees(line.BalanceAfter)}.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = HttpContext.ToActor();
        var account = await accounts.GetMineAsync(actor, ct);
        if (account.Failure is { } failure)
        {
            Show(failure);
            return;
        }

        Account = account.Value;
        var recent = await ledger.ListAsync(actor, new TransactionQuery(Limit: RecentCount), ct);
        Recent = recent.Value?.Items ?? [];
    }
}

/// <summary>The fields of the three money forms (each form posts its own).</summary>
public sealed class MoneyForm
{
    public string? Amount { get; set; }

    public string? ToAccountNumber { get; set; }

    public string? Narration { get; set; }

    /// <summary>The idempotency key rendered into the form.</summary>
    public string? Key { get; set; }
}
