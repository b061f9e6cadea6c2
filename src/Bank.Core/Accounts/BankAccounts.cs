using Bank.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Accounts;

/// <summary>The bank's own accounts: internal cash, the other side of every deposit and withdrawal.</summary>
public static class BankAccounts
{
    /// <summary>The internal cash account's number: the body just before the first customer's, with its check digit.</summary>
    public static readonly string CashAccountNumber = AccountNumber.FromBody(AccountNumber.FirstBody - 1);

    /// <summary>Opens the internal cash account when the database has none (at migration; safe to run on many instances).</summary>
    public static async Task EnsureAsync(BankDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Accounts.AnyAsync(a => a.AccountNumber == CashAccountNumber, ct))
        {
            return;
        }

        db.Accounts.Add(new Account
        {
            AccountNumber = CashAccountNumber,
            UserId = null,
            Kind = AccountKind.InternalCash,
            Branch = "Head Office",
            Currency = Account.Rupee,
            BalancePaise = 0,
            Status = AccountStatus.Active,
            OpenedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex, out _))
        {
            // Another instance opened it at the same moment.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
