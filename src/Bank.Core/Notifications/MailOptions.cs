using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace Bank.Core.Notifications;

/// <summary>How mail leaves the bank (section <c>Mail</c>): over SMTP when a host is set, else as files in the pickup folder.</summary>
public sealed class MailOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mail";

    /// <summary>The sender, as "Name &lt;address&gt;".</summary>
    [Required]
    public string From { get; set; } = "Bank <no-reply@bank.local>";

    /// <summary>Where one <c>.eml</c> file per message goes when no SMTP host is set.</summary>
    [Required]
    public string PickupDirectory { get; set; } = "data/mail";

    /// <summary>The SMTP server; unset host means the pickup folder.</summary>
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>How the outbox is worked off.</summary>
    public OutboxSettings Outbox { get; set; } = new();

    /// <summary>Whether mail goes to an SMTP server (else to the pickup folder).</summary>
    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult($"Mail:From '{From}' is not a mail address such as \"Bank <no-reply@bank.local>\".", [nameof(From)]);
        }

        if (Smtp.Port is < 1 or > 65535)
        {
            yield return new ValidationResult("Mail:Smtp:Port must be between 1 and 65535.", ["Smtp.Port"]);
        }

        foreach (var result in Outbox.Check())
        {
            yield return result;
        }
    }
}

/// <summary>The SMTP server (section <c>Mail:Smtp</c>).</summary>
public sealed class SmtpSettings
{
    /// <summary>Host name; empty means no SMTP (the pickup folder).</summary>
    public string? Host { get; set; }

    /// <summary>Port (587 for STARTTLS, 465 for TLS on connect, 25 for none).</summary>
    public int Port { get; set; } = 587;

    /// <summary>User name, when the server wants one.</summary>
    public string? UserName { get; set; }

    /// <summary>Password (from a secret store or the environment, never from the repository).</summary>
    public string? Password { get; set; }

    /// <summary>How the connection is protected.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>How long one connection or command may take.</summary>
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>Transport security of the SMTP connection.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (a relay on the same host or network).</summary>
    None,

    /// <summary>Upgrade with STARTTLS, which the server must offer.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>How the outbox is sent (section <c>Mail:Outbox</c>).</summary>
public sealed class OutboxSettings
{
    /// <summary>Whether this instance sends mail; an instance that only serves pages may leave it to the others.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts before a message is marked failed.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failure; it doubles after each (with jitter) up to <see cref="RetryMaxSeconds"/>.</summary>
    public double RetryBaseSeconds { get; set; } = 10;

    /// <summary>The longest wait between attempts.</summary>
    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>How long a claim holds; a message claimed by an instance that died is taken over after it.</summary>
    public double LeaseSeconds { get; set; } = 120;

    /// <summary>How often the sender looks for due messages when nothing wakes it.</summary>
    public double PollSeconds { get; set; } = 5;

    /// <summary>Messages claimed at a time.</summary>
    public int BatchSize { get; set; } = 20;

    internal IEnumerable<ValidationResult> Check()
    {
        if (MaxAttempts is < 1 or > 100)
        {
            yield return new ValidationResult("Mail:Outbox:MaxAttempts must be between 1 and 100.", [nameof(MaxAttempts)]);
        }

        if (RetryBaseSeconds is < 0 or > 86_400 || RetryMaxSeconds < RetryBaseSeconds || RetryMaxSeconds > 7 * 86_400)
        {
            yield return new ValidationResult("Mail:Outbox:RetryBaseSeconds must be 0 to 86400 and RetryMaxSeconds at least that (at most a week).", [nameof(RetryBaseSeconds)]);
        }

        if (LeaseSeconds is < 1 or > 86_400 || PollSeconds is <= 0 or > 3600 || BatchSize is < 1 or > 1000)
        {
            yield return new ValidationResult("Mail:Outbox: LeaseSeconds 1–86400, PollSeconds above 0 up to 3600, BatchSize 1–1000.", [nameof(LeaseSeconds)]);
        }
    }
}
