using Bank.Core.Accounts;
using Bank.Core.Money;
using Bank.Core.Reports;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;

namespace Bank.Core.Tests.Reports;

/// <summary>
/// The dashboards (SPEC §6): every figure equals a count written here over the raw rows, by the bank's calendar in India
/// Standard Time, including at the midnight that ends a month.
/// </summary>
[Setting("Dashboard:CacheSeconds", "0")]
public sealed class DashboardTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Every_staff_figure_equals_an_independent_count_of_the_rows(TestBank bank)
    {
        await SeedAsync(bank, seed: 11);

        var dashboard = await StaffAsync(bank, bank.Administrator);

        var now = bank.Clock.GetUtcNow();
        var today = bank.DateIn(now);
        await using var db = bank.Database.CreateContext();
        var users = await db.Users.AsNoTracking().ToListAsync(Token);
        var attempts = await db.LoginAttempts.AsNoTracking().ToListAsync(Token);
        var transactions = await db.LedgerTransactions.AsNoTracking().ToListAsync(Token);
        var accounts = await db.Accounts.AsNoTracking().ToListAsync(Token);

        Assert.Equal(users.Count, dashboard.TotalUsers);
        Assert.Equal(users.Count(u => u.LastLoginAt > now.AddDays(-90)), dashboard.ActiveUsers);
        Assert.All(Enum.GetValues<UserStatus>(), s => Assert.Equal(users.Count(u => u.Status == s), dashboard.UsersByStatus[s]));
        Assert.Equal(users.Count(u => u.Role == Role.Customer), dashboard.Customers);
        Assert.Equal(users.Count(u => u.Role != Role.Customer), dashboard.Staff);
        Assert.Equal(attempts.Count(a => a.Succeeded && bank.DateIn(a.At) > today.AddDays(-7)), dashboard.SignInsLast7Days);
        Assert.Equal(Rupees.FromPaise(accounts.Where(a => a.Kind == AccountKind.Customer).Sum(a => a.BalancePaise)), dashboard.TotalCustomerBalance);
        var ofToday = transactions.Where(t => bank.DateIn(t.CreatedAt) == today).ToList();
        Assert.Equal(new PeriodTotals(ofToday.Count, Rupees.FromPaise(ofToday.Sum(t => t.AmountPaise))), dashboard.Today);
        var ofMonth = transactions.Where(t => bank.DateIn(t.CreatedAt) is var d && d.Year == today.Year && d.Month == today.Month).ToList();
        Assert.Equal(new PeriodTotals(ofMonth.Count, Rupees.FromPaise(ofMonth.Sum(t => t.AmountPaise))), dashboard.ThisMonth);

        var days = Enumerable.Range(0, 30).Select(i => today.AddDays(i - 29)).ToList();
        Assert.Equal(days, dashboard.DailyCreditsAndDebits.Select(d => d.Day));
        Assert.Equal(
            days.Select(d => new DayMoney(d,
                Rupees.FromPaise(transactions.Where(t => bank.DateIn(t.CreatedAt) == d && t.Type == TransactionType.Credit).Sum(t => t.AmountPaise)),
                Rupees.FromPaise(transactions.Where(t => bank.DateIn(t.CreatedAt) == d && t.Type == TransactionType.Debit).Sum(t => t.AmountPaise)))),
            dashboard.DailyCreditsAndDebits);
        Assert.Equal(days.Select(d => attempts.Count(a => a.Succeeded && bank.DateIn(a.At) == d)), dashboard.SignInsPerDay.Select(d => d.Count));
        Assert.True(dashboard.SignInsPerDay.Sum(d => d.Count) > 10 && dashboard.DailyCreditsAndDebits.Count(d => d.Credits > 0) > 10, "The data set is busy enough to mean something.");
    }

    [Theory, DatabaseData]
    public async Task At_23_59_IST_on_the_last_day_of_a_month_it_is_still_that_day_and_month_and_at_00_01_it_is_the_next(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        var employee = await bank.EnrolAsync(Role.Employee);

        // 23:59 IST on 31 January is 18:29 UTC: the deposit and the sign-in belong to 31 January.
        bank.Clock.SetUtcNow(new DateTimeOffset(2127, 1, 31, 18, 29, 0, TimeSpan.Zero));
        await bank.FundAsync(customer, 100m);
        Assert.True((await bank.SignInAsync(employee.UserId, employee.Password)).Succeeded);
        var lastMinute = await StaffAsync(bank, bank.Administrator);
        Assert.Equal(new DateOnly(2127, 1, 31), lastMinute.DailyCreditsAndDebits[^1].Day);
        Assert.Equal((1, 100m), (lastMinute.Today.Transactions, lastMinute.Today.Volume));
        Assert.Equal((1, 100m), (lastMinute.ThisMonth.Transactions, lastMinute.ThisMonth.Volume));
        Assert.Equal(100m, lastMinute.DailyCreditsAndDebits[^1].Credits);
        Assert.Equal(1, lastMinute.SignInsPerDay[^1].Count);
        Assert.Equal(1, (await CustomerAsync(bank, customer.Actor)).TransactionsThisMonth);

        // Two minutes later it is 00:01 IST on 1 February: a new day and a new month, the old figures move one bar left.
        bank.Clock.SetUtcNow(new DateTimeOffset(2127, 1, 31, 18, 31, 0, TimeSpan.Zero));
        var turned = await StaffAsync(bank, bank.Administrator);
        Assert.Equal(new DateOnly(2127, 2, 1), turned.DailyCreditsAndDebits[^1].Day);
        Assert.Equal((0, 0m, 0, 0m), (turned.Today.Transactions, turned.Today.Volume, turned.ThisMonth.Transactions, turned.ThisMonth.Volume));
        Assert.Equal((new DateOnly(2127, 1, 31), 100m), (turned.DailyCreditsAndDebits[^2].Day, turned.DailyCreditsAndDebits[^2].Credits));
        Assert.Equal(1, turned.SignInsLast7Days);
        Assert.Equal(0, (await CustomerAsync(bank, customer.Actor)).TransactionsThisMonth);

        await bank.FundAsync(customer, 50m);
        Assert.True((await bank.SignInAsync(employee.UserId, employee.Password)).Succeeded);
        var next = await StaffAsync(bank, bank.Administrator);
        Assert.Equal((1, 50m, 1, 50m), (next.Today.Transactions, next.Today.Volume, next.ThisMonth.Transactions, next.ThisMonth.Volume));
        Assert.Equal((1, 1), (next.SignInsPerDay[^2].Count, next.SignInsPerDay[^1].Count));
        Assert.Equal(2, next.SignInsLast7Days);
        Assert.Equal(1, (await CustomerAsync(bank, customer.Actor)).TransactionsThisMonth);
    }

    [Theory, DatabaseData]
    public async Task An_employee_gets_no_total_of_balances_and_a_customer_no_staff_figures(TestBank bank)
    {
        var customer = (await bank.AddCustomersAsync(1))[0];
        await bank.FundAsync(customer, 10m);
        var employee = await bank.AddStaffAsync(Role.Employee);
        var admin = await bank.AddStaffAsync(Role.Admin);
        await using var scope = bank.Scope();
        var dashboards = scope.Get<Dashboards>();

        Assert.Null((await dashboards.StaffAsync(employee, Token)).Value!.TotalCustomerBalance);
        Assert.Equal(10m, (await dashboards.StaffAsync(admin, Token)).Value!.TotalCustomerBalance);
        Assert.Equal(FailureTypes.Forbidden.Code, (await dashboards.StaffAsync(customer.Actor, Token)).Failure?.Code);
        Assert.Equal(FailureTypes.Forbidden.Code, (await dashboards.CustomerAsync(employee, Token)).Failure?.Code);
    }

    [Theory, DatabaseData, Setting("Dashboard:CacheSeconds", "30")]
    public async Task A_customer_sees_their_own_movement_at_once_while_staff_figures_are_reused_for_a_while(TestBank cached)
    {
        var customer = (await cached.AddCustomersAsync(1))[0];
        var employee = await cached.AddStaffAsync(Role.Employee);
        await cached.FundAsync(customer, 10m);
        var first = await StaffAsync(cached, cached.Administrator);
        Assert.Equal(10m, first.TotalCustomerBalance);
        var before = await CustomerAsync(cached, customer.Actor);

        await cached.FundAsync(customer, 5m);

        var again = await StaffAsync(cached, cached.Administrator);
        Assert.Equal(first.ComputedAt, again.ComputedAt);
        Assert.Equal(first.ThisMonth, again.ThisMonth);
        Assert.Equal(10m, again.TotalCustomerBalance);

        // The figures an administrator's request cached carry the total; an Employee's answer from them has none.
        var employees = await StaffAsync(cached, employee);
        Assert.Equal(first.ComputedAt, employees.ComputedAt);
        Assert.Null(employees.TotalCustomerBalance);
        var after = await CustomerAsync(cached, customer.Actor);
        Assert.Equal(before.Account.Balance + 5m, after.Account.Balance);
        Assert.Equal(before.TransactionsThisMonth + 1, after.TransactionsThisMonth);
        Assert.Equal(after.Latest[0].BalanceAfter, after.Account.Balance);
    }

    [Theory, DatabaseData, Setting("Dashboard:CacheSeconds", "300")]
    public async Task An_administrators_new_user_and_status_change_are_on_the_cached_staff_dashboard_at_once(TestBank cached)
    {
        var first = await StaffAsync(cached, cached.Administrator);
        Assert.Equal(first.ComputedAt, (await StaffAsync(cached, cached.Administrator)).ComputedAt); // reused

        var employee = await cached.AddStaffAsync(Role.Employee);
        var afterCreate = await StaffAsync(cached, cached.Administrator);
        Assert.Equal(first.TotalUsers + 1, afterCreate.TotalUsers);
        Assert.Equal(first.Staff + 1, afterCreate.Staff);

        await using (var scope = cached.Scope())
        {
            var changed = await scope.Get<UserAdministration>().ChangeAsync(
                cached.Administrator, employee.UserId.ToString(), new UserChange(Role: null, Status: "Suspended", Reason: null), Token);
            Assert.True(changed.Succeeded, changed.Failure?.ToString());
        }

        var afterSuspend = await StaffAsync(cached, cached.Administrator);
        Assert.Equal(afterCreate.UsersByStatus[UserStatus.Suspended] + 1, afterSuspend.UsersByStatus[UserStatus.Suspended]);
    }

    /// <summary>Forty days of money and sign-ins by five customers and some staff, ending in the middle of a month.</summary>
    private static async Task SeedAsync(TestBank bank, int seed)
    {
        var random = new Random(seed);
        var customers = await bank.AddCustomersAsync(5);
        var people = new List<Enrolled>();
        foreach (var role in new[] { Role.Employee, Role.Admin, Role.Customer, Role.Customer })
        {
            people.Add(await bank.EnrolAsync(role));
        }

        await bank.SetUserStatusAsync(people[^1].Actor.UserId.Value, UserStatus.Suspended);
        bank.Clock.SetUtcNow(new DateTimeOffset(2127, 3, 1, 2, 0, 0, TimeSpan.Zero));
        foreach (var customer in customers)
        {
            await bank.FundAsync(customer, 50_000m);
        }

        for (var step = 0; step < 160; step++)
        {
            bank.Clock.Advance(TimeSpan.FromMinutes(random.Next(60, 600)));
            var customer = customers[random.Next(customers.Count)];
            var amount = random.Next(1, 200_000) / 100m;
            _ = random.Next(3) switch
            {
                0 => await bank.CreditAsync(customer, amount),
                1 => await bank.DebitAsync(customer, amount),
                _ => await bank.TransferAsync(customer, customers[random.Next(customers.Count)].AccountNumber, amount),
            };
            var person = people[random.Next(people.Count)];
            await bank.SignInAsync(person.UserId, random.Next(4) == 0 ? "Not-the-password-1" : person.Password);
        }
    }

    private static async Task<StaffDashboard> StaffAsync(TestBank bank, Actor actor)
    {
        await using var scope = bank.Scope();
        var result = await scope.Get<Dashboards>().StaffAsync(actor, Token);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        return result.Value!;
    }

    private static async Task<CustomerDashboard> CustomerAsync(TestBank bank, Actor actor)
    {
        await using var scope = bank.Scope();
        var result = await scope.Get<Dashboards>().CustomerAsync(actor, Token);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        return result.Value!;
    }
}
