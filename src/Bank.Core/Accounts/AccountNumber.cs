namespace Bank.Core.Accounts;

/// <summary>
/// Account numbers: 11 digits from a counter plus a Verhoeff check digit, which catches every
/// single-digit error and every transposition of adjacent digits (Luhn misses 09↔90).
/// </summary>
public static class AccountNumber
{
    public const int Length = 12;

    /// <summary>The first 11-digit body handed out; the counter continues from here.</summary>
    public const long FirstBody = 50010000001;

    private static readonly int[,] Multiplication =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
        { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
        { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 },
        { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly int[,] Permutation =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
        { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
        { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 },
        { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly int[] Inverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

    /// <summary>The full account number for an 11-digit body.</summary>
    public static string FromBody(long body)
    {
        var digits = body.ToString("D11", System.Globalization.CultureInfo.InvariantCulture);
        if (digits.Length != Length - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(body), "An account number body has 11 digits.");
        }

        return digits + CheckDigit(digits);
    }

    /// <summary>The Verhoeff check digit for a string of digits.</summary>
    public static char CheckDigit(string digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i] - '0';
            c = Multiplication[c, Permutation[(i + 1) % 8, digit]];
        }

        return (char)('0' + Inverse[c]);
    }

    /// <summary>Whether the text is 12 digits whose last is the check digit of the other eleven.</summary>
    public static bool IsValid(string? text) =>
        text is { Length: Length } && text.All(char.IsAsciiDigit) && CheckDigit(text[..^1]) == text[^1];
}
