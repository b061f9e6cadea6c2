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
public sealed class IndexModel(AccountService accounts, LedgerService ledger, Statements statements, Actor actor) : BankPageModel
{
    /// <summary>How many lines the page shows (the live updates keep to it).</summary>
    public const int RecentCount = 10;

    /// <summary>The customer's account.</summary>
    public AccountView? Account { get; private set; }

    /// <summary>The latest lines.</summary>
    public IReadOnlyList<TransactionLine> Recent { get; private set; } = [];

    /// <summary>The posted form.</summary>
    [BindProperty]
    public MoneyForm Form { get; set; } = new();

    /// <summary>A fresh idempotency key for a form.</summary>
    public string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>Shows the account.</summary>
    public async Task OnGetAsync(CancellationToken ct)
    {
        SuccessMessage = TempData["Notice"] as string;
        await LoadAsync(ct);
    }

    /// <summary>A deposit.</summary>
    public Task<IActionResult> OnPostDepositAsync(CancellationToken ct) => MoveAsync("deposit", TransactionType.Credit, ct);

    /// <summary>A withdrawal.</summary>
    public Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct) => MoveAsync("withdraw", TransactionType.Debit, ct);

    /// <summary>A transfer.</summary>
    public Task<IActionResult> OnPostTransferAsync(CancellationToken ct) => MoveAsync("transfer", TransactionType.Transfer, ct);

    private async Task<IActionResult> MoveAsync(string form, TransactionType type, CancellationToken ct)
    {
        ActiveForm = form;
        var result = Rupees.TryParseTyped(Form.Amount, out var rupees)
            ? await ledger.MoveAsync(actor, new MoneyOrder(type.Name(), rupees, type == TransactionType.Transfer ? Form.ToAccountNumber ?? "" : null, Form.Narration,
                string.IsNullOrWhiteSpace(Form.Key) ? null : Form.Key, Channel.Web), ct)
            : LedgerFailures.InvalidAmount("Must be an amount in rupees, for example 1500.50.");
        if (!Succeeded(result, out var moved))
        {
            await LoadAsync(ct);
            return Page();
        }

        var line = moved.Line;
        var what = type switch
        {
            TransactionType.Credit => $"Deposited {Display.Rupees(line.Amount)}",
            TransactionType.Debit => $"Withdrew {Display.Rupees(line.Amount)}",
            _ => $"Transferred {Display.Rupees(line.Amount)} to {line.CounterpartyAccountNumber}",
        };
        TempData["Notice"] = $"{what}. Transaction {line.TransactionId}. Your balance is now {Display.Rupees(line.BalanceAfter)}.";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (!Succeeded(await accounts.GetMineAsync(actor, ct), out var account))
        {
            return;
        }

        Account = account;
        Recent = (await statements.ListAsync(actor, new TransactionQuery(Limit: RecentCount), ct)).Match(page => page.Items, _ => []);
    }
}

/// <summary>The fields of the three money forms (each form posts its own).</summary>
public sealed class MoneyForm
{
    /// <summary>Rupees as typed.</summary>
    public string? Amount { get; set; }

    /// <summary>The receiving account of a transfer.</summary>
    public string? ToAccountNumber { get; set; }

    /// <summary>The customer's note.</summary>
    public string? Narration { get; set; }

    /// <summary>The idempotency key rendered into the form.</summary>
    public string? Key { get; set; }
}
