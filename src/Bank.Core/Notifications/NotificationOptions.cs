using System.ComponentModel.DataAnnotations;
using Bank.Core.Users;
using MimeKit;

namespace Bank.Core.Notifications;

/// <summary>Who is told what (section <c>Notifications</c>). Lists are written comma-separated (or as arrays).</summary>
public sealed class NotificationOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Notifications";

    /// <summary>Addresses that get an alert when a user of <see cref="AdminAlertRoles"/> signs in; empty sends none.</summary>
    public string AdminAlertRecipients { get; set; } = "";

    /// <summary>The roles whose sign-ins raise the alert (wire names); default the staff roles.</summary>
    public string AdminAlertRoles { get; set; } = "Super_Admin,Admin,Employee";

    /// <summary>Addresses that get the monthly login report besides every active Super_Admin.</summary>
    public string MonthlyReportRecipients { get; set; } = "";

    /// <summary>When the monthly report goes out, as a cron expression in the bank's time zone (minute hour day month weekday).</summary>
    [Required]
    public string MonthlyReportSchedule { get; set; } = "0 6 1 * *";

    /// <summary>The alert addresses.</summary>
    public IReadOnlyList<string> AlertRecipients => Addresses(AdminAlertRecipients);

    /// <summary>The extra report addresses.</summary>
    public IReadOnlyList<string> ReportRecipients => Addresses(MonthlyReportRecipients);

    /// <summary>The roles whose sign-ins raise the alert.</summary>
    public IReadOnlySet<Role> AlertRoles => Items(AdminAlertRoles).Select(r => EnumText.TryParse<Role>(r, out var role) ? role : (Role?)null)
        .OfType<Role>().ToHashSet();

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, list) in new[] { (nameof(AdminAlertRecipients), AdminAlertRecipients), (nameof(MonthlyReportRecipients), MonthlyReportRecipients) })
        {
            foreach (var address in Items(list).Where(a => !MailboxAddress.TryParse(a, out _) || !a.Contains('@', StringComparison.Ordinal)))
            {
                yield return new ValidationResult($"Notifications:{name} has '{address}', which is not a mail address.", [name]);
            }
        }

        foreach (var role in Items(AdminAlertRoles).Where(r => !EnumText.TryParse<Role>(r, out _)))
        {
            yield return new ValidationResult($"Notifications:AdminAlertRoles has '{role}'; {EnumText.MustBeOneOf<Role>()}", [nameof(AdminAlertRoles)]);
        }

        if (!Jobs.Schedule.TryParse(MonthlyReportSchedule, out _))
        {
            yield return new ValidationResult(
                $"Notifications:MonthlyReportSchedule '{MonthlyReportSchedule}' is not a cron expression of five fields, such as \"0 6 1 * *\".",
                [nameof(MonthlyReportSchedule)]);
        }
    }

    private static List<string> Addresses(string? list) => Items(list).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static string[] Items(string? list) =>
        (list ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
