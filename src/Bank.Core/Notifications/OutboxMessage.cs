using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Bank.Core.Notifications;

/// <summary>
/// One mail to one recipient, written in the same transaction as the event it tells of and sent later by the
/// <see cref="OutboxDispatcher"/>. The message is composed on its first attempt and kept, so that every retry sends the
/// same bytes (and the same Message-ID).
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>The longest error kept.</summary>
    public const int ErrorMaxLength = 1000;

    /// <summary>Order of writing.</summary>
    public long Id { get; set; }

    /// <summary>What the mail tells of; decides how it is composed.</summary>
    public MailKind Kind { get; set; }

    /// <summary>The recipient's address.</summary>
    public required string Recipient { get; set; }

    /// <summary>The subject line.</summary>
    public required string Subject { get; set; }

    /// <summary>The facts of the event, as JSON (<see cref="MailFacts"/>); the composer reads the rest from the database.</summary>
    public required string Facts { get; set; }

    /// <summary>The Message-ID header, fixed when the row is written.</summary>
    public required string MessageId { get; set; }

    /// <summary>Where it stands.</summary>
    public OutboxStatus Status { get; set; }

    /// <summary>Sending attempts begun so far.</summary>
    public int Attempts { get; set; }

    /// <summary>When it was written.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The earliest time of the next attempt (while pending).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The instance that is sending it now, if any.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Until when that claim holds; after it another instance may take the message over.</summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>When the mail server accepted it.</summary>
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; set; }

    /// <summary>The composed message (RFC 5322), from its first attempt until it is sent.</summary>
    public byte[]? Content { get; set; }
}

/// <summary>The mails the bank sends.</summary>
public enum MailKind
{
    /// <summary>A customer signed in (to the customer, with the six-month chart).</summary>
    [JsonStringEnumMemberName("customerSignIn")]
    CustomerSignIn,

    /// <summary>A staff member signed in (to the configured alert addresses).</summary>
    [JsonStringEnumMemberName("staffSignIn")]
    StaffSignIn,

    /// <summary>A month's login statistics (to Super_Admins and the configured addresses).</summary>
    [JsonStringEnumMemberName("monthlyReport")]
    MonthlyReport,
}

/// <summary>Where an outgoing mail stands.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting for its next attempt (or being sent).</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>Accepted by the mail server (or written to the pickup folder).</summary>
    [JsonStringEnumMemberName("sent")]
    Sent,

    /// <summary>Every attempt failed; a Super_Admin may retry it.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>Table <c>outbox_messages</c>.</summary>
internal sealed class OutboxMessageMapping : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> e)
    {
        e.ToTable("outbox_messages");
        e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        e.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(m => m.Recipient).HasMaxLength(254);
        e.Property(m => m.Subject).HasMaxLength(200);
        e.Property(m => m.Facts).HasMaxLength(4000);
        e.Property(m => m.MessageId).HasMaxLength(100);
        e.Property(m => m.ClaimedBy).HasMaxLength(100);
        e.Property(m => m.LastError).HasMaxLength(OutboxMessage.ErrorMaxLength);
        e.HasIndex(m => m.MessageId).IsUnique();
        // The sender's question: what is due now? And the page's: what stands where, newest first.
        e.HasIndex(m => new { m.Status, m.NextAttemptAt });
        e.HasIndex(m => new { m.Status, m.Id });
    }
}
