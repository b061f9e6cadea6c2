using System.Globalization;
using System.Text;

namespace Bank.Web.Infrastructure;

/// <summary>
/// CSV downloads (RFC 4180, CRLF lines, UTF-8 without a byte order mark), streamed row by row. Free text is always
/// quoted and a leading =, +, - or @ is defused, so that a spreadsheet never runs a field as a formula.
/// </summary>
public static class Csv
{
    /// <summary>A free-text field: empty, or quoted with a formula start defused.</summary>
    public static string Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            text = "'" + text;
        }

        return "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>An instant as ISO 8601 UTC with milliseconds (<c>2026-11-30T18:29:00.000Z</c>); empty for none.</summary>
    public static string Time(DateTimeOffset? at) =>
        at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A CSV attachment: the header, then one line per row, written as the rows come.</summary>
    public static IResult File<T>(string fileName, string header, IAsyncEnumerable<T> rows, Func<T, string> line, CancellationToken ct) =>
        Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            await writer.WriteAsync(header + "\r\n");
            await foreach (var row in rows.WithCancellation(ct))
            {
                await writer.WriteAsync(line(row) + "\r\n");
            }
        }, "text/csv; charset=utf-8", fileName);
}
