using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Bank.Core.Data;
using Bank.Core.Reports;
using Bank.Core.Users;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bank.Core.Notifications;

/// <summary>The facts of an event a mail tells of, kept with the outbox row (JSON); everything else is read when it is composed.</summary>
/// <param name="UserId">Whose event it is (the user who signed in).</param>
/// <param name="At">When it happened.</param>
/// <param name="IpAddress">From where.</param>
/// <param name="UserAgent">With what (the browser's or client's user agent).</param>
/// <param name="Channel">Through which door.</param>
/// <param name="Month">The report's month, YYYY-MM.</param>
/// <param name="MonthToDate">Whether the report covers its month only up to <paramref name="At"/> (sent on demand).</param>
public sealed record MailFacts(
    long? UserId = null,
    DateTimeOffset? At = null,
    string? IpAddress = null,
    string? UserAgent = null,
    Channel? Channel = null,
    string? Month = null,
    bool MonthToDate = false)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The facts as stored.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The facts of a stored row.</summary>
    public static MailFacts FromJson(string json) => JsonSerializer.Deserialize<MailFacts>(json, Json) ?? new MailFacts();
}

/// <summary>
/// Writes mails into the outbox inside the caller's transaction (they go out only if the event is committed) and wakes
/// the sender once it is. Decides who is told of what: the customer of their own sign-in, the alert addresses of a staff sign-in.
/// </summary>
public sealed class Outbox(BankDbContext db, TimeProvider clock, OutboxSignal signal, IOptions<MailOptions> mail, IOptions<NotificationOptions> notifications)
{
    /// <summary>Adds the mails a successful sign-in raises; call inside the sign-in's write transaction.</summary>
    public void SignedIn(User user, Channel channel, ClientInfo client)
    {
        var facts = new MailFacts(user.Id, clock.GetUtcNow(), client.IpAddress, client.TrimmedUserAgent, channel).ToJson();
        if (user.Role == Role.Customer)
        {
            Add(MailKind.CustomerSignIn, user.Email, "New sign-in to your account", facts);
        }

        var options = notifications.Value;
        if (options.AlertRoles.Contains(user.Role))
        {
            foreach (var recipient in options.AlertRecipients)
            {
                Add(MailKind.StaffSignIn, recipient, $"Staff sign-in: {user.FirstName} {user.LastName} ({user.Role.Name()})", facts);
            }
        }
    }

    /// <summary>Adds the monthly report of <paramref name="month"/> for each recipient; call inside a write transaction.</summary>
    public void MonthlyReport(string month, bool monthToDate, IEnumerable<string> recipients)
    {
        var facts = new MailFacts(At: clock.GetUtcNow(), Month: month, MonthToDate: monthToDate).ToJson();
        var subject = $"Login statistics for {MonthName(month)}{(monthToDate ? " so far" : "")}";
        foreach (var recipient in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            Add(MailKind.MonthlyReport, recipient, subject, facts);
        }
    }

    /// <summary>A month written YYYY-MM in words: "October 2026".</summary>
    public static string MonthName(string month) =>
        DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM yyyy", BankCalendar.India);

    /// <summary>Wakes the sender; call after the transaction that wrote mails has committed.</summary>
    public void Wake() => signal.Wake();

    private void Add(MailKind kind, string recipient, string subject, string facts)
    {
        var now = clock.GetUtcNow();
        var domain = MailboxAddress.TryParse(mail.Value.From, out var from) && from.Domain is { Length: > 0 } d ? d : "bank.local";
        db.OutboxMessages.Add(new OutboxMessage
        {
            Kind = kind,
            Recipient = recipient,
            Subject = subject,
            Facts = facts,
            MessageId = $"{Guid.CreateVersion7():N}@{domain}",
            Status = OutboxStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }
}

/// <summary>Wakes the sender of this process when mail was written, so it need not wait for its next look.</summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _wakes = System.Threading.Channels.Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks the sender to look now.</summary>
    public void Wake() => _wakes.Writer.TryWrite(true);

    /// <summary>Waits until woken or until <paramref name="timeout"/> has passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            await _wakes.Reader.WaitToReadAsync(timer.Token);
            _wakes.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The time was up: look anyway.
        }
    }
}
