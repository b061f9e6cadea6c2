using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Core.Reports;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using SkiaSharp;

namespace Bank.Web.Tests.Notifications;

/// <summary>The mail the bank sends, as a real SMTP server receives it.</summary>
public sealed class MailTests(MailApps apps) : IClassFixture<MailApps>
{
    private static readonly TimeZoneInfo India = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata");

    [Theory, DatabaseData]
    public async Task A_customer_sign_in_mails_the_customer_the_time_in_IST_the_device_the_six_month_summary_and_the_chart(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var email = Unique("asha");
        var created = await BankApp.CreateUserAsync(admin, "Customer", email);
        var (client, password) = await app.FirstSignInAsync(created);
        await new Customer(client, created.UserId, created.AccountNumber!).DepositAsync(1234.50m);
        // The first sign-in's mail is composed when it is sent: let it go before the name changes under it.
        await app.Smtp.WaitForAsync(m => To(m, email).Count == 1);
        await using (var db = app.Database.CreateContext())
        {
            // The forms refuse such a name; a row from elsewhere (an import, an old system) may still carry one.
            var id = long.Parse(created.UserId, System.Globalization.CultureInfo.InvariantCulture);
            await db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.FirstName, "<script>alert('name')</script>"), TestContext.Current.CancellationToken);
        }

        var before = DateTimeOffset.UtcNow;
        var browser = app.CreateClient();
        browser.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "<script>alert(1)</script>");
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/v1/auth/login", new { userId = created.UserId, password })).StatusCode);
        var after = DateTimeOffset.UtcNow;

        var mails = await app.Smtp.WaitForAsync(m => To(m, email).Count == 2);
        var mail = To(mails, email).Single(m => m.TextBody!.Contains("<script>alert(1)</script>", StringComparison.Ordinal));
        Assert.Equal("New sign-in to your account", mail.Subject);
        Assert.Equal("no-reply@bank.local", mail.From.Mailboxes.Single().Address);
        Assert.Contains(new[] { before, after }.Select(t => TimeZoneInfo.ConvertTime(t, India).ToString("d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " IST"),
            time => mail.TextBody!.Contains(time, StringComparison.Ordinal) && mail.HtmlBody!.Contains(time, StringComparison.Ordinal));
        Assert.Contains("IP address:", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Money in: ₹1,234.50", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Balance now: ₹1,234.50", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Transactions: 1", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Dear &lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt; Verma,", mail.HtmlBody, StringComparison.Ordinal);

        var chart = mail.Attachments.OfType<MimePart>().Single();
        Assert.Equal(("six-month-chart.png", "image/png"), (chart.FileName, chart.ContentType.MimeType));
        using var bitmap = SKBitmap.Decode(Bytes(chart));
        Assert.Equal((1200, 700), (bitmap.Width, bitmap.Height));
    }

    [Theory, DatabaseData]
    public async Task A_staff_sign_in_alerts_the_configured_address_and_a_customer_sign_in_does_not(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var employeeMail = Unique("employee");
        var employee = await BankApp.CreateUserAsync(admin, "Employee", employeeMail);
        await app.FirstSignInAsync(employee);
        var customerMail = Unique("customer");
        var customer = await BankApp.CreateUserAsync(admin, "Customer", customerMail);
        await app.FirstSignInAsync(customer);

        var mails = await app.Smtp.WaitForAsync(m => To(m, customerMail).Count == 1 && To(m, BankApp.AlertAddress).Any(a => a.TextBody!.Contains(employee.UserId, StringComparison.Ordinal)));
        var alert = To(mails, BankApp.AlertAddress).Single(a => a.TextBody!.Contains(employee.UserId, StringComparison.Ordinal));
        Assert.Equal("Staff sign-in: Asha Verma (Employee)", alert.Subject);
        Assert.Contains("(Employee) signed in", alert.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(alert.Attachments);
        Assert.Empty(To(mails, employeeMail)); // staff get no sign-in mail of their own
        Assert.DoesNotContain(To(mails, BankApp.AlertAddress), a => a.TextBody!.Contains(customer.UserId, StringComparison.Ordinal));
    }

    [Theory, DatabaseData]
    public async Task The_month_to_date_report_goes_to_each_super_admin_and_the_configured_address_with_every_user_in_a_csv(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (adminClient, _) = await app.ActiveUserAsync(admin, "Admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await adminClient.PostAsync("/api/v1/reports/monthly-logins/send", null)).StatusCode);
        var month = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, India).ToString("MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        var subject = $"Login statistics for {month} so far";
        var already = app.Smtp.Received.Count(m => m.Subject == subject);

        var response = await admin.PostAsync("/api/v1/reports/monthly-logins/send", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await response.JsonAsync())["recipients"]!.GetValue<int>());
        var mails = (await app.Smtp.WaitForAsync(m => m.Count(x => x.Subject == subject) == already + 2)).Where(m => m.Subject == subject).Skip(already).ToList();
        Assert.Equal(["board@bank.test", "superadmin@bank.local"], mails.Select(m => m.To.Mailboxes.Single().Address).Order());
        var mail = mails[0];
        Assert.Contains("Most sign-ins", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(BankApp.SuperAdminId, mail.HtmlBody, StringComparison.Ordinal);
        var csv = mail.Attachments.OfType<MimePart>().Single();
        Assert.Equal("text/csv", csv.ContentType.MimeType);
        var lines = System.Text.Encoding.UTF8.GetString(Bytes(csv)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(MonthlyLoginCsv.Header, lines[0]);
        // The last sign-in in the bank's time zone, with its offset.
        Assert.Matches(@",\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$", lines.Single(l => l.StartsWith(BankApp.SuperAdminId + ",", StringComparison.Ordinal)));
    }

    [Theory, DatabaseData]
    public async Task A_mail_the_server_refuses_for_good_ends_failed_after_the_retry_limit_and_the_retry_action_delivers_it(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var email = Unique("refused");
        app.Smtp.Refuse = true;
        try
        {
            await app.FirstSignInAsync(await BankApp.CreateUserAsync(admin, "Customer", email));
            var failed = await WaitForMailAsync(admin, "failed", email);
            Assert.Equal(3, failed["attempts"]!.GetValue<int>());
            Assert.Contains("554", failed["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Empty(To(app.Smtp.Received, email));
        }
        finally
        {
            app.Smtp.Refuse = false;
        }

        var id = (await WaitForMailAsync(admin, "failed", email))["id"]!.GetValue<long>();
        var retry = await admin.PostAsync($"/api/v1/mail/{id}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

        await app.Smtp.WaitForAsync(m => To(m, email).Count == 1);
        var sent = await WaitForMailAsync(admin, "sent", email);
        Assert.Equal(id, sent["id"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/mail/{id}/retry", null)).StatusCode);
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Single(To(app.Smtp.Received, email));
    }

    [Theory, DatabaseData]
    public async Task Only_a_super_admin_sees_the_outgoing_mail_and_a_bad_status_is_a_field_error(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var (adminClient, _) = await app.ActiveUserAsync(admin, "Admin");

        Assert.Equal(HttpStatusCode.Forbidden, (await adminClient.GetAsync("/api/v1/mail")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await adminClient.PostAsync("/api/v1/mail/1/retry", null)).StatusCode);
        var bad = await admin.GetAsync("/api/v1/mail?status=lost");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("status", (await bad.JsonAsync())["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/v1/mail/999999999/retry", null)).StatusCode);
    }

    internal static string Unique(string name) => $"{name}-{Guid.NewGuid():N}@example.com";

    internal static List<MimeMessage> To(IEnumerable<MimeMessage> mails, string address) =>
        mails.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    internal static byte[] Bytes(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }

    /// <summary>Waits until the outgoing mail list shows a mail to <paramref name="recipient"/> in <paramref name="status"/>.</summary>
    internal static async Task<System.Text.Json.Nodes.JsonNode> WaitForMailAsync(HttpClient superAdmin, string status, string recipient)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await (await superAdmin.GetAsync($"/api/v1/mail?status={status}&limit=200")).JsonAsync();
            if (page["items"]!.AsArray().FirstOrDefault(i => i!["recipient"]!.GetValue<string>() == recipient) is { } mail)
            {
                return mail;
            }

            Assert.True(DateTime.UtcNow < until, $"No {status} mail to {recipient} within 30 s.");
            await Task.Delay(100);
        }
    }
}
