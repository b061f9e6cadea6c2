using System.Net;
using System.Net.Http.Json;
using Bank.Core.Data;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;

namespace Bank.Web.Tests.Notifications;

/// <summary>Mail never stands in the way: the SMTP server down changes nothing for sign-ins and payments, and loses no mail.</summary>
public sealed class MailOutageTests(PatientMailApps apps) : IClassFixture<PatientMailApps>
{
    [Theory, DatabaseData]
    public async Task Sign_ins_and_payments_succeed_while_the_mail_server_is_down_and_each_mail_arrives_once_when_it_is_back(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var customers = new List<(string UserId, string Email, string Password)>();
        for (var i = 0; i < 5; i++)
        {
            var email = MailTests.Unique("outage");
            var created = await BankApp.CreateUserAsync(admin, "Customer", email);
            var (_, password) = await app.FirstSignInAsync(created);
            customers.Add((created.UserId, email, password));
        }

        await app.Smtp.WaitForAsync(m => customers.All(c => MailTests.To(m, c.Email).Count == 1));
        await app.Smtp.DownAsync();

        // 100 sign-ins, each followed by a payment, four customers at a time.
        using var gate = new SemaphoreSlim(4);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            await gate.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                var (userId, _, password) = customers[i % customers.Count];
                var client = app.CreateClient();
                var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { userId, password });
                var token = (await login.JsonAsync())["accessToken"]!.GetValue<string>();
                client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                var payment = await client.PostAsJsonAsync("/api/v1/transactions", new { type = "credit", amount = 1.00m });
                return (login.StatusCode, payment.StatusCode);
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.All(outcomes, o => Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Created), o));
        var waiting = await MailTests.WaitForMailAsync(admin, "pending", customers[0].Email);
        Assert.NotNull(waiting["id"]);
        var tried = await WaitForFailedAttemptAsync(admin);
        Assert.Contains("refused", tried, StringComparison.OrdinalIgnoreCase);

        await app.Smtp.UpAsync();

        var mails = await app.Smtp.WaitForAsync(m => customers.Sum(c => MailTests.To(m, c.Email).Count) >= 105, TimeSpan.FromSeconds(60));
        await Task.Delay(1500, TestContext.Current.CancellationToken); // time for any duplicate to show up
        var theirs = customers.SelectMany(c => MailTests.To(app.Smtp.Received, c.Email)).ToList();
        Assert.Equal(105, theirs.Count);
        Assert.Equal(105, theirs.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count());
        Assert.All(customers, c => Assert.Equal(21, MailTests.To(theirs, c.Email).Count));
        var failed = await (await admin.GetAsync("/api/v1/mail?status=failed")).JsonAsync();
        Assert.Empty(failed["items"]!.AsArray());
        Assert.NotEmpty(mails);
    }

    /// <summary>The last error of a pending mail that has been tried already (the sender kept trying while the server was down).</summary>
    private static async Task<string> WaitForFailedAttemptAsync(HttpClient admin)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await (await admin.GetAsync("/api/v1/mail?status=pending&limit=200")).JsonAsync();
            if (page["items"]!.AsArray().FirstOrDefault(i => i!["attempts"]!.GetValue<int>() > 0 && i["lastError"] is not null) is { } mail)
            {
                return mail["lastError"]!.GetValue<string>();
            }

            Assert.True(DateTime.UtcNow < until, "No pending mail was tried while the mail server was down.");
            await Task.Delay(100);
        }
    }
}
