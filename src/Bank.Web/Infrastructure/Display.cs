using System.Globalization;
using Bank.Core;
using Bank.Core.Accounts;
using Bank.Core.Auth;
using Bank.Core.Reports;
using Bank.Core.Users;

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

    /// <summary>A role as people write it: Super Admin, Admin, Employee, Customer (the API keeps <c>Super_Admin</c>).</summary>
    public static string Role(Role role) => role switch
    {
        Core.Users.Role.SuperAdmin => "Super Admin",
        _ => role.Name(),
    };

    /// <summary>A channel: Web (the pages) or API.</summary>
    public static string Channel(Channel channel) => channel switch
    {
        Core.Channel.Web => "Web",
        Core.Channel.Api => "API",
        _ => channel.Name(),
    };

    /// <summary>A user's stored status, which an administrator sets: Active, Inactive, Suspended, Pending.</summary>
    public static string Status(UserStatus status) => status.Name();

    /// <summary>
    /// The derived activity status (the API's <c>activityStatus</c>: Active / Inactive) in its own words, so that it is never
    /// mistaken for the stored status "Inactive": "Recently active" or "Dormant".
    /// </summary>
    public static string Activity(ActivityStatus activity) => activity == ActivityStatus.Active ? "Recently active" : "Dormant";

    /// <summary>The short hint under the activity filter.</summary>
    public const string ActivityHint = "Dormant: no sign-in for 90 days.";

    /// <summary>What the activity words mean, in full (the badge's title).</summary>
    public const string ActivityMeaning = "Recently active: signed in within the last 90 days. Dormant: no sign-in in the last 90 days (or never); the user may still be allowed to sign in.";

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
