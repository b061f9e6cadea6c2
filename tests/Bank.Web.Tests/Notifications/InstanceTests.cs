using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Bank.Web.Tests.Notifications;

/// <summary>Several instances of the bank on one PostgreSQL database: the monthly report goes out once, whoever wakes first.</summary>
public sealed class InstanceTests
{
    private const string Subject = "Login statistics for November 2026";

    [Fact]
    public async Task Two_instances_passing_six_on_the_first_send_one_monthly_report_and_a_restart_sends_none()
    {
        var start = new DateTimeOffset(2026, 12, 1, 5, 58, 0, TimeSpan.FromHours(5.5)).ToUniversalTime();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = new InstanceApp(database, start);
        await using var second = new InstanceApp(database, start);
        await first.InitializeAsync();
        await second.InitializeAsync();
        await first.SuperAdminAsync(); // starts the first instance (migrations, the first Super_Admin)
        await second.CreateClient().GetAsync("/health/live", TestContext.Current.CancellationToken); // and the second

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Equal(0, Reports(first, second)); // not yet six

        first.Clock.Advance(TimeSpan.FromMinutes(3));
        second.Clock.Advance(TimeSpan.FromMinutes(3));

        await first.Smtp.WaitForAsync(_ => Reports(first, second) >= 2);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        var mails = first.Smtp.Received.Concat(second.Smtp.Received).Where(m => m.Subject == Subject).ToList();
        Assert.Equal(["board@bank.test", "superadmin@bank.local"], mails.Select(m => m.To.Mailboxes.Single().Address).Order());

        // A third instance starting later that morning (a restart) finds the month's report claimed.
        await second.DisposeAsync();
        await using var third = new InstanceApp(database, start.AddHours(3));
        await third.InitializeAsync();
        await third.CreateClient().GetAsync("/health/live", TestContext.Current.CancellationToken);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(third.Smtp.Received, m => m.Subject == Subject);
        Assert.Equal(2, first.Smtp.Received.Concat(second.Smtp.Received).Count(m => m.Subject == Subject));
    }

    private static int Reports(params BankApp[] apps) => apps.Sum(a => a.Smtp.Received.Count(m => m.Subject == Subject));

    /// <summary>One instance of the bank: its own clock (which the test moves) and SMTP server, on the shared database.</summary>
    private sealed class InstanceApp(TestDatabase database, DateTimeOffset now) : BankApp(database.Provider, sendsMail: true, sharedDatabase: database)
    {
        public FakeTimeProvider Clock { get; } = new(now);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}
