using System.Globalization;
using Bank.Core.Money;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Bank.Core.Charts;

/// <summary>Draws the bank's charts as PNG images (ScottPlot).</summary>
/// <remarks>
/// Pure functions from data to pictures: nothing here reads the database or the clock. Every call draws on surfaces of
/// its own, so one instance serves any number of callers at once.
/// </remarks>
public sealed class ChartRenderer
{
    private const double BarWidth = 0.78;

    private readonly string font = ChartLook.FindFont();

    /// <summary>The customer's six-month chart: credits and debits per day as bars, the balance as a line, and a summary.</summary>
    public byte[] SixMonths(AccountHistory history, ChartSize size)
    {
        ArgumentNullException.ThrowIfNull(history);
        var look = ChartLook.For(size, font);
        var axis = new DayAxis(history.From, history.To);
        var days = BySlot(axis, history.Days, d => d.Day, nameof(history));
        if (days.Values.Any(d => d.CreditsPaise < 0 || d.DebitsPaise < 0))
        {
            throw new ArgumentException("A day's money in and money out are amounts (zero or more), not signed.", nameof(history));
        }

        using var picture = new Picture(look);
        picture.Heading($"{history.OwnerName} · Account {history.AccountNumber}",
            look.Narrow ? Period(axis) : $"{Period(axis)} · money in and out each day, and the balance");
        var net = history.TotalCreditsPaise - history.TotalDebitsPaise;
        Figure balance = new("Balance now", Rupees.Format(history.CurrentBalancePaise), ChartLook.Ink);
        Figure[] movements =
        [
            new("Money in", Rupees.Format(history.TotalCreditsPaise), ChartLook.Credit),
            new("Money out", Rupees.Format(history.TotalDebitsPaise), ChartLook.Debit),
            new("Net change", Signed(net), Tone(net)),
        ];
        Figure count = new("Transactions", ChartText.Count(history.TransactionCount), ChartLook.Ink);
        picture.Summary(look.Narrow ? [balance, .. movements, count] : [.. movements, balance, count]);
        picture.Legend([new("Money in", ChartLook.Credit), new("Money out", ChartLook.Debit), new(look.Narrow ? "Balance (right axis)" : "Balance at day end (right axis)", ChartLook.Balance, IsLine: true)]);

        // The bars keep to the lower part of the chart and the balance to the upper part, each on its own axis, so the
        // line never runs through the bars.
        var area = picture.ChartArea;
        // With no days, no bars and no money axis: the balance line and a plain message are the whole chart.
        var flowTicks = days.Count == 0
            ? []
            : ChartText.NiceTicks(-days.Values.Max(d => d.DebitsPaise), days.Values.Max(d => d.CreditsPaise), TickCount(look, area, 0.4), 100);
        var line = BalanceLine(history);
        var balanceTicks = BalanceTicks(line.Min(p => p.Y), line.Max(p => p.Y), TickCount(look, area, 0.42));
        var (flowLabels, balanceLabels) = (ChartText.Amounts(flowTicks), ChartText.Amounts(balanceTicks));

        using var plot = NewPlot(look, axis, area, flowLabels, balanceLabels);
        if (days.Count > 0)
        {
            Band(plot, look, plot.Axes.Left, flowTicks, flowLabels, 0.03, 0.42, grid: false);
            AddFlows(plot, days.Select(d => (d.Key, d.Value.CreditsPaise, d.Value.DebitsPaise)));
        }
        else
        {
            plot.Axes.Left.TickGenerator = new NumericManual();
            plot.Axes.Left.MinimumSize = look.Unit * 2; // room for half the first date label
        }

        // With no bars, the balance keeps clear of the middle, where the chart says so.
        Band(plot, look, plot.Axes.Right, balanceTicks, balanceLabels, days.Count == 0 ? 0.64 : 0.52, 0.97, grid: true);
        plot.Axes.Right.TickLabelStyle.ForeColor = ChartLook.Balance;
        var scatter = plot.Add.ScatterLine(line.Select(p => p.X).ToArray(), line.Select(p => p.Y).ToArray(), ChartLook.Balance);
        scatter.Axes.YAxis = plot.Axes.Right;
        scatter.LineWidth = look.LineWidth;
        scatter.ConnectStyle = ConnectStyle.StepHorizontal;
        scatter.MarkerSize = 0;
        picture.Chart(plot, days.Count == 0 ? "No transactions in these six months" : null);
        return picture.Png();
    }

