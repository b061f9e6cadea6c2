namespace Bank.Bench;

/// <summary>The command line: --db sqlite|postgres|both, --seconds N, --workers N, --customers N.</summary>
public sealed record BenchOptions(IReadOnlyList<string> Databases, int Seconds, int Workers, int Customers)
{
    public const string Usage = "Usage: Bank.Bench [--db sqlite|postgres|both] [--seconds N] [--workers N] [--customers N]";

    public static BenchOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions(["sqlite", "postgres"], Seconds: 20, Workers: 32, Customers: 20);
        var read = Arguments.TryRead(args, (name, value, number) =>
        {
            switch (name)
            {
                case "--db" when Arguments.Databases(value) is { } databases:
                    options = options with { Databases = databases };
                    return true;
                case "--seconds" when number is { } s:
                    options = options with { Seconds = s };
                    return true;
                case "--workers" when number is { } w:
                    options = options with { Workers = w };
                    return true;
                case "--customers" when number is { } c && c <= 10_000:
                    options = options with { Customers = c };
                    return true;
                default:
                    return false;
            }
        });
        return read ? options : null;
    }
}
