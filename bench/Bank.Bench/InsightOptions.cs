using System.Globalization;

namespace Bank.Bench;

/// <summary>The insight bench's command line: --db sqlite|postgres|both, --customers N, --months M, --seed S, --repeat R.</summary>
public sealed record InsightOptions(IReadOnlyList<string> Databases, int Customers, int Months, int Seed, int Repeat)
{
    public const string Usage = "Usage: Bank.Bench insight [--db sqlite|postgres|both] [--customers N] [--months M] [--seed S] [--repeat R]";

    public static InsightOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new InsightOptions(["postgres"], Customers: 100_000, Months: 6, Seed: 2026, Repeat: 20);
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            int? number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            switch (args[i])
            {
                case "--db" when value is "sqlite" or "postgres":
                    options = options with { Databases = [value] };
                    break;
                case "--db" when value is "both":
                    options = options with { Databases = ["sqlite", "postgres"] };
                    break;
                case "--customers" when number is { } c && c <= 1_000_000:
                    options = options with { Customers = c };
                    break;
                case "--months" when number is { } m && m <= 36:
                    options = options with { Months = m };
                    break;
                case "--seed" when number is { } s:
                    options = options with { Seed = s };
                    break;
                case "--repeat" when number is { } r && r <= 1_000:
                    options = options with { Repeat = r };
                    break;
                default:
                    Console.Error.WriteLine($"Unexpected argument '{args[i]}'{(value is null ? "" : $" '{value}'")}.");
                    return null;
            }

            i++;
        }

        return options;
    }
}
