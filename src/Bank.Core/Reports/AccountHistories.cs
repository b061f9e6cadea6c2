using Bank.Core.Accounts;
using Bank.Core.Charts;
using Bank.Core.Data;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Reports;

/// <summary>The data behind a customer's 6-month chart: their days with movements, by the bank's calendar, and the summary.</summary>
public sealed class AccountHistories(BankDbContext db, BankCalendar calendar)
{
    /// <summary>How many months the chart looks back.</summary>
    public const int Months = 6;

    /// <summary>
    /// The last six months (ending today) of a customer's account: a customer's own (<paramref name="userId"/> empty or theirs),
    /// or any customer's for staff (<paramref name="userId"/> required).
    /// </summary>
    public async Task<Result<AccountHistory>> SixMonthsAsync(Actor actor, string? userId, CancellationToken ct)
    {
        UserId? asked = null;
        if (!string.IsNullOrWhiteSpace(userId))
        {
            if (!UserId.TryParse(userId, out var parsed))
            {
                return Failure.Validation("userId", "Must be a User ID (digits only).");
            }

            asked = parsed;
        }

        if (actor.Role.IsStaff() && asked is null)
        {
            return Failure.Validation("userId", "Give the User ID of the customer whose chart to draw.");
        }

        if (!actor.Role.IsStaff() && asked is { } other && other != actor.UserId)
        {
            return Failure.Forbidden("Customers can see only their own chart.");
        }

        var owner = asked ?? actor.UserId;
        var account = await db.Accounts.AsNoTracking()
            .Where(a => a.UserId == owner.Value && a.Kind == AccountKind.Customer)
            .Join(db.Users, a => a.UserId, u => u.Id, (a, u) => new { a.Id, a.AccountNumber, a.BalancePaise, u.FirstName, u.LastName })
            .FirstOrDefaultAsync(ct);
        if (account is null)
        {
            return Failure.NotFound($"No customer with the User ID '{owner}' has an account.");
        }

        var to = calendar.Today;
        var from = to.AddMonths(-Months).AddDays(1);
        var start = calendar.StartOf(from);
        var opening = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.AccountId == account.Id && e.CreatedAt < start)
            .OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .Select(e => (long?)e.BalanceAfterPaise)
            .FirstOrDefaultAsync(ct) ?? 0;
        var days = await ReportSql.AccountDaysAsync(db, account.Id, calendar.Days(from, to), ct);
        return new AccountHistory(
            account.AccountNumber,
            $"{account.FirstName} {account.LastName}",
            from,
            to,
            days.Select(d => d.Day).ToList(),
            opening,
            account.BalancePaise,
            days.Sum(d => d.Day.CreditsPaise),
            days.Sum(d => d.Day.DebitsPaise),
            days.Sum(d => d.Lines));
    }
}
