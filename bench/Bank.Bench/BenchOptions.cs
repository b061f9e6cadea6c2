using System.Globalization;

namespace Bank.Bench;

/// <summary>The command line: --db sqlite|postgres|both, --seconds N, --workers N, --customers N.</summary>
public sealed record BenchOptions(IReadOnlyList<string> Databases, int Seconds, int Workers, int Customers)
{
    public const string Usage = "Usage: Bank.Bench [--db sqlite|postgres|both] [--seconds N] [--workers N] [--customers N]";

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions(["sqlite", "postgres"], Seconds: 20, Workers: 32, Customers: 20);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            int? number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            switch (args[i])
            {
                case "--db" when value is "sqlite" or "postgres":
                    options = options with { Databases = [value] };
                    break;
                case "--db" when value is "both":
                    options = options with { Databases = ["sqlite", "postgres"] };
                    break;
                case "--seconds" when number is { } s:
                    options = options with { Seconds = s };
                    break;
                case "--workers" when number is { } w:
                    options = options with { Workers = w };
                    break;
                case "--customers" when number is { } c && c <= 10_000:
                    options = options with { Customers = c };
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
