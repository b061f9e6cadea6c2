using System.Text;

namespace Bank.Web.Infrastructure;

/// <summary>
/// CSV downloads (RFC 4180, CRLF lines, UTF-8 without a byte order mark), streamed row by row; the fields are written by
/// <see cref="Core.Reports.CsvFields"/>.
/// </summary>
public static class Csv
{
    /// <summary>Whether a list was asked for as CSV: <c>format=csv</c> (for links) or <c>Accept: text/csv</c>.</summary>
    public static bool Wanted(string? format, HttpRequest request) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));

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
