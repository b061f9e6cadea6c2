using System.Buffers;
using System.Security.Cryptography;

namespace Bank.Core.Accounts;

/// <summary>Transaction ids: <c>TXN</c> and 12 characters from a cryptographic random source (about 62 bits).</summary>
public static class TransactionIds
{
    /// <summary>What every transaction id starts with.</summary>
    public const string Prefix = "TXN";

    /// <summary>How many random characters follow the prefix.</summary>
    public const int RandomLength = 12;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static readonly SearchValues<char> AlphabetValues = SearchValues.Create(Alphabet);

    /// <summary>A new random transaction id.</summary>
    public static string New() => Prefix + RandomNumberGenerator.GetString(Alphabet, RandomLength);

    /// <summary>Whether a text has the shape of a transaction id (so that nonsense is refused before a lookup).</summary>
    public static bool IsWellFormed(string? text) =>
        text is { Length: >= 13 and <= 32 } t && t.StartsWith(Prefix, StringComparison.Ordinal)
        && t.AsSpan(Prefix.Length).IndexOfAnyExcept(AlphabetValues) < 0;
}
