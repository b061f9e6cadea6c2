using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Bank.Core.Accounts;
using Bank.Core.Charts;
using Bank.Core.Data;
using Bank.Core.Money;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Reports;

/// <summary>Settings of the dashboards (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Dashboard";

    /// <summary>How long the staff dashboard's figures are reused before they are computed again (0: never reused).</summary>
    [Range(0, 3600)]
    public int CacheSeconds { get; set; } = 30;
}

/// <summary>How many transactions moved how much money in a period.</summary>
public sealed record PeriodTotals(int Transactions, decimal Volume);

/// <summary>One day's deposits (credits) and withdrawals (debits) across all customers, in rupees.</summary>
public sealed record DayMoney(DateOnly Day, decimal Credits, decimal Debits);

/// <summary>
/// What staff see (SPEC §6): users, sign-ins, money today and this month, and the last 30 days per day. Computed by the
/// database, reused for <see cref="DashboardOptions.CacheSeconds"/>; <see cref="ComputedAt"/> says when. The total of customer
/// balances is only for administrators: an Employee's dashboard has no such field at all.
/// </summary>
public sealed record StaffDashboard(
    DateTimeOffset ComputedAt,
    int TotalUsers,
    int ActiveUsers,
    IReadOnlyDictionary<UserStatus, int> UsersByStatus,
    int Customers,
    int Staff,
    int SignInsLast7Days,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] decimal? TotalCustomerBalance,
    PeriodTotals Today,
    PeriodTotals ThisMonth,
    IReadOnlyList<DayMoney> DailyCreditsAndDebits,
    IReadOnlyList<DailyCount> SignInsPerDay);

/// <summary>What a customer sees on arrival (SPEC §6): their account, this month's transactions, their sign-ins and latest lines. Never cached.</summary>
public sealed record CustomerDashboard(
    DateTimeOffset ComputedAt,
    AccountView Account,
    int TransactionsThisMonth,
    int SignInsLast7Days,
    IReadOnlyList<TransactionLine> Latest);

/// <summary>
/// The staff dashboard's figures as computed and cached (paise, days), before each viewer's cut. Immutable, so that
/// HybridCache hands out the cached instance instead of a copy per read.
/// </summary>
[ImmutableObject(true)]
public sealed record StaffFigures(
    DateTimeOffset ComputedAt,
    int TotalUsers,
    int ActiveUsers,
    IReadOnlyDictionary<UserStatus, int> UsersByStatus,
    int Customers,
    int SignInsLast7Days,
    long TotalCustomerBalancePaise,
    int TransactionsToday,
    long VolumeTodayPaise,
    int TransactionsThisMonth,
    long VolumeThisMonthPaise,
    DateOnly From,
    DateOnly To,
    IReadOnlyList<DailyFlow> DailyFlows,
    IReadOnlyList<DailyCount> SignInsPerDay);

