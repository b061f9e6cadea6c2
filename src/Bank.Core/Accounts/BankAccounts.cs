using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Accounts;

/// <summary>
/// The bank's own accounts: internal cash, the other side of every deposit and withdrawal. The cash is kept in
/// <see cref="CashAccountCount"/> accounts, each preferred by a fixed share of the customers, so that deposits and withdrawals
/// of different customers do not all wait for the lock of one row (on PostgreSQL a movement whose preferred account is
/// locked takes any free one: <see cref="LedgerSql.ApplyToCash"/>); the bank's cash is their sum.
/// </summary>
public static class BankAccounts
{
    /// <summary>How many accounts hold the bank's cash.</summary>
    public const int CashAccountCount = 16;

    /// <summary>The first internal cash account's number: the body just before the first customer's, with its check digit.</summary>
    public static readonly string CashAccountNumber = AccountNumber.FromBody(AccountNumber.FirstBody - 1);

    /// <summary>Every internal cash account's number: the bodies just before the first customer's, counting down.</summary>
    public static readonly IReadOnlyList<string> CashAccountNumbers =
        [.. Enumerable.Range(1, CashAccountCount).Select(k => AccountNumber.FromBody(AccountNumber.FirstBody - k))];

    /// <summary>The cash account preferred for the other side of this customer's deposits and withdrawals (always the same one).</summary>
    public static string CashAccountFor(UserId customer) => CashAccountNumbers[(int)(customer.Value % CashAccountCount)];

    /// <summary>Opens the internal cash accounts the database lacks (at migration; safe to run on many instances).</summary>
    public static async Task EnsureAsync(BankDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var open = await db.Accounts.Where(a => CashAccountNumbers.Contains(a.AccountNumber)).Select(a => a.AccountNumber).ToListAsync(ct);
        foreach (var number in CashAccountNumbers.Except(open))
        {
            db.Accounts.Add(new Account
            {
                AccountNumber = number,
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
}
