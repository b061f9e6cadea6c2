using System.Globalization;
using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Reports;

namespace Bank.Web.Infrastructure;

/// <summary>How pages show times (bank time zone), dates, rupees (en-IN grouping) and the bank's words for its enums.</summary>
public sealed class Display(BankCalendar calendar)
{
    /// <summary>The culture of every page.</summary>
    public static readonly CultureInfo India = BankCalendar.India;

    /// <summary>A moment in the bank's time zone, for example "5 Jan 2026, 14:30 IST"; a dash when there is none.</summary>
    public string Time(DateTimeOffset? at) => at is { } value ? calendar.Describe(value) : "—";

    /// <summary>A date, for example "5 Jan 2026".</summary>
    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", India);

    /// <summary>Rupees with Indian grouping, for example ₹1,23,456.78.</summary>
    public static string Rupees(decimal amount) => Core.Money.Rupees.Format(amount);

    /// <summary>A statement line's kind in words: Deposit, Withdrawal, Transfer in, Transfer out.</summary>
    public static string TransactionType(TransactionType type, Direction direction) => type switch
    {
        Core.Accounts.TransactionType.Credit => "Deposit",
        Core.Accounts.TransactionType.Debit => "Withdrawal",
        _ => direction == Direction.In ? "Transfer in" : "Transfer out",
    };

    /// <summary>A type filter's label: Deposit, Withdrawal, Transfer.</summary>
    public static string TransactionType(TransactionType type) => type == Core.Accounts.TransactionType.Transfer ? "Transfer" : TransactionType(type, Direction.In);

    /// <summary>How a sign-in attempt ended, in words.</summary>
    public static string Outcome(LoginOutcome outcome) => outcome switch
    {
        LoginOutcome.Success => "Signed in",
        LoginOutcome.WrongPassword => "Wrong password",
        LoginOutcome.UnknownUser => "Unknown user",
        LoginOutcome.LockedOut => "Locked",
        LoginOutcome.NotActive => "Not active",
        _ => outcome.Name(),
    };
}
