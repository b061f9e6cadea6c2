using System.Text;

namespace Bank.Core;

/// <summary>
/// Free text that people typed, made storable as it is kept for the record (a typed User ID, a user agent): PostgreSQL
/// refuses the NUL character and Npgsql refuses half a surrogate pair, so neither may reach the database.
/// </summary>
public static class StoredText
{
    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="maxLength"/> characters without splitting a surrogate pair,
    /// with NUL characters and lone surrogates replaced by U+FFFD (anything else is kept as typed).
    /// </summary>
    public static string Clip(string text, int maxLength)
    {
        var clipped = new StringBuilder(Math.Min(text.Length, maxLength));
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (clipped.Length + (pair ? 2 : 1) > maxLength)
            {
                break;
            }

            if (pair)
            {
                clipped.Append(c).Append(text[++i]);
            }
            else
            {
                clipped.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return clipped.ToString();
    }
}
