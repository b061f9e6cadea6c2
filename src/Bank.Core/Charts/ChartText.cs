using System.Globalization;
using Bank.Core.Money;

namespace Bank.Core.Charts;

/// <summary>
/// Numbers as the charts write them: "nice" tick steps (1, 2, 2.5, 5 × 10ⁿ), amounts short enough for an axis, counts
/// with en-IN grouping. Amounts anywhere else in a chart are written in full by <see cref="Rupees.Format(long)"/>.
/// </summary>
internal static class ChartText
{
    private static readonly CultureInfo India = CultureInfo.GetCultureInfo("en-IN");
    private const decimal Lakh = 1_00_000m;
    private const decimal Crore = 1_00_00_000m;

    /// <summary>Evenly spaced round values covering low..high in about <paramref name="count"/> steps, never finer than <paramref name="finest"/>.</summary>
    public static double[] NiceTicks(double low, double high, int count, double finest)
    {
        if (high < low)
        {
            (low, high) = (high, low);
        }

        var step = NiceStep((high - low) / Math.Max(count, 1), finest);
        var first = Math.Floor(low / step);
        var last = Math.Ceiling(high / step);
        if (last <= first)
        {
            last = first + 1;
        }

        return [.. Enumerable.Range(0, (int)(last - first) + 1).Select(i => (first + i) * step)];
    }

    private static double NiceStep(double rough, double finest)
    {
        if (!(rough > finest))
        {
            return finest;
        }

        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var factor in (double[])[1, 2, 2.5, 5, 10])
        {
            if (factor * power >= rough)
            {
                return factor * power;
            }
        }

        return 10 * power;
    }

    /// <summary>
    /// Labels for amount ticks (in paise) in one unit for the whole axis, chosen by its largest tick: up to a lakh in rupees
    /// (₹25,000, ₹1,00,000), then in lakhs (₹1.5L), from a crore in crores (₹2.25Cr). Where the step is too fine for two
    /// decimals of that unit, whole rupees in full.
    /// </summary>
    public static string[] Amounts(double[] ticks)
    {
        var rupees = ticks.Select(t => Rupees.FromPaise((long)Math.Round(t))).ToArray();
        var largest = rupees.Select(Math.Abs).DefaultIfEmpty().Max();
        var (unit, suffix) = largest >= Crore ? (Crore, "Cr") : largest > Lakh ? (Lakh, "L") : (1m, "");
        var fine = rupees.Zip(rupees.Skip(1), (a, b) => b - a).Any(step => decimal.Round(step / unit, 2) != step / unit);
        if (fine)
        {
            (unit, suffix) = (1m, "");
        }

        return [.. rupees.Select(r => r == 0 ? "₹0" : $"{(r < 0 ? "-" : "")}₹{(Math.Abs(r) / unit).ToString("#,##0.##", India)}{suffix}")];
    }

    /// <summary>A count with en-IN grouping (1,23,456).</summary>
    public static string Count(double value) => ((long)Math.Round(value)).ToString("#,##0", India);

    /// <summary>A count per day to one decimal, with en-IN grouping (1,234.5).</summary>
    public static string Average(long total, int days) => (total / (decimal)days).ToString("#,##0.#", India);
}
