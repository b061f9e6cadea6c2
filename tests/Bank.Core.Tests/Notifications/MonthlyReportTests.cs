using Bank.Core.Jobs;
using Bank.Core.Notifications;
using Bank.Core.Tests.Infrastructure;
using Bank.Core.Users;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bank.Core.Tests.Notifications;

/// <summary>The monthly login report: queued at 06:00 on the 1st (bank time) exactly once, whatever the instances and restarts.</summary>
[Setting("Notifications:MonthlyReportRecipients", "board@example.com, Board@Example.com ;audit@example.com")]
public sealed class MonthlyReportTests
{
    private static readonly TimeSpan India = TimeSpan.FromHours(5.5);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Two_instances_passing_six_on_the_first_queue_one_report_and_a_restart_queues_none(TestBank bank)
    {
        var retired = await bank.EnrolAsync(Role.SuperAdmin);
        await bank.SetUserStatusAsync(retired.Actor.UserId.Value, UserStatus.Inactive);
        var colleague = await bank.EnrolAsync(Role.SuperAdmin);
        var year = NextYear(bank);
        bank.Clock.SetUtcNow(Ist(year, 12, 1, 5, 59, 0));

        Assert.Equal([null, null], await BothAsync(bank));
        Assert.Equal(0, await CountAsync(bank));

        bank.Clock.SetUtcNow(Ist(year, 12, 1, 6, 0, 30));
        var months = await BothAsync(bank);

        Assert.Equal([$"{year}-11"], months.OfType<string>());
        await using (var scope = bank.Scope())
        {
            var run = await scope.Db.JobRuns.AsNoTracking().SingleAsync(Token);
            Assert.Equal((MonthlyReports.Job, $"{year}-11"), (run.Job, run.Period));
            var mails = await scope.Db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync(Token);
            var superAdmin = await scope.Db.Users.AsNoTracking().Where(u => u.Id == bank.Administrator.UserId.Value).Select(u => u.Email).SingleAsync(Token);
            var second = await scope.Db.Users.AsNoTracking().Where(u => u.Id == colleague.Actor.UserId.Value).Select(u => u.Email).SingleAsync(Token);
            Assert.Equal([superAdmin, second, "board@example.com", "audit@example.com"], mails.Select(m => m.Recipient));
            Assert.All(mails, m => Assert.Equal((MailKind.MonthlyReport, $"Login statistics for November {year}"), (m.Kind, m.Subject)));
        }

        // A restart later that day, and one on the 15th: the month's report is out already.
        bank.Clock.SetUtcNow(Ist(year, 12, 1, 9, 0, 0));
        Assert.Null(await RunAsync(bank, new Instance()));
        bank.Clock.SetUtcNow(Ist(year, 12, 15, 9, 0, 0));
        Assert.Null(await RunAsync(bank, new Instance()));
        Assert.Equal(4, await CountAsync(bank));
    }

    [Theory, DatabaseData]
    public async Task An_instance_that_was_down_at_six_queues_the_report_when_it_starts_that_month_but_not_the_next(TestBank bank)
    {
        var year = NextYear(bank) + 1;
        bank.Clock.SetUtcNow(Ist(year, 1, 1, 5, 0, 0));
        Assert.Null(await RunAsync(bank, new Instance())); // December's run belonged to December

        bank.Clock.SetUtcNow(Ist(year, 1, 20, 14, 0, 0));
        Assert.Equal($"{year - 1}-12", await RunAsync(bank, new Instance()));
        Assert.Equal(3, await CountAsync(bank));
    }

    [Theory, DatabaseData]
    public async Task Only_a_super_admin_sends_the_month_to_date_report_and_it_is_audited(TestBank bank)
    {
        var admin = await bank.AddStaffAsync(Role.Admin);
        await using var scope = bank.Scope();
        var reports = scope.Get<MonthlyReports>();

        Assert.Equal("forbidden", (await reports.SendMonthToDateAsync(admin, Token)).Failure?.Type.Code);
        var sent = await reports.SendMonthToDateAsync(bank.Administrator, Token);

        Assert.Equal(3, sent.Value);
        var month = bank.Clock.GetUtcNow().ToOffset(India).ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(await scope.Db.OutboxMessages.AsNoTracking().ToListAsync(Token), m => Assert.Equal($"Login statistics for {month} so far", m.Subject));
        Assert.Equal(1, await scope.Db.AuditEvents.CountAsync(a => a.Action == Audit.AuditActions.ReportSent && a.ActorUserId == bank.Administrator.UserId.Value, Token));
        Assert.Equal(0, await scope.Db.JobRuns.CountAsync(Token)); // on demand claims no period: the scheduled report still goes out
    }

    /// <summary>Next year: the test clock (which starts now) may move forward only.</summary>
    private static int NextYear(TestBank bank) => bank.Clock.GetUtcNow().Year + 1;

    /// <summary>A time in India, as the UTC instant a clock gives.</summary>
    private static DateTimeOffset Ist(int year, int month, int day, int hour, int minute, int second = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, India).ToUniversalTime();

    private static async Task<string?[]> BothAsync(TestBank bank)
    {
        var (first, second) = (new Instance(), new Instance());
        return await Task.WhenAll(Task.Run(() => RunAsync(bank, first), Token), Task.Run(() => RunAsync(bank, second), Token));
    }

    private static async Task<string?> RunAsync(TestBank bank, Instance instance)
    {
        await using var scope = bank.Scope();
        return await ActivatorUtilities.CreateInstance<MonthlyReports>(scope.Get<IServiceProvider>(), instance).RunDueAsync(Token);
    }

    private static async Task<int> CountAsync(TestBank bank)
    {
        await using var scope = bank.Scope();
        return await scope.Db.OutboxMessages.CountAsync(m => m.Kind == MailKind.MonthlyReport, Token);
    }
}
