using Bank.Core;
using Bank.Core.Jobs;
using Bank.Core.Notifications;
using Microsoft.AspNetCore.Mvc;

namespace Bank.Web.Pages.Mail;

/// <summary>
/// Outgoing mail (Super_Admin): pending, sent and failed mails with their attempts and last error, newest first; the
/// retry of a failed mail and the month-to-date sign-in report on demand.
/// </summary>
public sealed class IndexModel(OutgoingMail outgoing, MonthlyReports reports, Actor actor) : ListPageModel<MailQuery, MailRecord>(new MailQuery(), "/Mail")
{
    /// <summary>Shows one page.</summary>
    public Task OnGetAsync([FromQuery] MailQuery query, CancellationToken ct) => ShowAsync(query, ct);

    /// <summary>Queues a failed mail again; the answer is a redirect to the list (a reload does not queue it twice).</summary>
    public async Task<IActionResult> OnPostRetryAsync(long id, [FromQuery] MailQuery query, CancellationToken ct)
    {
        if (Succeeded(await outgoing.RetryAsync(actor, id, ct), out var mail))
        {
            return SeeOther(ListLinks.For("/Mail", query, query.Cursor), $"Mail {mail.Id} to {mail.Recipient} is queued again; it goes out within moments.");
        }

        await ShowAsync(query, ct);
        return Page();
    }

    /// <summary>Queues this month's sign-in report so far for every Super_Admin and the configured addresses, then redirects.</summary>
    public async Task<IActionResult> OnPostSendReportAsync([FromQuery] MailQuery query, CancellationToken ct)
    {
        if (Succeeded(await reports.SendMonthToDateAsync(actor, ct), out var recipients))
        {
            return SeeOther(ListLinks.For("/Mail", query, query.Cursor), $"This month's sign-in report is queued for {recipients} recipient{(recipients == 1 ? "" : "s")}.");
        }

        await ShowAsync(query, ct);
        return Page();
    }

    /// <summary>The statuses a viewer may filter by.</summary>
    public static IReadOnlyList<OutboxStatus> Statuses { get; } = Enum.GetValues<OutboxStatus>();

    /// <summary>A kind of mail in words.</summary>
    public static string Kind(MailKind kind) => kind switch
    {
        MailKind.CustomerSignIn => "Customer sign-in",
        MailKind.StaffSignIn => "Staff sign-in alert",
        _ => "Monthly report",
    };

    /// <summary>"1 attempt", "3 attempts", "not tried yet".</summary>
    public static string Attempts(int attempts) => attempts switch
    {
        0 => "not tried yet",
        1 => "1 attempt",
        _ => $"{attempts} attempts",
    };

    private Task ShowAsync(MailQuery query, CancellationToken ct) =>
        ShowAsync(query with { Limit = Paging.DefaultLimit }, q => outgoing.ListAsync(actor, q, ct));
}
