using System.Globalization;

namespace Bank.Core.Charts;

/// <summary>The days From..To as slots 0..Count-1 on the x axis, and which of them get a date label.</summary>
internal sealed class DayAxis
{
    private static readonly int[] DaySteps = [1, 2, 3, 7];
    private static readonly int[] MonthSteps = [1, 2, 3, 6, 12];

    public DayAxis(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new ArgumentException($"The chart's last day ({to:yyyy-MM-dd}) is before its first ({from:yyyy-MM-dd}).", nameof(to));
        }

        From = from;
        To = to;
    }

    public DateOnly From { get; }

    public DateOnly To { get; }

    public int Count => To.DayNumber - From.DayNumber + 1;

    /// <summary>The slot of a day; a day outside From..To is a mistake of the caller, not something to draw.</summary>
    public int SlotOf(DateOnly day, string parameter) =>
        day >= From && day <= To
            ? day.DayNumber - From.DayNumber
            : throw new ArgumentException($"{day:yyyy-MM-dd} is outside the chart's days {From:yyyy-MM-dd}..{To:yyyy-MM-dd}.", parameter);

    /// <summary>
    /// Date labels ("5 Jan"): every day, every few days, every week, or month starts (the 1st and 15th, every month, every
    /// few months), whichever is the finest that <paramref name="fits"/>.
    /// </summary>
    public IReadOnlyList<(int Slot, string Label)> Labels(Func<IReadOnlyList<(int Slot, string Label)>, bool> fits)
    {
        var candidates = DaySteps.Select(step => Label(Enumerable.Range(0, (Count + step - 1) / step).Select(i => From.AddDays(i * step))))
            .Append(Label(Days().Where(d => d.Day is 1 or 15)))
            .Concat(MonthSteps.Select(months => Label(Days().Where(d => d.Day == 1 && (d.Month - 1) % months == 0))));
        return candidates.FirstOrDefault(labels => fits(labels)) ?? Label(Days().Where(d => d.DayOfYear == 1));
    }

    private IEnumerable<DateOnly> Days() => Enumerable.Range(0, Count).Select(From.AddDays);

    private List<(int Slot, string Label)> Label(IEnumerable<DateOnly> days)
    {
        // The year is in the subtitle; a label names it only where a new year begins inside the range.
        var labels = new List<(int Slot, string Label)>();
        var year = From.Year;
        foreach (var day in days)
        {
            labels.Add((day.DayNumber - From.DayNumber, day.ToString(day.Year != year ? "d MMM yyyy" : "d MMM", CultureInfo.InvariantCulture)));
            year = day.Year;
        }

        return labels;
    }
}
