namespace Bank.Bench;

/// <summary>The insight bench's command line: --db sqlite|postgres|both, --customers N, --months M, --seed S, --repeat R.</summary>
public sealed record InsightOptions(IReadOnlyList<string> Databases, int Customers, int Months, int Seed, int Repeat)
{
    public const string Usage = "Usage: Bank.Bench insight [--db sqlite|postgres|both] [--customers N] [--months M] [--seed S] [--repeat R]";

    public static InsightOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new InsightOptions(["postgres"], Customers: 100_000, Months: 6, Seed: 2026, Repeat: 20);
        var read = Arguments.TryRead(args, (name, value, number) =>
        {
            switch (name)
            {
                case "--db" when Arguments.Databases(value) is { } databases:
                    options = options with { Databases = databases };
                    return true;
                case "--customers" when number is { } c && c <= 1_000_000:
                    options = options with { Customers = c };
                    return true;
                case "--months" when number is { } m && m <= 36:
                    options = options with { Months = m };
                    return true;
                case "--seed" when number is { } s:
                    options = options with { Seed = s };
                    return true;
                case "--repeat" when number is { } r && r <= 1_000:
                    options = options with { Repeat = r };
                    return true;
                default:
                    return false;
            }
        });
        return read ? options : null;
    }
}
