using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Accounts;

/// <summary>A customer's own account, and freezing, unfreezing and closing accounts (administrators).</summary>
public sealed class AccountService(BankDbContext db, WriteGate gate, AuditTrail audit)
{
    /// <summary>The signed-in customer's account.</summary>
    public async Task<Result<AccountView>> GetMineAsync(Actor actor, CancellationToken ct)
    {
        if (actor.Role != Role.Customer)
        {
            return Failure.Forbidden("Only customers have an account here.");
        }

        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == actor.UserId && a.Kind == AccountKind.Customer, ct);
        return account is null ? Failure.NotFound("You have no account.") : Result<AccountView>.Ok(AccountView.From(account));
    }

    /// <summary>
    /// Sets a customer account's status. Active and Frozen go both ways; Closed is final and needs a zero balance,
    /// checked in the same conditional update so that a deposit racing the close cannot slip in.
    /// </summary>
    public async Task<Result<AccountView>> ChangeStatusAsync(Actor actor, string accountNumber, AccountChange change, CancellationToken ct)
    {
        if (!actor.Role.IsAdministrator())
        {
            return Failure.Forbidden("Only administrators can freeze, unfreeze or close accounts.");
        }

        if (!Enum.TryParse<AccountStatus>(change.Status?.Trim(), ignoreCase: true, out var status) || !Enum.IsDefined(status)
            || change.Status!.Trim().All(char.IsAsciiDigit))
        {
            return Failure.Validation("status", "Must be one of Active, Frozen, Closed.");
        }

        var number = accountNumber.Trim();
        if (!AccountNumber.IsValid(number))
        {
            return Failure.NotFound($"No customer account has the number '{accountNumber}'.");
        }

        var result = await gate.WriteAsync<bool>(db, async token =>
        {
            var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.AccountNumber == number && a.Kind == AccountKind.Customer, token);
            if (account is null)
            {
                return Failure.NotFound($"No customer account has the number '{number}'.");
            }

            if (account.Status == status)
            {
                return Result<bool>.Ok(false);
            }

            if (account.Status == AccountStatus.Closed)
            {
                return new Failure(LedgerFailures.AccountClosedCode, "This account is closed; a closed account cannot be reopened.");
            }

            var changed = status == AccountStatus.Closed
                ? await db.Accounts.Where(a => a.Id == account.Id && a.BalancePaise == 0 && a.Status == account.Status)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, status), token)
                : await db.Accounts.Where(a => a.Id == account.Id && a.Status == account.Status)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, status), token);
            if (changed == 0)
            {
                var balance = await db.Accounts.Where(a => a.Id == account.Id).Select(a => a.BalancePaise).FirstAsync(token);
                return balance != 0 && status == AccountStatus.Closed
                    ? LedgerFailures.AccountNotEmpty(balance)
                    : new Failure(FailureCodes.Conflict, "The account changed at the same moment; please look again and retry.");
            }

            audit.Record(db, actor, AuditActions.AccountStatusChanged, account.UserId, $"{account.AccountNumber}: {account.Status} -> {status}");
            return Result<bool>.Ok(true);
        }, ct);

        if (result.Failure is { } failure)
        {
            return failure;
        }

        var view = await db.Accounts.AsNoTracking().FirstAsync(a => a.AccountNumber == number, ct);
        return Result<AccountView>.Ok(AccountView.From(view));
    }
}
