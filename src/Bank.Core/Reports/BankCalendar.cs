using System.Globalization;
using Microsoft.Extensions.Options;

namespace Bank.Core.Reports;

/// <summary>One day in the bank's time zone, as the UTC instants the database compares with: [Start, End).</summary>
public readonly record struct DayBucket(DateOnly Day, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Days and months in the bank's time zone (<c>Bank:TimeZone</c>): "today", month boundaries and day buckets as UTC
/// instants, so that the database groups by the bank's calendar whatever its own time zone (and across DST, where a zone has it).
/// </summary>
public sealed class BankCalendar(TimeProvider clock, IOptions<BankOptions> bank)
{
    /// <summary>Now, in UTC.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Today's date in the bank's time zone.</summary>
    public DateOnly Today => DateOf(Now);

    /// <summary>The bank's date of an instant.</summary>
    public DateOnly DateOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, bank.Value.Zone).DateTime);

    /// <summary>The instant a day begins in the bank's time zone (the first valid local time of that day).</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var zone = bank.Value.Zone;
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            // A DST gap at midnight: the day starts at the first minute that exists.
            local = local.AddMinutes(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Every day from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public IReadOnlyList<DayBucket> Days(DateOnly from, DateOnly to)
    {
        var days = new List<DayBucket>(Math.Max(0, to.DayNumber - from.DayNumber + 1));
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            days.Add(new DayBucket(day, StartOf(day), StartOf(day.AddDays(1))));
        }

        return days;
    }

    /// <summary>The range of dates a filter may name (the bank's own reports use the same years).</summary>
    private static readonly DateOnly EarliestDate = new(2000, 1, 1);

    private static readonly DateOnly LatestDate = new(9998, 12, 31);

    private const string DateRangeRule = "Must be between 2000-01-01 and 9998-12-31.";

    /// <summary>
    /// A list's <c>from</c> and <c>to</c> filters (<see cref="ParseBound"/> each): the instants to compare with, from
    /// inclusive and to exclusive; "Must be after from." on <c>to</c> when they cross.
    /// </summary>
    public (DateTimeOffset? From, DateTimeOffset? To) ParseRange(string? from, string? to, FieldErrors errors)
    {
        var start = ParseBound(from, endOfDay: false, "from", errors);
        var end = ParseBound(to, endOfDay: true, "to", errors);
        if (start is not null && end is not null && start >= end)
        {
            errors.Add("to", "Must be after from.");
        }

        return (start, end);
    }

    /// <summary>
    /// One end of a date filter (every list's <c>from</c> and <c>to</c>): a date (YYYY-MM-DD, a whole day in the bank's time
    /// zone) or an ISO 8601 instant with an offset, bounded to the years 2000–9998. <paramref name="endOfDay"/> makes it the
    /// exclusive end that includes the whole day (or the instant itself). Null when blank; a mistake goes to <paramref name="errors"/>.
    /// </summary>
    public DateTimeOffset? ParseBound(string? text, bool endOfDay, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var value = text.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date < EarliestDate || date > LatestDate)
            {
                errors.Add(field, DateRangeRule);
                return null;
            }

            return StartOf(endOfDay ? date.AddDays(1) : date);
        }

        if (value.Length > 10 && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            // Bounded before any arithmetic: the extremes of DateTimeOffset (9999-12-31T23:59:59.9999999Z) overflow it.
            if (instant.UtcDateTime.Year is < 2000 or > 9998)
            {
                errors.Add(field, DateRangeRule);
                return null;
            }

            return endOfDay ? instant.ToUniversalTime().AddTicks(1) : instant.ToUniversalTime();
        }

        errors.Add(field, "Must be a date (YYYY-MM-DD) or an ISO 8601 time with an offset.");
        return null;
    }

    /// <summary>The culture of what the bank writes for people: Indian grouping and English month names.</summary>
    public static readonly CultureInfo India = CultureInfo.GetCultureInfo("en-IN");

    /// <summary>A moment as people read it, in the bank's time zone: for example "5 Jan 2026, 14:30 IST".</summary>
    public string Describe(DateTimeOffset at)
    {
        var zone = bank.Value.Zone;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var suffix = zone.Id is "Asia/Kolkata" or "Asia/Calcutta" or "India Standard Time" ? "IST" : zone.Id;
        return $"{local.ToString("d MMM yyyy, HH:mm", India)} {suffix}";
    }

    /// <summary>An instant as the bank's clock shows it, with the zone's offset at that moment.</summary>
    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, bank.Value.Zone);

    /// <summary>An instant for files (CSV): ISO 8601 in the bank's time zone with its offset, for example <c>2026-12-01T00:00:43+05:30</c>.</summary>
    public string Iso(DateTimeOffset at) => Local(at).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The bank's local date and time of an instant for a file name, for example <c>20261201-000043</c>.</summary>
    public string FileStamp(DateTimeOffset at) => Local(at).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    /// <summary>A calendar month of the bank: its first day and the instants it starts and ends.</summary>
    public DayBucket Month(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return new DayBucket(first, StartOf(first), StartOf(first.AddMonths(1)));
    }
}
