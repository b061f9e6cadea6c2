using Bank.Core.Charts;
using Bank.Core.Data;
using Bank.Core.Money;
using Bank.Core.Notifications.Templates;
using Bank.Core.Reports;
using Bank.Core.Users;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bank.Core.Notifications;

/// <summary>
/// Turns an outbox row into a mail: HTML rendered from Razor components (<see cref="HtmlRenderer"/>, so every value is
/// HTML-encoded), a plain-text alternative from the same model, and the attachment (the chart PNG, the report CSV). Times
/// are the bank's (IST by default).
/// </summary>
public sealed class MailComposer(
    BankDbContext db,
    AccountHistories histories,
    MonthlyLogins reports,
    ChartRenderer charts,
    BankCalendar calendar,
    IOptions<MailOptions> mail,
    IServiceProvider services,
    ILoggerFactory loggers)
{
    /// <summary>The file name of the chart attached to the customer's sign-in mail.</summary>
    public const string ChartFileName = "six-month-chart.png";

    /// <summary>Users listed in the body of the report mail (the CSV has them all).</summary>
    public const int ReportRowsInBody = 50;

    /// <summary>The message a row stands for; throws when its facts no longer hold (the user is gone).</summary>
    public async Task<MimeMessage> ComposeAsync(OutboxMessage row, CancellationToken ct)
    {
        var facts = MailFacts.FromJson(row.Facts);
        var body = row.Kind switch
        {
            MailKind.CustomerSignIn => await CustomerSignInAsync(facts, ct),
            MailKind.StaffSignIn => await StaffSignInAsync(facts, ct),
            MailKind.MonthlyReport => await MonthlyReportAsync(facts, ct),
            _ => throw new InvalidOperationException($"No mail is composed for {row.Kind}."),
        };

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mail.Value.From));
        message.To.Add(MailboxAddress.Parse(row.Recipient));
        message.Subject = row.Subject;
        message.MessageId = row.MessageId;
        message.Date = row.CreatedAt;
        message.Body = body.ToMessageBody();
        return message;
    }

    private async Task<BodyBuilder> CustomerSignInAsync(MailFacts facts, CancellationToken ct)
    {
        var user = await UserAsync(facts, ct);
        var history = (await histories.SixMonthsAsync(new Actor(user.UserId, Role.Customer), null, ct))
            .Match(h => h, f => throw new InvalidOperationException(f.Message));
        var net = history.TotalCreditsPaise - history.TotalDebitsPaise;
        var model = new SignInMailModel(
            $"{user.FirstName} {user.LastName}",
            When(facts),
            SignInFacts(facts, withUser: null),
            $"{Day(history.From)} – {Day(history.To)}",
            [
                new("Money in", Rupees.Format(history.TotalCreditsPaise)),
                new("Money out", Rupees.Format(history.TotalDebitsPaise)),
                new("Net change", (net > 0 ? "+" : "") + Rupees.Format(net)),
                new("Balance now", Rupees.Format(history.CurrentBalancePaise)),
                new("Transactions", history.TransactionCount.ToString("N0", BankCalendar.India)),
                new("Account", history.AccountNumber),
            ],
            ChartFileName);
        var body = new BodyBuilder { HtmlBody = await RenderAsync<SignInMail>(model), TextBody = model.ToText() };
        body.Attachments.Add(ChartFileName, charts.SixMonths(history, ChartSize.Desktop), new ContentType("image", "png"));
        return body;
    }

    private async Task<BodyBuilder> StaffSignInAsync(MailFacts facts, CancellationToken ct)
    {
        var user = await UserAsync(facts, ct);
        var model = new StaffSignInMailModel($"{user.FirstName} {user.LastName}", user.Role.Name(), SignInFacts(facts, user.UserId));
        return new BodyBuilder { HtmlBody = await RenderAsync<StaffSignInMail>(model), TextBody = model.ToText() };
    }

    private async Task<BodyBuilder> MonthlyReportAsync(MailFacts facts, CancellationToken ct)
    {
        var report = (await reports.ExportAsync(new Actor(default, Role.SuperAdmin), new MonthlyLoginQuery(facts.Month), ct))
            .Match(r => r, f => throw new InvalidOperationException(f.Message));
        var monthName = Outbox.MonthName(report.Month);
        var end = facts.MonthToDate && facts.At is { } at && at < report.To ? $"{calendar.Describe(at)} (month to date)" : Day(calendar.DateOf(report.To).AddDays(-1));
        var count = (int n) => n.ToString("N0", BankCalendar.India);
        var csvName = $"monthly-logins-{report.Month}.csv";
        var model = new MonthlyReportMailModel(
            facts.MonthToDate ? $"Login statistics for {monthName} so far" : $"Login statistics for {monthName}",
            $"{Day(calendar.DateOf(report.From))} – {end}",
            [
                new("Successful sign-ins", count(report.SignIns)),
                new("Failed attempts", count(report.FailedAttempts)),
                new("Users who signed in", count(report.ActiveUsers)),
                new("Users with any attempt", count(report.UsersWithAttempts)),
            ],
            report.Users.OrderByDescending(r => r.SignIns).ThenBy(r => r.UserId, StringComparer.Ordinal).Take(ReportRowsInBody)
                .Select(r => new MonthlyReportMailRow(r.UserId, $"{r.FirstName} {r.LastName}", r.Role.Name(), count(r.SignIns), count(r.FailedAttempts),
                    r.LastSignInAt is { } last ? calendar.Describe(last) : "—"))
                .ToList(),
            report.UsersWithAttempts,
            csvName);
        var body = new BodyBuilder { HtmlBody = await RenderAsync<MonthlyReportMail>(model), TextBody = model.ToText() };
        body.Attachments.Add(csvName, System.Text.Encoding.UTF8.GetBytes(MonthlyLoginCsv.Document(report.Users, calendar)), new ContentType("text", "csv") { Charset = "utf-8" });
        return body;
    }

    private List<MailFact> SignInFacts(MailFacts facts, UserId? withUser)
    {
        var list = new List<MailFact>();
        if (withUser is { } id)
        {
            list.Add(new("User ID", id.ToString()));
        }

        list.Add(new("Time", When(facts)));
        list.Add(new("IP address", string.IsNullOrEmpty(facts.IpAddress) ? "unknown" : facts.IpAddress));
        list.Add(new("Device", DeviceName.From(facts.UserAgent)));
        list.Add(new("Signed in through", facts.Channel == Channel.Api ? "the API" : "the website"));
        return list;
    }

    private string When(MailFacts facts) => facts.At is { } at ? calendar.Describe(at) : "an unknown time";

    private static string Day(DateOnly day) => day.ToString("d MMM yyyy", BankCalendar.India);

    private async Task<User> UserAsync(MailFacts facts, CancellationToken ct) =>
        await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == facts.UserId, ct)
        ?? throw new InvalidOperationException($"User {facts.UserId} no longer exists.");

    private async Task<string> RenderAsync<TComponent>(object model)
        where TComponent : IComponent
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Model"] = model }));
            return output.ToHtmlString();
        });
    }
}
