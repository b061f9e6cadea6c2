using ScottPlot;
using SkiaSharp;

namespace Bank.Core.Charts;

/// <summary>
/// Type sizes, spacing and colours for one picture size. Sizes grow with the width; a narrow (phone) picture is shown at
/// about half its pixels, so its type is larger relative to the picture.
/// </summary>
internal sealed class ChartLook
{
    public const int SmallestSide = 320;
    public const int LargestSide = 4000;

    private ChartLook(ChartSize size, string font)
    {
        Font = font;
        Width = size.Width;
        Height = size.Height;
        Narrow = size.Width < 800 || size.Width < size.Height;
        Unit = Narrow ? Math.Min(size.Width / 30f, size.Height / 36f) : Math.Min(size.Width / 75f, size.Height / 42f);
    }

    /// <summary>
    /// The font family to draw with: DejaVu Sans (clear figures, has the ₹ sign; Debian's fonts-dejavu-core), or the
    /// closest family installed.
    /// </summary>
    public static string FindFont() => Fonts.GetTypeface("DejaVu Sans", bold: false, italic: false)?.FamilyName ?? Fonts.Default;

    public static ChartLook For(ChartSize size, string font)
    {
        if (size.Width is < SmallestSide or > LargestSide || size.Height is < SmallestSide or > LargestSide)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A chart is {SmallestSide} to {LargestSide} pixels wide and high.");
        }

        return new ChartLook(size, font);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>A phone-shaped picture: larger type, fewer labels, the summary as a list.</summary>
    public bool Narrow { get; }

    /// <summary>The body type size in pixels; every other size is a multiple of it.</summary>
    public float Unit { get; }

    public string Font { get; }

    public float TitleSize => Unit * 1.4f;

    public float SubtitleSize => Unit * 0.95f;

    public float TileLabelSize => Unit * 0.85f;

    public float TileValueSize => Unit * 1.25f;

    public float TickSize => Unit * 0.85f;

    public float LegendSize => Unit * 0.9f;

    public float LineWidth => Unit * 0.17f;

    public float MessageSize => Unit * (Narrow ? 1f : 1.2f);

    public float Margin => Unit * 1.3f;

    public float Gap => Unit * 0.7f;

    /// <summary>A font of the chart's family (ScottPlot keeps the typeface; the font is the caller's to dispose).</summary>
    public SKFont NewFont(float size, bool bold) =>
        new(Fonts.GetTypeface(Font, bold, italic: false), size) { Subpixel = true, Edging = SKFontEdging.SubpixelAntialias };

    /// <summary>The width of one line of text.</summary>
    public float Measure(string text, float size, bool bold)
    {
        using var font = NewFont(size, bold);
        return font.MeasureText(text);
    }

    public static readonly Color Credit = Color.FromHex("#2E9D5B");
    public static readonly Color Debit = Color.FromHex("#D6453D");
    public static readonly Color Balance = Color.FromHex("#1F3F8F");
    public static readonly Color Count = Color.FromHex("#3B6FB6");
    public static readonly Color Ink = Color.FromHex("#1D2430");
    public static readonly Color Muted = Color.FromHex("#5B6676");
    public static readonly Color Rule = Color.FromHex("#C9D0D9");
    public static readonly Color GridLine = Color.FromHex("#E8ECF1");
    public static readonly Color TileFill = Color.FromHex("#F2F5F8");
}
