using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Bank.Core.Accounts;

/// <summary>Opening a customer's account, the customer's own account, and freezing, unfreezing and closing accounts (administrators).</summary>
public sealed class AccountService(BankDbContext db, WriteGate gate, AuditTrail audit, TimeProvider clock, IOptions<BankOptions> bank)
{
    /// <summary>A customer's own account, read on every balance request: compiled once, not translated each time.</summary>
    private static readonly CompiledQuery<Func<BankDbContext, long, CancellationToken, Task<Account?>>> AccountOf = new(() => EF.CompileAsyncQuery(
        (BankDbContext db, long userId, CancellationToken ct) => db.Accounts.AsNoTracking().FirstOrDefault(a => a.UserId == userId && a.Kind == AccountKind.Customer)));

    /// <summary>The signed-in customer's account.</summary>
    public async Task<Result<AccountView>> GetMineAsync(Actor actor, CancellationToken ct) =>
        (await MineAsync(actor, ct)).Map(AccountView.From);

    /// <summary>The signed-in customer's own account row (read only), or why there is none.</summary>
    internal async Task<Result<Account>> MineAsync(Actor actor, CancellationToken ct)
    {
        if (actor.Role != Role.Customer)
        {
            return Failure.Forbidden("Only customers have an account here.");
        }

        var account = await AccountOf.For(db)(db, actor.UserId.Value, ct);
        return account is null ? Failure.NotFound("You have no account.") : account;
    }

    /// <summary>Opens a new customer's account at the bank's branch; call inside the write transaction that creates the customer.</summary>
    internal async Task<string> OpenAsync(long userId, CancellationToken ct)
    {
        var number = AccountNumber.FromBody(await Counters.NextAsync(db, CounterNames.AccountNumber, ct));
        db.Accounts.Add(new Account
        {
            AccountNumber = number,
            UserId = userId,
            Kind = AccountKind.Customer,
            Branch = bank.Value.Branch,
            Currency = Account.Rupee,
            BalancePaise = 0,
            Status = AccountStatus.Active,
            OpenedAt = clock.GetUtcNow(),
        });
        return number;
    }

    /// <summary>
    /// Sets a customer account's status. Active and Frozen go both ways; Closed is final and needs a zero balance,
    /// checked in the same conditional update so that a deposit racing the close cannot slip in.
    /// </summary>
    public async Task<Result<AccountView>> ChangeStatusAsync(Actor actor, string accountNumber, AccountChange change, CancellationToken ct)
    {
        if (!MayChangeStatus(actor))
        {
            return LedgerFailures.AdministratorsOnly();
        }

        var errors = new FieldErrors();
        if (!EnumText.TryParse<AccountStatus>(change.Status, out var status))
        {
            errors.Add("status", EnumText.MustBeOneOf<AccountStatus>());
        }

        var reason = AuditReason.Validate(change.Reason, errors);
        if (errors.ToFailure() is { } invalid)
        {
            return invalid;
        }

        var number = accountNumber.Trim();
        if (!AccountNumber.IsValid(number))
        {
            return Failure.NotFound($"No customer account has the number '{accountNumber}'.");
        }

        var result = await gate.WriteAsync(db, async token =>
        {
            var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.AccountNumber == number && a.Kind == AccountKind.Customer, token);
            if (account is null)
            {
                return Failure.NotFound($"No customer account has the number '{number}'.");
            }

            if (account.Status == status)
            {
                return Result.Ok(false);
            }

            if (StatusChangeRefusal(account.Status, status, account.BalancePaise) is { } refused)
            {
                return refused;
            }

            var changed = await db.Accounts
                .Where(a => a.Id == account.Id && a.Status == account.Status && (status != AccountStatus.Closed || a.BalancePaise == 0))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, status), token);
            if (changed == 0)
            {
                var balance = await db.Accounts.Where(a => a.Id == account.Id).Select(a => a.BalancePaise).FirstAsync(token);
                return balance != 0 && status == AccountStatus.Closed
                    ? LedgerFailures.AccountNotEmpty(balance)
                    : LedgerFailures.ChangedMeanwhile("The account changed at the same moment; please look again and retry.");
            }

            audit.Record(actor, AuditActions.AccountStatusChanged, account.UserId, AuditReason.Append($"{account.AccountNumber}: {account.Status} -> {status}", reason));
            return Result.Ok(true);
        }, ct);

        if (!result.Succeeded)
        {
            return result.Failure;
        }

        var view = await db.Accounts.AsNoTracking().FirstAsync(a => a.AccountNumber == number, ct);
        return AccountView.From(view);
    }

    /// <summary>Whether <paramref name="actor"/> may freeze, unfreeze or close accounts: administrators only.</summary>
    internal static bool MayChangeStatus(Actor actor) => actor.Role.IsAdministrator();

    /// <summary>
    /// Why an account in <paramref name="current"/> holding <paramref name="balancePaise"/> cannot go to
    /// <paramref name="after"/>: a closed account stays closed, and closing needs a zero balance. Null when it can (or is
    /// there already). The conditional update checks the balance again, against a deposit racing the close.
    /// </summary>
    internal static Failure? StatusChangeRefusal(AccountStatus current, AccountStatus after, long balancePaise) =>
        current == after ? null
        : current == AccountStatus.Closed ? LedgerFailures.ClosedForGood()
        : after == AccountStatus.Closed && balancePaise != 0 ? LedgerFailures.AccountNotEmpty(balancePaise)
        : null;
}
