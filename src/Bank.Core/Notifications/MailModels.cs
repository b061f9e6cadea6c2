using System.Text;

namespace Bank.Core.Notifications;

/// <summary>A labelled value in a mail ("IP address", "203.0.113.7").</summary>
public sealed record MailFact(string Label, string Value);

/// <summary>What the customer's sign-in mail says, every value already written for people.</summary>
/// <param name="Name">The customer's name.</param>
/// <param name="When">The sign-in time in the bank's time zone ("30 Nov 2026, 22:15 IST").</param>
/// <param name="SignIn">Time, IP address, device and channel of the sign-in.</param>
/// <param name="Period">The six months summarised ("1 Jun 2026 – 30 Nov 2026").</param>
/// <param name="Summary">Money in, money out, net change, balance and count of transactions.</param>
/// <param name="ChartFileName">The attached chart's file name.</param>
public sealed record SignInMailModel(string Name, string When, IReadOnlyList<MailFact> SignIn, string Period, IReadOnlyList<MailFact> Summary, string ChartFileName)
{
    /// <summary>The plain-text alternative.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append("Dear ").Append(Name).Append(",\n\n")
            .Append("Your account was signed in to on ").Append(When).Append(".\n\n");
        MailText.Facts(text, SignIn);
        text.Append("\nYour last six months (").Append(Period).Append("):\n");
        MailText.Facts(text, Summary);
        text.Append("\nThe chart of these six months is attached (").Append(ChartFileName).Append(").\n\n")
            .Append("If this was not you, change your password at once and call your branch.\n");
        return MailText.Signed(text);
    }
}

/// <summary>What the staff sign-in alert says.</summary>
/// <param name="Name">Who signed in.</param>
/// <param name="Role">Their role, in the bank's words.</param>
/// <param name="Facts">User ID, time, IP address, device and channel.</param>
public sealed record StaffSignInMailModel(string Name, string Role, IReadOnlyList<MailFact> Facts)
{
    /// <summary>The plain-text alternative.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(Name).Append(" (").Append(Role).Append(") signed in.\n\n");
        MailText.Facts(text, Facts);
        text.Append("\nIf this sign-in was not expected, lock the user from the Users page.\n");
        return MailText.Signed(text);
    }
}

/// <summary>What the monthly login report mail says: the totals, the busiest users, and the CSV with every user.</summary>
/// <param name="Title">"Login statistics for October 2026" (or "… so far").</param>
/// <param name="Period">The dates covered.</param>
/// <param name="Totals">Sign-ins, failed attempts, active users, users with attempts.</param>
/// <param name="Rows">The users shown in the mail (the most sign-ins first).</param>
/// <param name="AllRows">How many users the attached CSV lists.</param>
/// <param name="CsvFileName">The attachment's file name.</param>
public sealed record MonthlyReportMailModel(string Title, string Period, IReadOnlyList<MailFact> Totals, IReadOnlyList<MonthlyReportMailRow> Rows, int AllRows, string CsvFileName)
{
    /// <summary>The plain-text alternative.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(Title).Append('\n').Append(Period).Append("\n\n");
        MailText.Facts(text, Totals);
        if (Rows.Count > 0)
        {
            text.Append("\nMost sign-ins:\n");
            foreach (var row in Rows)
            {
                text.Append("  ").Append(row.UserId).Append("  ").Append(row.Name).Append(" (").Append(row.Role).Append("): ")
                    .Append(row.SignIns).Append(" sign-ins, ").Append(row.FailedAttempts).Append(" failed, last ").Append(row.LastSignIn).Append('\n');
            }
        }

        text.Append("\nEvery user with an attempt (").Append(AllRows).Append(") is in the attached ").Append(CsvFileName).Append(".\n");
        return MailText.Signed(text);
    }
}

/// <summary>One user's line in the report mail.</summary>
public sealed record MonthlyReportMailRow(string UserId, string Name, string Role, string SignIns, string FailedAttempts, string LastSignIn);

/// <summary>The plain-text parts' shared pieces.</summary>
internal static class MailText
{
    public static void Facts(StringBuilder text, IEnumerable<MailFact> facts)
    {
        foreach (var fact in facts)
        {
            text.Append("  ").Append(fact.Label).Append(": ").Append(fact.Value).Append('\n');
        }
    }

    public static string Signed(StringBuilder text) =>
        text.Append("\n-- \nThis message was sent automatically by your bank. Please do not reply to it.\n").ToString();
}
