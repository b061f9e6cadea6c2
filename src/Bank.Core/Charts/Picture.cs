using ScottPlot;
using SkiaSharp;

namespace Bank.Core.Charts;

/// <summary>One summary figure: what it is and its value.</summary>
internal readonly record struct Figure(string Label, string Value, Color Color);

/// <summary>One entry of a legend: a square swatch (bars) or a short line (a line).</summary>
internal readonly record struct Key(string Label, Color Color, bool IsLine = false);

/// <summary>
/// A picture built top-down: a heading, the summary figures, a legend, then a ScottPlot chart filling the rest.
/// ScottPlot lays out only the chart, so the summary never sits on top of the data.
/// </summary>
internal sealed class Picture : IDisposable
{
    private readonly ChartLook look;
    private readonly SKSurface surface;
    private float top;

    public Picture(ChartLook look)
    {
        this.look = look;
        surface = SKSurface.Create(new SKImageInfo(look.Width, look.Height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Could not make a {look.Width}×{look.Height} drawing surface.");
        Canvas.Clear(SKColors.White);
        top = look.Margin;
    }

    private SKCanvas Canvas => surface.Canvas;

    private float Left => look.Margin;

    private float Right => look.Width - look.Margin;

    public void Heading(string title, string subtitle)
    {
        top += Text(title, Left, top, Right - Left, look.TitleSize, bold: true, ChartLook.Ink);
        top += look.Unit * 0.3f;
        top += Text(subtitle, Left, top, Right - Left, look.SubtitleSize, bold: false, ChartLook.Muted);
        top += look.Gap * 1.4f;
    }

    /// <summary>The summary: a row of tiles (label over value) on a wide picture, a list (label left, value right) on a narrow one.</summary>
    public void Summary(IReadOnlyList<Figure> figures)
    {
        if (look.Narrow)
        {
            SummaryList(figures);
        }
        else
        {
            SummaryTiles(figures);
        }

        top += look.Gap * 1.3f;
    }

    private void SummaryTiles(IReadOnlyList<Figure> figures)
    {
        var gap = look.Gap;
        var width = (Right - Left - gap * (figures.Count - 1)) / figures.Count;
        var padding = look.Unit * 0.6f;
        var height = padding * 2 + look.TileLabelSize * 1.25f + look.Unit * 0.25f + look.TileValueSize * 1.25f;
        for (var i = 0; i < figures.Count; i++)
        {
            var x = Left + i * (width + gap);
            Box(x, top, width, height);
            var y = top + padding;
            y += Text(figures[i].Label, x + padding, y, width - padding * 2, look.TileLabelSize, bold: false, ChartLook.Muted);
            y += look.Unit * 0.25f;
            Text(figures[i].Value, x + padding, y, width - padding * 2, look.TileValueSize, bold: true, figures[i].Color);
        }

        top += height;
    }

    private void SummaryList(IReadOnlyList<Figure> figures)
    {
        var padding = look.Unit * 0.7f;
        var row = look.Unit * 1.75f;
        var labelSize = look.TileLabelSize * 1.05f;
        var valueSize = look.TileValueSize * 0.85f;
        Box(Left, top, Right - Left, padding * 2 + row * figures.Count);
        using var rule = new SKPaint { Color = ChartLook.GridLine.ToSKColor(), StrokeWidth = 1 };
        var y = top + padding;
        for (var i = 0; i < figures.Count; i++)
        {
            if (i > 0)
            {
                Canvas.DrawLine(Left + padding, y, Right - padding, y, rule);
            }

            var inner = Right - Left - padding * 2;
            var valueWidth = Math.Min(look.Measure(figures[i].Value, valueSize, bold: true), inner * 0.62f);
            Text(figures[i].Label, Left + padding, y + (row - labelSize * 1.25f) / 2, inner - valueWidth - look.Unit, labelSize, bold: false, ChartLook.Muted);
            Text(figures[i].Value, Right - padding - valueWidth, y + (row - valueSize * 1.25f) / 2, valueWidth, valueSize, bold: true, figures[i].Color);
            y += row;
        }

        top += padding * 2 + row * figures.Count;
    }

    /// <summary>A legend in one row (wrapping if it must), above the chart.</summary>
    public void Legend(IReadOnlyList<Key> keys)
    {
        var size = look.LegendSize;
        var swatch = size * 0.8f;
        var x = Left;
        foreach (var key in keys)
        {
            var width = swatch * 1.9f + look.Measure(key.Label, size, bold: false) + look.Unit * 1.6f;
            if (x > Left && x + width > Right)
            {
                x = Left;
                top += size * 1.6f;
            }

            using (var paint = new SKPaint { Color = key.Color.ToSKColor(), IsAntialias = true })
            {
                var middle = top + size * 0.62f;
                if (key.IsLine)
                {
                    paint.StrokeWidth = look.LineWidth;
                    paint.IsStroke = true;
                    Canvas.DrawLine(x, middle, x + swatch * 1.6f, middle, paint);
                }
                else
                {
                    Canvas.DrawRect(x + swatch * 0.3f, middle - swatch / 2, swatch, swatch, paint);
                }
            }

            Text(key.Label, x + swatch * 1.9f, top, Right - x - swatch * 1.9f, size, bold: false, ChartLook.Ink);
            x += width;
        }

        top += size * 1.6f;
    }

    /// <summary>The space the chart gets: the rest of the picture.</summary>
    public (int Width, int Height) ChartArea => (look.Width - 2 * Inset, look.Height - Inset - (int)top);

    private int Inset => (int)(look.Margin * 0.4f);

    /// <summary>The chart in the rest of the picture; with a message, that message in a box in the middle of its data area.</summary>
    public void Chart(Plot plot, string? message = null)
    {
        // ScottPlot clears the canvas it is given, so it draws on a surface of its own, placed below the heading.
        var (width, height) = ChartArea;
        using var chart = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Could not make the chart's drawing surface.");
        plot.Render(chart);
        Canvas.DrawSurface(chart, Inset, (int)top);
        if (message is not null)
        {
            var data = plot.LastRender.DataRect;
            Message(message, Inset + data.HorizontalCenter, top + data.VerticalCenter, data.Width * 0.9f);
        }
    }

    private void Message(string text, float centerX, float centerY, float most)
    {
        var size = look.MessageSize;
        var padding = look.Unit * 0.9f;
        var width = Math.Min(look.Measure(text, size, bold: false), most - padding * 2);
        var box = new SKRect(centerX - width / 2 - padding, centerY - size * 0.625f - padding, centerX + width / 2 + padding, centerY + size * 0.625f + padding);
        using (var fill = new SKPaint { Color = SKColors.White, IsAntialias = true })
        using (var border = new SKPaint { Color = ChartLook.Rule.ToSKColor(), IsAntialias = true, IsStroke = true, StrokeWidth = Math.Max(1, look.Unit / 12) })
        {
            Canvas.DrawRoundRect(box, look.Unit * 0.4f, look.Unit * 0.4f, fill);
            Canvas.DrawRoundRect(box, look.Unit * 0.4f, look.Unit * 0.4f, border);
        }

        Text(text, box.Left + padding, box.Top + padding, width, size, bold: false, ChartLook.Ink, centered: true);
    }

    public byte[] Png()
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose() => surface.Dispose();

    private void Box(float x, float y, float width, float height)
    {
        using var fill = new SKPaint { Color = ChartLook.TileFill.ToSKColor(), IsAntialias = true };
        Canvas.DrawRoundRect(new SKRect(x, y, x + width, y + height), look.Unit * 0.4f, look.Unit * 0.4f, fill);
    }

    /// <summary>
    /// Draws one line of text with its top at <paramref name="y"/> (from <paramref name="x"/>, or centred in the width), shrinking it (to 70%) and then shortening it with "…"
    /// until it fits <paramref name="width"/>; returns the height of the line.
    /// </summary>
    private float Text(string text, float x, float y, float width, float size, bool bold, Color color, bool centered = false)
    {
        using var font = look.NewFont(size, bold);
        while (font.MeasureText(text) > width && font.Size > size * 0.7f)
        {
            font.Size -= 0.5f;
        }

        var shown = text;
        while (font.MeasureText(shown) > width && shown.Length > 1)
        {
            shown = string.Concat(shown.AsSpan(0, shown.Length - 2).TrimEnd(), "…");
        }

        using var paint = new SKPaint { Color = color.ToSKColor(), IsAntialias = true };
        font.GetFontMetrics(out var metrics);
        Canvas.DrawText(shown, centered ? x + width / 2 : x, y - metrics.Ascent, centered ? SKTextAlign.Center : SKTextAlign.Left, font, paint);
        return size * 1.25f;
    }
}
