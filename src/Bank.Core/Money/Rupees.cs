using System.Globalization;

namespace Bank.Core.Money;

/// <summary>
/// Rupee amounts at the edges (<see cref="decimal"/>, at most two decimals) and paise inside (<see cref="long"/>).
/// There is no floating point anywhere on the way.
/// </summary>
public static class Rupees
{
    /// <summary>Paise in one rupee.</summary>
    public const int PaisePerRupee = 100;

    private static readonly CultureInfo India = CultureInfo.GetCultureInfo("en-IN");

    /// <summary>The paise of a positive rupee amount with at most two decimals, or why it is not one.</summary>
    public static bool TryToPaise(decimal rupees, out long paise, out string? problem)
    {
        paise = 0;
        if (rupees <= 0)
        {
            problem = "Must be more than zero.";
            return false;
        }

        if (decimal.Round(rupees, 2) != rupees)
        {
            problem = "Must have at most two decimal places (whole paise).";
            return false;
        }

        if (rupees > long.MaxValue / PaisePerRupee)
        {
            problem = "Is far too large.";
            return false;
        }

        paise = (long)(rupees * PaisePerRupee);
        problem = null;
        return true;
    }

    /// <summary>Rupees with exactly two decimals (scale 2), so that 1000.10 is written as 1000.10, not 1000.1.</summary>
    public static decimal FromPaise(long paise)
    {
        var magnitude = paise == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(paise);
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, paise < 0, 2);
    }

    /// <summary>
    /// The paise of an amount typed by a person, or why it is not one (the field error a form shows): digits with an
    /// optional decimal point, Indian digit grouping ("1,500.50") and a leading ₹ allowed; then as <see cref="TryToPaise"/>.
    /// </summary>
    public static bool TryParseTyped(string? text, out long paise, out string? problem)
    {
        if (!TryReadTyped(text, out var rupees))
        {
            paise = 0;
            problem = "Must be an amount in rupees, for example 1500.50.";
            return false;
        }

        return TryToPaise(rupees, out paise, out problem);
    }

    private static bool TryReadTyped(string? text, out decimal rupees)
    {
        rupees = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var cleaned = text.Trim().TrimStart('₹').Replace(",", "", StringComparison.Ordinal).Trim();
        return cleaned.Length is > 0 and <= 30
            && decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out rupees);
    }

    /// <summary>₹ with Indian digit grouping, for example ₹10,00,000.00.</summary>
    public static string Format(long paise) => FromPaise(paise).ToString("C2", India);

    /// <summary>₹ with Indian digit grouping, for an amount already in rupees.</summary>
    public static string Format(decimal rupees) => rupees.ToString("C2", India);

    /// <summary>An amount with a dot and two decimals, no grouping (CSV, logs).</summary>
    public static string Plain(long paise) => FromPaise(paise).ToString("0.00", CultureInfo.InvariantCulture);
}