    /// <summary>Staff dashboard: money in and out across all customers per day, From..To (zero days are gaps).</summary>
    public byte[] DailyFlows(IReadOnlyList<DailyFlow> days, DateOnly from, DateOnly to, ChartSize size)
    {
        ArgumentNullException.ThrowIfNull(days);
        var look = ChartLook.For(size, font);
        var axis = new DayAxis(from, to);
        var bySlot = BySlot(axis, days, d => d.Day, nameof(days));
        if (bySlot.Values.Any(d => d.CreditsPaise < 0 || d.DebitsPaise < 0))
        {
            throw new ArgumentException("Money in and money out are amounts (zero or more), not signed.", nameof(days));
        }

        long credits = bySlot.Values.Sum(d => d.CreditsPaise), debits = bySlot.Values.Sum(d => d.DebitsPaise);
        using var picture = new Picture(look);
        picture.Heading("Money in and out per day", $"{Period(axis)} · all customers");
        picture.Summary(
        [
            new("Money in", Rupees.Format(credits), ChartLook.Credit),
            new("Money out", Rupees.Format(debits), ChartLook.Debit),
            new("Net", Signed(credits - debits), Tone(credits - debits)),
        ]);
        picture.Legend([new("Money in", ChartLook.Credit), new("Money out", ChartLook.Debit)]);

        var area = picture.ChartArea;
        var moved = credits > 0 || debits > 0;
        var ticks = moved
            ? ChartText.NiceTicks(-bySlot.Values.Max(d => d.DebitsPaise), bySlot.Values.Max(d => d.CreditsPaise), TickCount(look, area, 0.9), 100)
            : [0];
        var labels = ChartText.Amounts(ticks);
        using var plot = NewPlot(look, axis, area, labels, rightLabels: null);
        Band(plot, look, plot.Axes.Left, ticks, labels, 0.04, 0.96, grid: false);
        AddFlows(plot, bySlot.Select(d => (d.Key, d.Value.CreditsPaise, d.Value.DebitsPaise)));
        picture.Chart(plot, moved ? null : $"No money moved in these {axis.Count} days");
        return picture.Png();
    }

    /// <summary>Staff dashboard: how many times something happened per day, From..To (sign-ins per day).</summary>
    public byte[] DailyCounts(string title, IReadOnlyList<DailyCount> days, DateOnly from, DateOnly to, ChartSize size)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(days);
        var look = ChartLook.For(size, font);
        var axis = new DayAxis(from, to);
        var bySlot = BySlot(axis, days, d => d.Day, nameof(days));
        if (bySlot.Values.Any(d => d.Count < 0))
        {
            throw new ArgumentException("A day's count cannot be negative.", nameof(days));
        }

        var total = bySlot.Values.Sum(d => (long)d.Count);
        var busiest = bySlot.Values.Where(d => d.Count > 0).OrderByDescending(d => d.Count).ThenBy(d => d.Day).FirstOrDefault();
        using var picture = new Picture(look);
        picture.Heading(title, Period(axis));
        picture.Summary(
        [
            new("Total", ChartText.Count(total), ChartLook.Ink),
            new("Average per day", ChartText.Average(total, axis.Count), ChartLook.Ink),
            new("Busiest day", busiest is null ? "none" : $"{ChartText.Count(busiest.Count)} on {DayMonth(busiest.Day)}", ChartLook.Ink),
        ]);

