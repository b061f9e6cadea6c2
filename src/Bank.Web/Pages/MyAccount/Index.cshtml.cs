using Bank.Core;
using Bank.Core.Accounts;
using Bank.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.MyAccount;

/// <summary>
/// A customer's account: balance (live), deposit, withdraw and transfer forms, the latest transactions.
/// Each rendered form carries a fresh idempotency key, so a double submit or a resubmitted POST moves money once. A transfer
/// is reviewed first (the payee's masked name; nothing moves) and moves only when confirmed. Success answers 303 to this
/// page with a one-time message (post-redirect-get); a refusal renders the page with the error inside its form.
/// </summary>
public sealed class IndexModel(AccountService accounts, LedgerService ledger, TransferReviews reviews, Statements statements, Actor actor) : BankPageModel
{
    /// <summary>How many lines the page shows (the live updates keep to it).</summary>
    public const int RecentCount = 10;

    /// <summary>The customer's account.</summary>
    public AccountView? Account { get; private set; }

    /// <summary>Whether money can move (an Active account); the forms are disabled otherwise.</summary>
    public bool CanMove => Account?.Status == AccountStatus.Active;

    /// <summary>The latest lines.</summary>
    public IReadOnlyList<TransactionLine> Recent { get; private set; } = [];

    /// <summary>The transfer being reviewed (the review step shows it in place of the transfer form).</summary>
    public TransferReview? Review { get; private set; }

    /// <summary>Whether the transfer form came back from its review to be changed (its first field takes the focus).</summary>
    public bool Changing { get; private set; }

    /// <summary>The posted form.</summary>
    [BindProperty]
    public MoneyForm Form { get; set; } = new();

    /// <summary>A fresh idempotency key for a form.</summary>
    public string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>The key a form renders: the posted one while that form is being worked on, else a fresh one.</summary>
    public string KeyFor(string form) => ActiveForm == form && Form.Key is { Length: > 0 } key ? key : NewKey();

    /// <summary>A posted value to put back into a form (only into the form that was sent).</summary>
    public string? Value(string form, string? value) => ActiveForm == form ? value : null;

    /// <summary>Shows the account.</summary>
    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    /// <summary>A deposit.</summary>
    public Task<IActionResult> OnPostDepositAsync(CancellationToken ct) => MoveAsync("deposit", TransactionType.Credit, ct);

    /// <summary>A withdrawal.</summary>
    public Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct) => MoveAsync("withdraw", TransactionType.Debit, ct);

    /// <summary>The review of a transfer: checks it and names the payee; nothing moves (a reload shows the same review).</summary>
    public async Task<IActionResult> OnPostReviewAsync(CancellationToken ct)
    {
        ActiveForm = "transfer";
        var result = await reviews.ReviewAsync(actor, Order(TransactionType.Transfer), ct);
        await LoadAsync(ct);
        if (Succeeded(result, out var review))
        {
            Review = review;
        }
        else
        {
            NameTheField(result.Failure!);
        }

        return Page();
    }

    /// <summary>Back from the review to the transfer form, its values kept; nothing moves.</summary>
    public async Task<IActionResult> OnPostChangeAsync(CancellationToken ct)
    {
        ActiveForm = "transfer";
        Changing = true;
        // A changed transfer is another request: a new key, so that it is not taken for a repeat of the reviewed one.
        Form.Key = null;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The confirmed transfer (from its review, with the key the transfer form was rendered with).</summary>
    public Task<IActionResult> OnPostTransferAsync(CancellationToken ct) => MoveAsync("transfer", TransactionType.Transfer, ct);

    /// <summary>The form as typed: Core reads the amount too.</summary>
    private MoneyOrder Order(TransactionType type) =>
        MoneyOrder.Typed(type.Name(), Form.Amount, type == TransactionType.Transfer ? Form.ToAccountNumber ?? "" : null, Form.Narration,
            string.IsNullOrWhiteSpace(Form.Key) ? null : Form.Key, Channel.Web);

    private async Task<IActionResult> MoveAsync(string form, TransactionType type, CancellationToken ct)
    {
        ActiveForm = form;
        var result = await ledger.MoveAsync(actor, Order(type), ct);
        if (!Succeeded(result, out var moved))
        {
            NameTheField(result.Failure!);
            await LoadAsync(ct);
            return Page();
        }

        var line = moved.Line;
        var what = type switch
        {
            TransactionType.Credit => $"Deposited {Display.Rupees(line.Amount)}",
            TransactionType.Debit => $"Withdrew {Display.Rupees(line.Amount)}",
            _ => $"Transferred {Display.Rupees(line.Amount)} to {line.CounterpartyName} ({line.CounterpartyAccountNumber})",
        };
        // 303 See Other: the browser fetches the account page with GET, so a reload shows it again and sends nothing.
        return SeeOther(Url.Page("/MyAccount/Index") ?? "/MyAccount", (moved.Replayed ? "Already done (this form was sent before; nothing moved again). " : "")
            + $"{what}. Transaction {line.TransactionId}. Your balance is now {Display.Rupees(line.BalanceAfter)}.");
    }

    /// <summary>A refusal that concerns one field but names none (insufficient funds) is shown next to that field too.</summary>
    private void NameTheField(Failure failure)
    {
        if (failure.Type == FailureTypes.InsufficientFunds && !HasError("amount", ActiveForm))
        {
            ShowFieldError("amount", "Is more than the balance of your account.");
        }
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
