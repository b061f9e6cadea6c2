namespace Bank.Core.Demo;

/// <summary>
/// The demo's window in the bank's time zone: from the same date <see cref="DemoRequest.Months"/> months ago (local
/// midnight) to now. Times are UTC ticks rounded to whole microseconds (what PostgreSQL keeps, as the ledger does).
/// </summary>
internal sealed class DemoTime
{
    /// <summary>Days in an average month, for rates per month.</summary>
    public const double DaysPerMonth = 30.4375;

    public DemoTime(DateTimeOffset now, int months, TimeZoneInfo zone)
    {
        Zone = zone;
        NowTicks = Micro(now.UtcTicks);
        StartTicks = At(LocalDate(NowTicks).AddMonths(-months), TimeSpan.Zero);
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The end of the window: the clock's now.</summary>
    public long NowTicks { get; }

    /// <summary>The start of the window: local midnight, <c>months</c> months before today.</summary>
    public long StartTicks { get; }

    public DateTimeOffset Now => ToTime(NowTicks);

    public DateTimeOffset Start => ToTime(StartTicks);

    /// <summary>How far through the window a moment is, from 0 to 1.</summary>
    public double Fraction(long ticks) => Math.Clamp((ticks - StartTicks) / (double)Math.Max(1, NowTicks - StartTicks), 0, 1);

    /// <summary>The bank's date at a moment.</summary>
    public DateOnly LocalDate(long ticks) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(ToTime(ticks), Zone).DateTime);

    /// <summary>The bank's time of day at a moment.</summary>
    public TimeSpan LocalTimeOfDay(long ticks) => TimeZoneInfo.ConvertTime(ToTime(ticks), Zone).TimeOfDay;

    /// <summary>A local date and time of day in the bank's zone, as UTC ticks.</summary>
    public long At(DateOnly date, TimeSpan timeOfDay)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified) + timeOfDay;
        return Micro(new DateTimeOffset(local, Zone.GetUtcOffset(local)).UtcTicks);
    }

    public static DateTimeOffset ToTime(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>Ticks rounded down to a whole microsecond.</summary>
    public static long Micro(long ticks) => ticks - (ticks % 10);
}