        var area = picture.ChartArea;
        var ticks = total > 0 ? ChartText.NiceTicks(0, bySlot.Values.Max(d => d.Count), TickCount(look, area, 0.9), 1) : [0];
        var labels = ticks.Select(ChartText.Count).ToArray();
        using var plot = NewPlot(look, axis, area, labels, rightLabels: null);
        Band(plot, look, plot.Axes.Left, ticks, labels, 0.02, 0.96, grid: false);
        Bar[] bars = [.. bySlot.Where(d => d.Value.Count > 0).Select(d => Bar(d.Key, d.Value.Count, ChartLook.Count))];
        plot.Add.Bars(bars);
        plot.Add.HorizontalLine(0, 1, ChartLook.Rule);
        picture.Chart(plot, total == 0 ? $"None in these {axis.Count} days" : null);
        return picture.Png();
    }

    private static Dictionary<int, T> BySlot<T>(DayAxis axis, IReadOnlyList<T> items, Func<T, DateOnly> dayOf, string parameter)
    {
        var bySlot = new Dictionary<int, T>();
        foreach (var item in items)
        {
            if (!bySlot.TryAdd(axis.SlotOf(dayOf(item), parameter), item))
            {
                throw new ArgumentException($"{dayOf(item):yyyy-MM-dd} appears twice.", parameter);
            }
        }

        return bySlot;
    }

    /// <summary>The balance at the end of each day, quiet days carrying the day before's, starting from the opening balance.</summary>
    internal static List<(double X, double Y)> BalanceLine(AccountHistory history)
    {
        var axis = new DayAxis(history.From, history.To);
        var days = BySlot(axis, history.Days, d => d.Day, nameof(history));
        // Each point is the end of a day (slot + ½); the step holds a balance until the end of the day that changed it.
        var line = new List<(double X, double Y)>(axis.Count + 1) { (-0.5, history.OpeningBalancePaise) };
        var balance = history.OpeningBalancePaise;
        for (var slot = 0; slot < axis.Count; slot++)
        {
            if (days.TryGetValue(slot, out var day))
            {
                balance = day.BalancePaise;
            }

            line.Add((slot + 0.5, balance));
        }

        return line;
    }

    /// <summary>Balance ticks: from zero when the balance stays well above it, and some room around a balance that never moved.</summary>
    private static double[] BalanceTicks(double low, double high, int count)
    {
        if (low >= 0 && low <= high / 2)
        {
            low = 0;
        }

        if (high - low < 100)
        {
            var room = Math.Max(Math.Abs(high) * 0.25, 1000_00);
            (low, high) = (low >= 0 ? Math.Max(0, low - room) : low - room, high + room);
        }

        return ChartText.NiceTicks(low, high, count, 100);
    }

    private static void AddFlows(Plot plot, IEnumerable<(int Slot, long Credits, long Debits)> days)
    {
        var list = days.ToList();
        Bar[] bars =
        [
            .. list.Where(d => d.Credits > 0).Select(d => Bar(d.Slot, d.Credits, ChartLook.Credit)),
            .. list.Where(d => d.Debits > 0).Select(d => Bar(d.Slot, -d.Debits, ChartLook.Debit)),
        ];
        plot.Add.Bars(bars);
        plot.Add.HorizontalLine(0, 1, ChartLook.Rule);
    }

    private static Plot NewPlot(ChartLook look, DayAxis axis, (int Width, int Height) area, string[] leftLabels, string[]? rightLabels)
    {
        var plot = new Plot();
        plot.Font.Set(look.Font);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.XAxisStyle.IsVisible = false;
        plot.Grid.YAxisStyle.MajorLineStyle.Color = ChartLook.GridLine;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 1;
        foreach (var each in plot.Axes.GetAxes())
        {
            each.TickLabelStyle.FontSize = look.TickSize;
            each.TickLabelStyle.ForeColor = ChartLook.Muted;
            each.FrameLineStyle.Color = ChartLook.Rule;
            each.MajorTickStyle.Color = ChartLook.Rule;
            each.MinorTickStyle.Length = 0;
        }

        plot.Axes.Top.FrameLineStyle.Width = 0;
        if (rightLabels is null)
        {
            plot.Axes.Right.FrameLineStyle.Width = 0;
        }

        // The finest date labels with a space of about a letter between neighbours.
        var side = look.Unit * 2;
        var perDay = (area.Width - Widest(look, leftLabels) - side - (rightLabels is null ? side : Widest(look, rightLabels) + side)) / axis.Count;
        var labels = new NumericManual();
        foreach (var (slot, label) in axis.Labels(Fits))
        {
            labels.AddMajor(slot, label);
        }

        plot.Axes.Bottom.TickGenerator = labels;
        plot.Axes.SetLimitsX(-0.5, axis.Count - 0.5);
        return plot;

        bool Fits(IReadOnlyList<(int Slot, string Label)> candidates) =>
            candidates.Zip(candidates.Skip(1)).All(pair =>
                (pair.Second.Slot - pair.First.Slot) * perDay >=
                (look.Measure(pair.First.Label, look.TickSize, bold: false) + look.Measure(pair.Second.Label, look.TickSize, bold: false)) / 2 + look.Unit);
    }

    private static float Widest(ChartLook look, string[] labels) => labels.Select(l => look.Measure(l, look.TickSize, bold: false)).DefaultIfEmpty().Max();

    /// <summary>
    /// Puts <paramref name="ticks"/> on <paramref name="yAxis"/> so that the first and last lie at the fractions
    /// <paramref name="from"/> and <paramref name="to"/> of the data area's height; with <paramref name="grid"/>, grid
    /// lines across that band only (the plot's own grid follows the left axis).
    /// </summary>
    private static void Band(Plot plot, ChartLook look, IYAxis yAxis, double[] ticks, string[] labels, double from, double to, bool grid)
    {
        var (low, high) = (ticks[0], ticks[^1]);
        double span, bottom;
        if (high > low)
        {
            span = (high - low) / (to - from);
            bottom = low - from * span;
        }
        else
        {
            // One tick (nothing to show): it sits in the middle of the band.
            span = 1 / (to - from);
            bottom = low - (from + to) / 2 * span;
        }

        plot.Axes.SetLimitsY(bottom, bottom + span, yAxis);
        yAxis.TickGenerator = new NumericManual(ticks, labels);
        yAxis.MinimumSize = Widest(look, labels) + look.Unit * 2;
        if (grid)
        {
            foreach (var tick in ticks)
            {
                var rule = plot.Add.HorizontalLine(tick, 1, ChartLook.GridLine);
                rule.Axes.YAxis = yAxis;
            }
        }
    }

    private static Bar Bar(int slot, double value, Color color) =>
        new() { Position = slot, Value = value, ValueBase = 0, Size = BarWidth, FillColor = color, LineWidth = 0 };

    /// <summary>How many amount ticks fit a band that is <paramref name="share"/> of the chart's height, about three lines of type apart.</summary>
    private static int TickCount(ChartLook look, (int Width, int Height) area, double share) =>
        Math.Max(2, (int)((area.Height - look.Unit * 3) * share / (look.TickSize * 2.6)));

    private static string Period(DayAxis axis) =>
        $"{axis.From.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} – {axis.To.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    private static string DayMonth(DateOnly day) => day.ToString("d MMM", CultureInfo.InvariantCulture);

    private static Color Tone(long net) => net > 0 ? ChartLook.Credit : net < 0 ? ChartLook.Debit : ChartLook.Ink;

    private static string Signed(long paise) => paise > 0 ? "+" + Rupees.Format(paise) : Rupees.Format(paise);
}
