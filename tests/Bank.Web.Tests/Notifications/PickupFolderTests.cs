using Bank.Core.Data;
using Bank.Core.Notifications;
using Bank.Testing;
using Bank.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using SkiaSharp;

namespace Bank.Web.Tests.Notifications;

/// <summary>The embedded default: no SMTP host, so each mail is an .eml file in the pickup folder that any mail reader opens.</summary>
public sealed class PickupFolderTests(PickupApps apps) : IClassFixture<PickupApps>
{
    [Theory, DatabaseData]
    public async Task Without_an_smtp_host_a_sign_in_mail_is_an_eml_file_that_parses_and_carries_the_chart(DatabaseProvider provider)
    {
        var app = await apps.ForAsync(provider);
        var admin = await app.SuperAdminAsync();
        var email = MailTests.Unique("pickup");
        await app.FirstSignInAsync(await BankApp.CreateUserAsync(admin, "Customer", email));
        var folder = app.Services.GetRequiredService<IOptions<MailOptions>>().Value.PickupDirectory;

        MimeMessage? mail = null;
        for (var i = 0; i < 300 && mail is null; i++)
        {
            mail = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*.eml").Select(f => MimeMessage.Load(f)).FirstOrDefault(m => MailTests.To([m], email).Count == 1)
                : null;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.NotNull(mail);
        Assert.Equal("New sign-in to your account", mail.Subject);
        Assert.NotNull(mail.TextBody);
        Assert.NotNull(mail.HtmlBody);
        using var chart = SKBitmap.Decode(MailTests.Bytes(mail.Attachments.OfType<MimePart>().Single(a => a.FileName == "six-month-chart.png")));
        Assert.Equal(1200, chart.Width);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }
}

/// <summary>The app with the embedded mail default (the pickup folder, a fresh one per app) and its sender on, on each database.</summary>
public sealed class PickupApps() : BankApps<BankApp>(provider => new BankApp(provider, new Dictionary<string, string>
{
    ["Mail:Outbox:Enabled"] = "true",
    ["Mail:Outbox:PollSeconds"] = "0.2",
    ["Mail:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "bank-test-pickup", Guid.NewGuid().ToString("N")),
}));