/// <summary>
/// The dashboards (SPEC §6). Each figure is one grouped query by the database with the index it needs; the staff figures
/// are cached briefly (<see cref="DashboardCache"/>), a customer's never.
/// </summary>
public sealed class Dashboards(
    BankDbContext db,
    BankCalendar calendar,
    DashboardCache cache,
    AccountService accounts,
    Statements statements)
{
    /// <summary>Days in the staff dashboard's charts.</summary>
    public const int ChartDays = 30;

    /// <summary>Days counted as "the last 7 days": today and the six days before, in the bank's time zone.</summary>
    public const int RecentDays = 7;

    /// <summary>How many latest lines the customer dashboard shows.</summary>
    public const int LatestLines = 10;

    /// <summary>The staff dashboard; the total of customer balances only for administrators.</summary>
    public async Task<Result<StaffDashboard>> StaffAsync(Actor actor, CancellationToken ct)
    {
        if (!StaffFiguresAllowed(actor, out var refusal))
        {
            return refusal;
        }

        var f = await FiguresAsync(ct);
        return new StaffDashboard(
            f.ComputedAt,
            f.TotalUsers,
            f.ActiveUsers,
            Enum.GetValues<UserStatus>().ToDictionary(s => s, s => f.UsersByStatus.GetValueOrDefault(s)),
            f.Customers,
            f.TotalUsers - f.Customers,
            f.SignInsLast7Days,
            actor.Role.IsAdministrator() ? Rupees.FromPaise(f.TotalCustomerBalancePaise) : null,
            new PeriodTotals(f.TransactionsToday, Rupees.FromPaise(f.VolumeTodayPaise)),
            new PeriodTotals(f.TransactionsThisMonth, Rupees.FromPaise(f.VolumeThisMonthPaise)),
            f.DailyFlows.Select(d => new DayMoney(d.Day, Rupees.FromPaise(d.CreditsPaise), Rupees.FromPaise(d.DebitsPaise))).ToList(),
            f.SignInsPerDay);
    }

    /// <summary>The staff dashboard's figures as the charts draw them (paise, every day of the range).</summary>
    public async Task<Result<StaffFigures>> StaffFiguresAsync(Actor actor, CancellationToken ct) =>
        StaffFiguresAllowed(actor, out var refusal) ? await FiguresAsync(ct) : refusal;

    /// <summary>The signed-in customer's dashboard, read fresh: their own movement shows at once.</summary>
    public async Task<Result<CustomerDashboard>> CustomerAsync(Actor actor, CancellationToken ct)
    {
        if (!(await accounts.MineAsync(actor, ct)).TryGet(out var account, out var failure))
        {
            return failure;
        }

        var now = calendar.Now;
        var today = calendar.DateOf(now);
        var month = calendar.Month(today.Year, today.Month);
        var recent = calendar.StartOf(today.AddDays(1 - RecentDays));
        var thisMonth = await db.LedgerEntries.CountAsync(e => e.AccountId == account.Id && e.CreatedAt >= month.Start && e.CreatedAt < month.End, ct);
        var signIns = await db.LoginAttempts.CountAsync(l => l.UserId == actor.UserId.Value && l.Succeeded && l.At >= recent, ct);
        var latest = await statements.ListAsync(actor, new TransactionQuery(Limit: LatestLines), ct);
        return new CustomerDashboard(now, AccountView.From(account), thisMonth, signIns, latest.Match(p => p.Items, _ => []));
    }

    private static bool StaffFiguresAllowed(Actor actor, out Failure refusal)
    {
        refusal = Failure.Forbidden("Only staff see the bank's figures.");
        return actor.Role.IsStaff();
    }

    private async Task<StaffFigures> FiguresAsync(CancellationToken ct) => await cache.StaffAsync(async token => await ComputeAsync(token), ct);

    /// <summary>Every staff figure, each one grouped query.</summary>
    private async Task<StaffFigures> ComputeAsync(CancellationToken ct)
    {
        var now = calendar.Now;
        var today = calendar.DateOf(now);
        var activeSince = now.AddDays(-User.ActivityWindowDays);

        // Users: one group per (role, status), with how many signed in within the activity window.
        var users = await db.Users.AsNoTracking()
            .GroupBy(u => new { u.Role, u.Status })
            .Select(g => new { g.Key.Role, g.Key.Status, Count = g.Count(), Active = g.Count(u => u.LastLoginAt > activeSince) })
            .ToListAsync(ct);

        var balances = await db.Accounts.Where(a => a.Kind == AccountKind.Customer).SumAsync(a => (long?)a.BalancePaise, ct) ?? 0;

        // Money this month, split into today and the days before, in one pass over the month's transactions.
        var month = calendar.Month(today.Year, today.Month);
        var todayStart = calendar.StartOf(today);
        var money = await db.LedgerTransactions.AsNoTracking()
            .Where(t => t.CreatedAt >= month.Start && t.CreatedAt < month.End)
            .GroupBy(t => t.CreatedAt >= todayStart)
            .Select(g => new { Today = g.Key, Count = g.Count(), Volume = g.Sum(t => t.AmountPaise) })
            .ToListAsync(ct);

        var days = calendar.Days(today.AddDays(1 - ChartDays), today);
        var flows = await ReportSql.DailyFlowsAsync(db, days, ct);
        var signInsPerDay = await ReportSql.DailySignInsAsync(db, days, ct);
        return new StaffFigures(
            now,
            users.Sum(u => u.Count),
            users.Sum(u => u.Active),
            users.GroupBy(u => u.Status).ToDictionary(g => g.Key, g => g.Sum(u => u.Count)),
            users.Where(u => u.Role == Role.Customer).Sum(u => u.Count),
            signInsPerDay.TakeLast(RecentDays).Sum(d => d.Count), // the chart's last seven bars
            balances,
            money.Where(m => m.Today).Sum(m => m.Count),
            money.Where(m => m.Today).Sum(m => m.Volume),
            money.Sum(m => m.Count),
            money.Sum(m => m.Volume),
            days[0].Day,
            today,
            flows,
            signInsPerDay);
    }
}
