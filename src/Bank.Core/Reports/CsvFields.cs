using System.Globalization;

namespace Bank.Core.Reports;

/// <summary>
/// Fields of the bank's CSV files (RFC 4180): free text is always quoted and a leading =, +, - or @ is defused, so that a
/// spreadsheet never runs a field as a formula; instants are ISO 8601 in the bank's time zone with the offset.
/// </summary>
public static class CsvFields
{
    /// <summary>A free-text field: empty, or quoted with a formula start defused.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>An instant as ISO 8601 in the bank's time zone with its offset (<c>2026-12-01T00:00:43+05:30</c>); empty for none.</summary>
    public static string Time(DateTimeOffset? at, BankCalendar calendar) => at is { } value ? calendar.Iso(value) : "";
}

/// <summary>The monthly login report as CSV: the download and the mail's attachment.</summary>
public static class MonthlyLoginCsv
{
    /// <summary>The header row (the API's field names).</summary>
    public const string Header = "userId,firstName,lastName,role,signIns,failedAttempts,lastSignInAt";

    /// <summary>One user as a CSV row.</summary>
    public static string Row(MonthlyLoginRow r, BankCalendar calendar) => string.Join(',',
        r.UserId,
        CsvFields.Text(r.FirstName),
        CsvFields.Text(r.LastName),
        r.Role.Name(),
        r.SignIns.ToString(CultureInfo.InvariantCulture),
        r.FailedAttempts.ToString(CultureInfo.InvariantCulture),
        CsvFields.Time(r.LastSignInAt, calendar));

    /// <summary>The whole file: the header and every row, CRLF line ends.</summary>
    public static string Document(IEnumerable<MonthlyLoginRow> rows, BankCalendar calendar) =>
        string.Concat(rows.Select(r => Row(r, calendar) + "\r\n").Prepend(Header + "\r\n"));
}
