using Bank.Core.Audit;
using Bank.Core.Data;
using Bank.Core.Notifications;
using Bank.Core.Reports;
using Bank.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bank.Core.Jobs;

/// <summary>
/// The monthly login report: on schedule (<c>Notifications:MonthlyReportSchedule</c>, default 06:00 on the 1st in the bank's
/// time zone) the previous month's report is queued for every active Super_Admin and the configured addresses, exactly
/// once: the period is claimed with an insert under the unique key (job, period) in the same transaction as the outbox
/// rows. An instance that was down at the time queues it when it starts, within the same month.
/// </summary>
public sealed class MonthlyReports(
    BankDbContext db,
    WriteGate gate,
    Outbox outbox,
    AuditTrail audit,
    BankCalendar calendar,
    Instance instance,
    IOptions<BankOptions> bank,
    IOptions<NotificationOptions> options)
{
    /// <summary>The job's name in <c>job_runs</c>.</summary>
    public const string Job = "monthly-login-report";

    /// <summary>Queues the report whose time has come and is not yet claimed; returns its month, or null when none was due.</summary>
    public async Task<string?> RunDueAsync(CancellationToken ct)
    {
        if (!Schedule.TryParse(options.Value.MonthlyReportSchedule, out var schedule))
        {
            return null;
        }

        var now = calendar.Now;
        var zone = bank.Value.Zone;
        if (schedule.LatestAtOrBefore(now, TimeSpan.FromDays(31), zone) is not { } due)
        {
            return null;
        }

        var (dueDay, today) = (calendar.DateOf(due), calendar.Today);
        if (dueDay.Year != today.Year || dueDay.Month != today.Month)
        {
            // Not yet due this month: last month's run was last month's business, not something to catch up on now.
            return null;
        }

        var period = dueDay.AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        if (await db.JobRuns.AnyAsync(r => r.Job == Job && r.Period == period, ct))
        {
            return null;
        }

        try
        {
            var recipients = await RecipientsAsync(ct);
            await gate.WriteAsync(db, _ =>
            {
                db.JobRuns.Add(new JobRun { Job = Job, Period = period, ClaimedAt = now, ClaimedBy = instance.Name });
                outbox.MonthlyReport(period, monthToDate: false, recipients);
                return Task.FromResult(Result.Done);
            }, ct);
        }
        catch (Exception ex) when (DbErrors.IsUniqueViolation(ex, out _))
        {
            // Another instance claimed the period first: it sends the report.
            return null;
        }

        outbox.Wake();
        return period;
    }

    /// <summary>Queues this month's report so far, on a Super_Admin's demand (audited); returns how many recipients it goes to.</summary>
    public async Task<Result<int>> SendMonthToDateAsync(Actor actor, CancellationToken ct)
    {
        if (actor.Role != Role.SuperAdmin)
        {
            return Failure.Forbidden("Only a Super_Admin sends the monthly login report.");
        }

        var month = calendar.Today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var recipients = await RecipientsAsync(ct);
        var result = await gate.WriteAsync(db, _ =>
        {
            outbox.MonthlyReport(month, monthToDate: true, recipients);
            audit.Record(actor, AuditActions.ReportSent, null, $"Login report {month} to date, to {recipients.Count} recipient(s).");
            return Task.FromResult(Result.Ok(recipients.Count));
        }, ct);
        outbox.Wake();
        return result;
    }

    private async Task<List<string>> RecipientsAsync(CancellationToken ct)
    {
        var superAdmins = await db.Users.AsNoTracking()
            .ActiveSuperAdmins()
            .OrderBy(u => u.Id)
            .Select(u => u.Email)
            .ToListAsync(ct);
        return [.. superAdmins.Concat(options.Value.ReportRecipients).Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}

/// <summary>
/// Runs <see cref="MonthlyReports.RunDueAsync"/> at start (catching up a run missed while down) and then at each
/// occurrence of the schedule, waiting on the bank's clock (at most an hour at a time, so that a changed clock is noticed).
/// </summary>
public sealed partial class MonthlyReportJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<BankOptions> bank, IOptions<NotificationOptions> options, ILogger<MonthlyReportJob> log)
    : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Schedule.TryParse(options.Value.MonthlyReportSchedule, out var schedule))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    if (await scope.ServiceProvider.GetRequiredService<MonthlyReports>().RunDueAsync(stoppingToken) is { } month)
                    {
                        LogQueued(month);
                    }
                }

                var now = clock.GetUtcNow();
                var next = schedule.NextAfter(now, bank.Value.Zone) ?? now.AddHours(1);
                var wait = TimeSpan.FromTicks(Math.Clamp((next - now).Ticks, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromHours(1).Ticks));
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogTrouble(ex);
                await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Monthly login report for {Month} queued.")]
    private partial void LogQueued(string month);

    [LoggerMessage(Level = LogLevel.Error, Message = "The monthly report job could not run (database unreachable?); it tries again in a minute.")]
    private partial void LogTrouble(Exception ex);
}
