using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Bank.Core.Notifications;

/// <summary>Hands a composed message to whatever carries mail: an SMTP server, or the pickup folder.</summary>
public interface IMailSender
{
    /// <summary>Sends one message; throws when it was not accepted.</summary>
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>Why a mail was not sent, in one line for the outgoing mail page (the SMTP reply code first when there is one).</summary>
public static class MailErrors
{
    /// <summary>The line recorded as a mail's last error.</summary>
    public static string Describe(Exception ex)
    {
        var text = ex switch
        {
            SmtpCommandException smtp => $"SMTP {(int)smtp.StatusCode} {smtp.StatusCode}: {smtp.Message}".TrimEnd(' ', ':'),
            SmtpProtocolException protocol => $"SMTP protocol error: {protocol.Message}",
            _ => $"{ex.GetType().Name}: {ex.Message}",
        };
        return text.Length > OutboxMessage.ErrorMaxLength ? text[..OutboxMessage.ErrorMaxLength] : text;
    }
}

/// <summary>Sends over SMTP with MailKit (<c>Mail:Smtp</c>): one connection per message, so a broken one never lingers.</summary>
public sealed class SmtpMailSender(IOptions<MailOptions> options) : IMailSender
{
    /// <inheritdoc/>
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(smtp.TimeoutSeconds).TotalMilliseconds };
        var security = smtp.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(smtp.Host ?? "", smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}

/// <summary>
/// Writes each message as an RFC 5322 <c>.eml</c> file into <c>Mail:PickupDirectory</c> (the embedded default). The file is
/// named after the Message-ID and appears whole (written aside, then moved), so a retry rewrites the same file and a
/// reader never sees half a message.
/// </summary>
public sealed class PickupFolderSender(IOptions<MailOptions> options) : IMailSender
{
    /// <inheritdoc/>
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        var folder = Path.GetFullPath(options.Value.PickupDirectory);
        Directory.CreateDirectory(folder);
        var name = new string((message.MessageId ?? "message").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
        var path = Path.Combine(folder, $"{message.Date.UtcDateTime:yyyyMMdd-HHmmss}-{name}.eml");
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, ct);
        File.Move(temporary, path, overwrite: true);
    }
}
