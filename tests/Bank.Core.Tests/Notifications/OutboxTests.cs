using Bank.Core.Data;
using Bank.Core.Jobs;
using Bank.Core.Notifications;
using Bank.Core.Tests.Infrastructure;
using Bank.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bank.Core.Tests.Notifications;

/// <summary>The outbox's promises: sent once by one instance, a dead instance's claims taken over, failures retried, then failed.</summary>
public sealed class OutboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bank-outbox-").FullName;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory, DatabaseData]
    public async Task Mail_claimed_by_an_instance_that_died_is_sent_by_another_once_its_lease_has_run_out(TestBank bank)
    {
        await QueueAsync(bank, 30);
        var (dead, alive) = (new Instance(), new Instance());

        await using (var scope = bank.Scope())
        {
            Assert.Equal(20, (await Dispatcher(scope, dead).ClaimAsync(Token)).Count); // claimed, then the instance is gone
        }

        await using (var scope = bank.Scope())
        {
            Assert.Equal(10, await Dispatcher(scope, alive).SendDueAsync(Token));
            Assert.Equal(0, await Dispatcher(scope, alive).SendDueAsync(Token)); // the dead instance's lease still holds
        }

        bank.Clock.Advance(TimeSpan.FromSeconds(new OutboxSettings().LeaseSeconds + 1));
        await using (var scope = bank.Scope())
        {
            Assert.Equal(20, await Dispatcher(scope, alive).SendDueAsync(Token));
            var rows = await scope.Db.OutboxMessages.AsNoTracking().ToListAsync(Token);
            Assert.All(rows, r => Assert.Equal((OutboxStatus.Sent, null), (r.Status, r.Content)));
            Assert.Equal(20, rows.Count(r => r.Attempts == 2));
            Assert.Equal(10, rows.Count(r => r.Attempts == 1));
        }

        AssertEachSentOnce(30);
    }

    [Theory, DatabaseData]
    public async Task Instances_sending_at_once_send_every_mail_exactly_once(TestBank bank)
    {
        await QueueAsync(bank, 120);

        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var instance = new Instance();
            var sent = 0;
            while (true)
            {
                await using var scope = bank.Scope();
                var claimed = await Dispatcher(scope, instance).SendDueAsync(Token);
                if (claimed == 0)
                {
                    return sent;
                }

                sent += claimed;
            }
        }, Token)));

        Assert.Equal(120, counts.Sum());
        await using var check = bank.Scope();
        var rows = await check.Db.OutboxMessages.AsNoTracking().ToListAsync(Token);
        Assert.All(rows, r => Assert.True(r.Status == OutboxStatus.Sent && r.Attempts == 1, $"Mail {r.Id}: {r.Status}, {r.Attempts} attempt(s)"));
        AssertEachSentOnce(120);
    }

    [Theory, DatabaseData]
    [Setting("Mail:Outbox:MaxAttempts", "3")]
    public async Task A_mail_that_cannot_be_sent_waits_longer_after_each_failure_ends_failed_and_a_retry_sends_it(TestBank bank)
    {
        await QueueAsync(bank, 1);
        var instance = new Instance();
        var broken = new PickupFolderSender(Options.Create(new MailOptions { PickupDirectory = "/dev/null/mail" }));
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await using var scope = bank.Scope();
            Assert.Equal(1, await Dispatcher(scope, instance, broken).SendDueAsync(Token));
            var row = await scope.Db.OutboxMessages.AsNoTracking().SingleAsync(Token);
            Assert.Equal(attempt, row.Attempts);
            Assert.Contains("/dev/null/mail", row.LastError, StringComparison.Ordinal);
            Assert.Equal(attempt < 3 ? OutboxStatus.Pending : OutboxStatus.Failed, row.Status);
            Assert.Equal(0, await Dispatcher(scope, instance, broken).SendDueAsync(Token)); // not due before its wait is over
            waits.Add(row.NextAttemptAt - bank.Clock.GetUtcNow());
            bank.Clock.Advance(TimeSpan.FromHours(2));
        }

        Assert.InRange(waits[0].TotalSeconds, 4, 10.1);
        Assert.InRange(waits[1].TotalSeconds, 9, 20.1);

        await using (var scope = bank.Scope())
        {
            Assert.Equal(0, await Dispatcher(scope, instance).SendDueAsync(Token)); // failed stays failed
            var id = (await scope.Db.OutboxMessages.AsNoTracking().SingleAsync(Token)).Id;
            var retried = await scope.Get<OutgoingMail>().RetryAsync(bank.Administrator, id, Token);
            Assert.True(retried.Succeeded, retried.Failure?.ToString());
            Assert.Equal(OutboxStatus.Pending, retried.Value!.Status);
            Assert.Equal(1, await Dispatcher(scope, instance).SendDueAsync(Token));
            var again = await scope.Get<OutgoingMail>().RetryAsync(bank.Administrator, id, Token);
            Assert.Equal("conflict", again.Failure?.Type.Code);
            Assert.Equal(1, await scope.Db.AuditEvents.CountAsync(a => a.Action == Audit.AuditActions.MailRetried, Token));
        }

        AssertEachSentOnce(1);
    }

    [Theory, DatabaseData]
    public async Task A_stopping_instance_finishes_the_mail_it_is_sending_claims_no_more_and_hands_the_rest_of_its_batch_back_at_once(TestBank bank)
    {
        await QueueAsync(bank, 5);
        using var stopping = new CancellationTokenSource();
        var instance = new Instance();
        // The stop (SIGTERM) comes while the first mail of the batch is being sent.
        var sender = new StopsWhileSending(new PickupFolderSender(Options.Create(new MailOptions { PickupDirectory = _folder })), stopping);

        await using (var scope = bank.Scope())
        {
            Assert.Equal(5, await Dispatcher(scope, instance, sender).SendDueAsync(Token, stopping.Token));
            Assert.Equal(0, await Dispatcher(scope, instance, sender).SendDueAsync(Token, stopping.Token));
            var rows = await scope.Db.OutboxMessages.AsNoTracking().ToListAsync(Token);
            Assert.Single(rows, r => r.Status == OutboxStatus.Sent);
            var handedBack = rows.Where(r => r.Status == OutboxStatus.Pending).ToList();
            Assert.Equal(4, handedBack.Count);
            Assert.All(handedBack, r => Assert.Equal((null, null, 0), (r.ClaimedBy, r.ClaimedUntil, r.Attempts)));
        }

        // Another instance (or this one after its restart) sends them at once, not after the lease has run out.
        await using (var scope = bank.Scope())
        {
            Assert.Equal(4, await Dispatcher(scope, new Instance()).SendDueAsync(Token));
        }

        AssertEachSentOnce(5);
    }

    [Fact]
    public void The_wait_after_a_failure_doubles_from_the_base_up_to_the_maximum_and_takes_a_random_half_to_all_of_it()
    {
        var settings = new OutboxSettings { RetryBaseSeconds = 10, RetryMaxSeconds = 3600 };

        Assert.Equal(TimeSpan.FromSeconds(5), OutboxDispatcher.RetryDelay(1, settings, 0));
        Assert.Equal(TimeSpan.FromSeconds(10), OutboxDispatcher.RetryDelay(1, settings, 1));
        Assert.Equal(TimeSpan.FromSeconds(30), OutboxDispatcher.RetryDelay(3, settings, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(3600), OutboxDispatcher.RetryDelay(30, settings, 1));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36", "Chrome on Android")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1", "Safari on iPhone")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on macOS")]
    [InlineData("curl/8.5.0", "curl")]
    [InlineData("", "an unknown device")]
    [InlineData(null, "an unknown device")]
    public void A_user_agent_becomes_a_device_people_recognise(string? userAgent, string device) =>
        Assert.Equal(device, DeviceName.From(userAgent));

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Queues <paramref name="count"/> report mails (one per recipient), as the monthly job does.</summary>
    private static async Task QueueAsync(TestBank bank, int count)
    {
        await using var scope = bank.Scope();
        await scope.Get<WriteGate>().WriteAsync(scope.Db, _ =>
        {
            scope.Get<Outbox>().MonthlyReport("2026-10", monthToDate: false, Enumerable.Range(1, count).Select(i => $"reader{i}@example.com"));
            return Task.FromResult(Result.Done);
        }, Token);
    }

    /// <summary>A sender of one instance, writing into the test's pickup folder (or through <paramref name="sender"/>).</summary>
    private OutboxDispatcher Dispatcher(BankScope scope, Instance instance, IMailSender? sender = null) =>
        ActivatorUtilities.CreateInstance<OutboxDispatcher>(scope.Get<IServiceProvider>(), instance,
            sender ?? new PickupFolderSender(Options.Create(new MailOptions { PickupDirectory = _folder })));

    private void AssertEachSentOnce(int count)
    {
        var files = Directory.GetFiles(_folder, "*.eml");
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        var messages = files.Select(f => MimeMessage.Load(f)).ToList();
        Assert.Equal(count, messages.Count);
        Assert.Equal(count, messages.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(count, messages.Select(m => m.To.ToString()).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>A sender during whose first send the instance is told to stop; the send itself completes.</summary>
    private sealed class StopsWhileSending(IMailSender inner, CancellationTokenSource stopping) : IMailSender
    {
        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            await stopping.CancelAsync();
            await inner.SendAsync(message, ct);
        }
    }
}
