using Bank.Core.Charts;
using Bank.Core.Reports;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Reports;

/// <summary>The data of the 6-month chart: each day's money in and out and closing balance, equal to a count of the account's entries by IST days.</summary>
public sealed class AccountHistoryTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Each_day_and_the_summary_equal_an_independent_count_of_the_accounts_entries(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(3);
        var (asha, ravi, meera) = (customers[0], customers[1], customers[2]);
        var random = new Random(3);
        bank.Clock.SetUtcNow(new DateTimeOffset(2127, 1, 1, 4, 0, 0, TimeSpan.Zero));
        await bank.FundAsync(asha, 20_000m);
        await bank.FundAsync(ravi, 20_000m);
        // Eight months of movements: the first two fall before the chart and make its opening balance.
        while (bank.Clock.GetUtcNow() < new DateTimeOffset(2127, 9, 1, 0, 0, 0, TimeSpan.Zero))
        {
            bank.Clock.Advance(TimeSpan.FromMinutes(random.Next(300, 2000)));
            var amount = random.Next(100, 500_000) / 100m;
            _ = random.Next(4) switch
            {
                0 => await bank.CreditAsync(asha, amount),
                1 => await bank.DebitAsync(asha, amount),
                2 => await bank.TransferAsync(asha, ravi.AccountNumber, amount),
                _ => await bank.TransferAsync(ravi, asha.AccountNumber, amount),
            };
        }

        var history = await HistoryAsync(bank, asha.Actor, null);

        var today = bank.DateIn(bank.Clock.GetUtcNow());
        Assert.Equal((today.AddMonths(-6).AddDays(1), today), (history.From, history.To));
        await using var db = bank.Database.CreateContext();
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == asha.AccountId).OrderBy(e => e.Id).ToListAsync(Token);
        var inRange = entries.Where(e => bank.DateIn(e.CreatedAt) >= history.From).ToList();
        var expectedDays = inRange.GroupBy(e => bank.DateIn(e.CreatedAt)).OrderBy(g => g.Key).Select(g => new ChartDay(
            g.Key, g.Where(e => e.AmountPaise > 0).Sum(e => e.AmountPaise), -g.Where(e => e.AmountPaise < 0).Sum(e => e.AmountPaise), g.Last().BalanceAfterPaise));
        Assert.Equal(expectedDays, history.Days);
        Assert.Equal(entries.LastOrDefault(e => bank.DateIn(e.CreatedAt) < history.From)?.BalanceAfterPaise ?? 0, history.OpeningBalancePaise);
        Assert.Equal(await bank.BalanceAsync(asha), history.CurrentBalancePaise);
        Assert.Equal((inRange.Where(e => e.AmountPaise > 0).Sum(e => e.AmountPaise), -inRange.Where(e => e.AmountPaise < 0).Sum(e => e.AmountPaise), inRange.Count),
            (history.TotalCreditsPaise, history.TotalDebitsPaise, history.TransactionCount));
        Assert.Equal(history.OpeningBalancePaise + history.TotalCreditsPaise - history.TotalDebitsPaise, history.CurrentBalancePaise);
        Assert.True(history.OpeningBalancePaise > 0 && history.Days.Count > 50, "The history spans the chart's start and is busy.");
        var owner = await db.Users.AsNoTracking().SingleAsync(u => u.Id == asha.UserId, Token);
        Assert.Equal((asha.AccountNumber, owner.FullName), (history.AccountNumber, history.OwnerName));

        // Nobody moved money for Meera: her chart is empty but whole.
        var empty = await HistoryAsync(bank, bank.Administrator, meera.UserId.ToString());
        Assert.Equal((0, 0L, 0L, 0), (empty.Days.Count, empty.OpeningBalancePaise, empty.CurrentBalancePaise, empty.TransactionCount));
    }

    [Theory, DatabaseData]
    public async Task A_customer_sees_only_their_own_and_staff_must_name_a_customer_with_an_account(TestBank bank)
    {
        var customers = await bank.AddCustomersAsync(2);
        var employee = await bank.AddStaffAsync(Role.Employee);
        await using var scope = bank.Scope();
        var histories = scope.Get<AccountHistories>();

        Assert.True((await histories.SixMonthsAsync(customers[0].Actor, customers[0].UserId.ToString(), Token)).Succeeded);
        Assert.Equal(FailureTypes.Forbidden.Code, (await histories.SixMonthsAsync(customers[0].Actor, customers[1].UserId.ToString(), Token)).Failure?.Code);
        Assert.Equal(customers[1].AccountNumber, (await histories.SixMonthsAsync(employee, customers[1].UserId.ToString(), Token)).Value!.AccountNumber);
        Assert.Equal(["userId"], (await histories.SixMonthsAsync(employee, null, Token)).Failure!.FieldErrors!.Keys);
        Assert.Equal(["userId"], (await histories.SixMonthsAsync(employee, "abc", Token)).Failure!.FieldErrors!.Keys);
        Assert.Equal(["userId"], (await histories.SixMonthsAsync(customers[0].Actor, "abc", Token)).Failure!.FieldErrors!.Keys);
        Assert.Equal(FailureTypes.NotFound.Code, (await histories.SixMonthsAsync(employee, employee.UserId.ToString(), Token)).Failure?.Code);
        Assert.Equal(FailureTypes.NotFound.Code, (await histories.SixMonthsAsync(employee, "99999999999", Token)).Failure?.Code);
    }

    private static async Task<AccountHistory> HistoryAsync(TestBank bank, Actor actor, string? userId)
    {
        await using var scope = bank.Scope();
        var result = await scope.Get<AccountHistories>().SixMonthsAsync(actor, userId, Token);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        return result.Value!;
    }
}
