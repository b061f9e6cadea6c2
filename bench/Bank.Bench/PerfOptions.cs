namespace Bank.Bench;

/// <summary>
/// The benchmark's command line: <c>--db sqlite|postgres|both</c>, <c>--scenario NAME[,NAME…]</c>, <c>--seconds N</c>,
/// <c>--clients K</c>, <c>--customers N</c>, <c>--big-customers N</c>, <c>--months M</c>, <c>--deep-entries N</c>,
/// <c>--json PATH</c>.
/// </summary>
public sealed record PerfOptions(
    IReadOnlyList<string> Databases,
    IReadOnlyList<string> Scenarios,
    int Seconds,
    int Clients,
    int Customers,
    int BigCustomers,
    int Months,
    int DeepEntries,
    string? Json)
{
    /// <summary>Every scenario, in the order they run.</summary>
    public static readonly string[] All = ["debit", "transfer", "hot", "balance", "statement", "dashboard", "seed"];

    /// <summary>The scenarios that share the small bank (customers signed in, money moved).</summary>
    public static readonly string[] Money = ["debit", "transfer", "hot", "balance"];

    /// <summary>The scenarios that share the big bank (about a million transactions at the defaults).</summary>
    public static readonly string[] Big = ["statement", "dashboard", "seed"];

    public const string Usage =
        "Usage: Bank.Bench [--db sqlite|postgres|both] [--scenario NAME[,NAME…]] [--seconds N] [--clients K] [--customers N]\n"
        + "                  [--big-customers N] [--months M] [--deep-entries N] [--json PATH]\n"
        + "  scenarios: " + "debit, transfer, hot, balance, statement, dashboard, seed (default: all)\n"
        + "  defaults: --db both --seconds 20 --clients 32 --customers 10000 --big-customers 100000 --months 6 --deep-entries 1000";

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    /// <summary>The options, or null after printing which option broke which rule.</summary>
    public static PerfOptions? Parse(IReadOnlyList<string> args)
    {
        var options = new PerfOptions(["sqlite", "postgres"], All, Seconds: 20, Clients: 32, Customers: 10_000, BigCustomers: 100_000, Months: 6, DeepEntries: 1_000, Json: null);
        string? mistake = null;
        var read = Arguments.TryRead(args, (name, value, number) =>
        {
            switch (name)
            {
                case "--db" when Arguments.Databases(value) is { } databases:
                    options = options with { Databases = databases };
                    return true;
                case "--db":
                    mistake = "--db takes sqlite, postgres or both.";
                    return false;
                case "--scenario" when value is not null:
                    var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (names.Length == 0 || names.FirstOrDefault(n => !All.Contains(n)) is { } unknown)
                    {
                        mistake = $"--scenario takes names from: {string.Join(", ", All)} (comma-separated); '{value}' is not.";
                        return false;
                    }

                    options = options with { Scenarios = [.. All.Where(names.Contains)] };
                    return true;
                case "--seconds" when number is { } s && s <= 3_600:
                    options = options with { Seconds = s };
                    return true;
                case "--clients" when number is { } k && k <= 1_000:
                    options = options with { Clients = k };
                    return true;
                case "--customers" when number is { } c && c is >= 20 and <= 1_000_000:
                    options = options with { Customers = c };
                    return true;
                case "--big-customers" when number is { } b && b is >= 20 and <= 1_000_000:
                    options = options with { BigCustomers = b };
                    return true;
                case "--months" when number is { } m && m <= 36:
                    options = options with { Months = m };
                    return true;
                case "--deep-entries" when number is { } d && d is >= 100 and <= 1_000_000:
                    options = options with { DeepEntries = d };
                    return true;
                case "--json" when !string.IsNullOrWhiteSpace(value):
                    options = options with { Json = value };
                    return true;
                default:
                    mistake = name switch
                    {
                        "--seconds" => "--seconds takes a whole number of seconds from 1 to 3600.",
                        "--clients" => "--clients takes a whole number from 1 to 1000.",
                        "--customers" or "--big-customers" => $"{name} takes a whole number from 20 to 1000000.",
                        "--months" => "--months takes a whole number from 1 to 36.",
                        "--deep-entries" => "--deep-entries takes a whole number from 100 to 1000000.",
                        "--json" => "--json takes a file path.",
                        "--scenario" => $"--scenario takes names from: {string.Join(", ", All)}.",
                        _ => null,
                    };
                    return false;
            }
        });
        if (!read && mistake is not null)
        {
            Console.Error.WriteLine(mistake);
        }

        return read ? options : null;
    }
}
