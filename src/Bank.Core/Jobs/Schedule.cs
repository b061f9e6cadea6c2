using Cronos;

namespace Bank.Core.Jobs;

/// <summary>A cron schedule (five fields, Cronos) read in the bank's time zone.</summary>
public sealed class Schedule
{
    private readonly CronExpression _cron;

    private Schedule(CronExpression cron) => _cron = cron;

    /// <summary>Reads a five-field cron expression.</summary>
    public static bool TryParse(string? text, out Schedule schedule)
    {
        schedule = null!;
        if (!CronExpression.TryParse(text?.Trim() ?? "", CronFormat.Standard, out var cron))
        {
            return false;
        }

        schedule = new Schedule(cron);
        return true;
    }

    /// <summary>The latest occurrence at or before <paramref name="now"/> within the last <paramref name="lookBack"/>, if any.</summary>
    public DateTimeOffset? LatestAtOrBefore(DateTimeOffset now, TimeSpan lookBack, TimeZoneInfo zone) =>
        _cron.GetOccurrences(now - lookBack, now, zone, fromInclusive: true, toInclusive: true)
            .Select(o => (DateTimeOffset?)o)
            .LastOrDefault();

    /// <summary>The next occurrence after <paramref name="now"/>.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset now, TimeZoneInfo zone) => _cron.GetNextOccurrence(now, zone);
}
