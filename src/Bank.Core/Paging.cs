using System.Buffers.Text;
using System.Text.Json;

namespace Bank.Core;

/// <summary>The paging half of every list query: where the previous page ended, and how many lines to show.</summary>
public interface IPageQuery
{
    /// <summary>The opaque <see cref="Page{T}.NextCursor"/> of the previous page; empty for the first page.</summary>
    string? Cursor { get; }

    /// <summary>How many items a page holds (default <see cref="Paging.DefaultLimit"/>, at most <see cref="Paging.MaxLimit"/>).</summary>
    int? Limit { get; }
}

/// <summary>One page of a list, with the opaque cursor of the next page (null on the last).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Keyset paging, the same for every list: one default and one maximum limit, one message for each mistake, and
/// cursors that are base64url text naming the list they belong to and the sort key of the last row shown (never an
/// offset). A list reads its <see cref="PageWindow{TKey}"/>, filters <c>WHERE key &lt; after</c> in SQL, fetches
/// <see cref="PageWindow{TKey}.Fetch"/> rows and turns them into a <see cref="Page{T}"/>.
/// </summary>
public static class Paging
{
    /// <summary>Items on a page when the query names no limit.</summary>
    public const int DefaultLimit = 25;

    /// <summary>The largest page a query may ask for.</summary>
    public const int MaxLimit = 200;

    /// <summary>The error on <c>limit</c> outside 1 to <see cref="MaxLimit"/>.</summary>
    public static string LimitRule { get; } = $"Must be between 1 and {MaxLimit}.";

    /// <summary>The error on a <c>cursor</c> this list did not write.</summary>
    public const string CursorRule = "Is not a cursor returned by this list.";

    /// <summary>
    /// The limit and the position after which the page starts. <paramref name="list"/> names the list (and its sort), so that
    /// a cursor of another list, or of another sort, is refused. Mistakes are added to <paramref name="errors"/>.
    /// </summary>
    public static PageWindow<TKey> Window<TKey>(this IPageQuery query, string list, FieldErrors errors)
        where TKey : class
    {
        var limit = query.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", LimitRule);
            limit = DefaultLimit;
        }

        TKey? after = null;
        if (!string.IsNullOrEmpty(query.Cursor))
        {
            after = Decode<TKey>(query.Cursor, list);
            if (after is null)
            {
                errors.Add("cursor", CursorRule);
            }
        }

        return new PageWindow<TKey>(list, limit, after);
    }

    internal static string Encode<TKey>(string list, TKey key) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new CursorText<TKey>(list, key), Json));

    private static TKey? Decode<TKey>(string text, string list)
        where TKey : class
    {
        try
        {
            var cursor = JsonSerializer.Deserialize<CursorText<TKey>>(Base64Url.DecodeFromChars(text), Json);
            return cursor is not null && cursor.List == list ? cursor.Key : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General) { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    private sealed record CursorText<TKey>(string List, TKey Key);
}

/// <summary>Where one page of a list starts and how long it is; makes the <see cref="Page{T}"/> from the rows fetched.</summary>
/// <typeparam name="TKey">The sort key of a row (a record such as <c>(DateTimeOffset At, long Id)</c>).</typeparam>
public sealed class PageWindow<TKey>
    where TKey : class
{
    private readonly string _list;

    internal PageWindow(string list, int limit, TKey? after)
    {
        _list = list;
        Limit = limit;
        After = after;
    }

    /// <summary>How many items the page shows.</summary>
    public int Limit { get; }

    /// <summary>The key of the last row of the previous page; null on the first page.</summary>
    public TKey? After { get; }

    /// <summary>How many rows to fetch: one more than the page shows, to learn whether another page follows.</summary>
    public int Fetch => Limit + 1;

    /// <summary>The page made of up to <see cref="Fetch"/> rows in list order, with the cursor of the next page when there is one.</summary>
    public Page<TItem> ToPage<TRow, TItem>(IReadOnlyList<TRow> rows, Func<TRow, TKey> keyOf, Func<TRow, TItem> item)
    {
        var shown = rows.Take(Limit).Select(item).ToList();
        var next = rows.Count > Limit ? Paging.Encode(_list, keyOf(rows[Limit - 1])) : null;
        return new Page<TItem>(shown, next);
    }
}
