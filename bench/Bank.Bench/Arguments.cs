using System.Globalization;

namespace Bank.Bench;

/// <summary>The benches' command lines: pairs of <c>--name value</c>, each taken by the caller's rule or refused with a message.</summary>
public static class Arguments
{
    /// <summary>
    /// Hands each name to <paramref name="take"/> with its value and, when the value is a positive whole number, that
    /// number; false (after saying which) when a rule refuses one.
    /// </summary>
    public static bool TryRead(IReadOnlyList<string> args, Func<string, string?, int?, bool> take)
    {
        for (var i = 0; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            int? number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
            if (!take(args[i], value, number))
            {
                Console.Error.WriteLine($"Unexpected argument '{args[i]}'{(value is null ? "" : $" '{value}'")}.");
                return false;
            }
        }

        return true;
    }

    /// <summary>The databases a <c>--db</c> value names: sqlite, postgres or both; null for anything else.</summary>
    public static IReadOnlyList<string>? Databases(string? value) => value switch
    {
        "sqlite" or "postgres" => [value],
        "both" => ["sqlite", "postgres"],
        _ => null,
    };
}
