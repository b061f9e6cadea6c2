namespace Bank.Core.Charts;

/// <summary>One day of a customer's account, in the bank's time zone: money in, money out, and the balance at the end of the day.</summary>
public sealed record ChartDay(DateOnly Day, long CreditsPaise, long DebitsPaise, long BalancePaise);

/// <summary>A customer's last six months for the chart: the days that had movements (others are quiet days), and the summary.</summary>
public sealed record AccountHistory(
    string AccountNumber, string OwnerName, DateOnly From, DateOnly To,
    IReadOnlyList<ChartDay> Days, long OpeningBalancePaise, long CurrentBalancePaise,
    long TotalCreditsPaise, long TotalDebitsPaise, int TransactionCount);

/// <summary>One day's money in and out across all customers (staff dashboard, last 30 days).</summary>
public sealed record DailyFlow(DateOnly Day, long CreditsPaise, long DebitsPaise);

/// <summary>How many times something happened on one day (staff dashboard: sign-ins per day).</summary>
public sealed record DailyCount(DateOnly Day, int Count);

/// <summary>The size of a picture: the desktop default is 1200×700; a phone gets a narrower, taller one with larger type.</summary>
public readonly record struct ChartSize(int Width, int Height)
{
    /// <summary>The desktop picture, 1200×700.</summary>
    public static ChartSize Desktop => new(1200, 700);

    /// <summary>The phone picture, 720×960 (shown about half size, so its type is larger).</summary>
    public static ChartSize Phone => new(720, 960);
}
