using System.Buffers.Binary;
using Bank.Core.Charts;
using SkiaSharp;

namespace Bank.Core.Tests.Charts;

/// <summary>The charts are real pictures of the requested size: a PNG with something drawn, whatever the data.</summary>
public sealed class ChartRendererTests
{
    private static readonly ChartRenderer Renderer = new();
    private static readonly DateOnly To = new(2025, 11, 30);
    private static readonly DateOnly From = To.AddMonths(-6).AddDays(1);
    private static readonly SKColor Credit = SKColor.Parse("#2E9D5B");
    private static readonly SKColor Debit = SKColor.Parse("#D6453D");
    private static readonly SKColor Balance = SKColor.Parse("#1F3F8F");
    private static readonly SKColor Counted = SKColor.Parse("#3B6FB6");

    public static TheoryData<string> Sizes => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void A_busy_six_months_is_a_png_of_the_requested_size_with_a_picture_in_it(string size)
    {
        var history = Busy(seed: 7, scale: 1);
        Assert.InRange(history.TransactionCount, 120, 200);
        Assert.InRange(history.Days.Max(d => d.BalancePaise), 1_00_000_00, 99_99_999_99); // lakhs

        var png = Renderer.SixMonths(history, SizeOf(size));

        AssertPicture(png, SizeOf(size));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Six_months_without_transactions_still_draw_a_chart(string size)
    {
        var png = Renderer.SixMonths(Empty(), SizeOf(size));

        AssertPicture(png, SizeOf(size));
        Assert.True(Count(png, Balance) > 200, "the balance line (flat at the current balance) is drawn");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_empty_chart_is_not_the_busy_one(string size)
    {
        using var busy = Decode(Renderer.SixMonths(Busy(seed: 7, scale: 1), SizeOf(size)));
        using var empty = Decode(Renderer.SixMonths(Empty(), SizeOf(size)));

        var differing = 0;
        for (var y = 0; y < busy.Height; y += 2)
        {
            for (var x = 0; x < busy.Width; x += 2)
            {
                differing += busy.GetPixel(x, y) == empty.GetPixel(x, y) ? 0 : 1;
            }
        }

        Assert.True(differing > busy.Width * busy.Height / 4 / 50, $"only {differing} of the sampled pixels differ");
    }

    [Fact]
    public void Credits_are_green_bars_and_debits_red_bars()
    {
        var busy = Renderer.SixMonths(Busy(seed: 7, scale: 1), ChartSize.Desktop);
        var empty = Renderer.SixMonths(Empty(), ChartSize.Desktop);

        // Without bars the colours appear only in the legend swatches and the summary's figures.
        Assert.True(Count(busy, Credit) > 3 * Count(empty, Credit) + 1000, "credit bars");
        Assert.True(Count(busy, Debit) > 3 * Count(empty, Debit) + 1000, "debit bars");
        Assert.True(Count(busy, Balance) > 2000, "balance line");
    }

    [Fact]
    public void A_balance_in_crores_still_renders()
    {
        var history = Busy(seed: 11, scale: 60);
        Assert.True(history.Days.Max(d => d.BalancePaise) > 1_00_00_000_00, "the balance reaches a crore");

        AssertPicture(Renderer.SixMonths(history, ChartSize.Desktop), ChartSize.Desktop);
        AssertPicture(Renderer.SixMonths(history, ChartSize.Phone), ChartSize.Phone);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Staff_daily_flows_are_a_picture_busy_or_empty(string size)
    {
        var (from, to) = (To.AddDays(-29), To);
        var flows = Enumerable.Range(0, 30).Where(i => i % 4 != 3)
            .Select(i => new DailyFlow(from.AddDays(i), (i * 7_919 % 40 + 1) * 1_00_000_00L, (i * 104_729 % 30) * 1_00_000_00L)).ToList();

        var busy = Renderer.DailyFlows(flows, from, to, SizeOf(size));
        var empty = Renderer.DailyFlows([], from, to, SizeOf(size));

        AssertPicture(busy, SizeOf(size));
        AssertPicture(empty, SizeOf(size));
        Assert.True(Count(busy, Credit) > 3 * Count(empty, Credit) + 1000, "credit bars");
        Assert.True(Count(busy, Debit) > 3 * Count(empty, Debit) + 1000, "debit bars");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Staff_daily_counts_are_a_picture_busy_or_empty(string size)
    {
        var (from, to) = (To.AddDays(-29), To);
        var counts = Enumerable.Range(0, 30).Select(i => new DailyCount(from.AddDays(i), i % 5 == 0 ? 0 : i * 13 % 40)).ToList();

        var busy = Renderer.DailyCounts("Sign-ins per day", counts, from, to, SizeOf(size));
        var empty = Renderer.DailyCounts("Sign-ins per day", [], from, to, SizeOf(size));

        AssertPicture(busy, SizeOf(size));
        AssertPicture(empty, SizeOf(size));
        Assert.True(Count(busy, Counted) > 5000, "count bars");
        Assert.Equal(0, Count(empty, Counted));
    }

    [Fact]
    public async Task Many_callers_at_once_get_the_same_pictures()
    {
        var history = Busy(seed: 7, scale: 1);
        var expected = Renderer.SixMonths(history, ChartSize.Phone);

        var pictures = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Renderer.SixMonths(history, ChartSize.Phone))));

        Assert.All(pictures, png => Assert.Equal(expected, png));
    }

    [Fact]
    public void The_chart_font_has_the_rupee_sign()
    {
        var typeface = ScottPlot.Fonts.GetTypeface(ChartLook.FindFont(), bold: false, italic: false);

        Assert.True(typeface.ContainsGlyph('₹'), $"{typeface.FamilyName} has no ₹ (install fonts-dejavu-core)");
    }

    [Fact]
    public void Quiet_days_carry_the_balance_of_the_day_before_starting_from_the_opening_balance()
    {
        var from = new DateOnly(2025, 1, 1);
        var history = new AccountHistory("50010000019", "A Customer", from, from.AddDays(4),
            [new ChartDay(from.AddDays(1), 500_00, 0, 1_500_00), new ChartDay(from.AddDays(3), 0, 200_00, 1_300_00)],
            OpeningBalancePaise: 1_000_00, CurrentBalancePaise: 1_300_00, TotalCreditsPaise: 500_00, TotalDebitsPaise: 200_00, TransactionCount: 2);

        var line = ChartRenderer.BalanceLine(history);

        Assert.Equal([1_000_00, 1_000_00, 1_500_00, 1_500_00, 1_300_00, 1_300_00], line.Select(p => p.Y));
        Assert.Equal([-0.5, 0.5, 1.5, 2.5, 3.5, 4.5], line.Select(p => p.X));
    }

    [Fact]
    public void Wrong_data_is_refused_not_drawn()
    {
        var outside = Empty() with { Days = [new ChartDay(To.AddDays(1), 100, 0, 100)] };
        var twice = Empty() with { Days = [new ChartDay(To, 100, 0, 100), new ChartDay(To, 0, 100, 0)] };
        var signed = Empty() with { Days = [new ChartDay(To, 0, -100, 100)] };

        Assert.Throws<ArgumentException>(() => Renderer.SixMonths(outside, ChartSize.Desktop));
        Assert.Throws<ArgumentException>(() => Renderer.SixMonths(twice, ChartSize.Desktop));
        Assert.Throws<ArgumentException>(() => Renderer.SixMonths(signed, ChartSize.Desktop));
        Assert.Throws<ArgumentException>(() => Renderer.DailyFlows([new DailyFlow(To, -1, 0)], To, To, ChartSize.Desktop));
        Assert.Throws<ArgumentException>(() => Renderer.SixMonths(Empty() with { To = From.AddDays(-1) }, ChartSize.Desktop));
        Assert.Throws<ArgumentOutOfRangeException>(() => Renderer.SixMonths(Empty(), new ChartSize(0, 700)));
        Assert.Throws<ArgumentException>(() => Renderer.DailyCounts("Sign-ins per day", [new DailyCount(To, -1)], To, To, ChartSize.Desktop));
    }

    private static ChartSize SizeOf(string name) => name == "phone" ? ChartSize.Phone : ChartSize.Desktop;

    /// <summary>About 150 transactions over six months: a salary on the 1st, spending and income on random days.</summary>
    private static AccountHistory Busy(int seed, long scale)
    {
        var random = new Random(seed);
        var opening = 2_50_000_00 * scale;
        var balance = opening;
        var days = new List<ChartDay>();
        long credits = 0, debits = 0;
        var count = 0;
        for (var day = From; day <= To; day = day.AddDays(1))
        {
            if (random.NextDouble() > 0.55)
            {
                continue;
            }

            long inToday = day.Day == 1 ? 85_000_00 * scale : 0, outToday = 0;
            count += day.Day == 1 ? 1 : 0;
            for (var i = random.Next(1, 3); i > 0; i--, count++)
            {
                if (random.NextDouble() < 0.45)
                {
                    inToday += random.Next(500, 60_000) * 100L * scale;
                }
                else
                {
                    outToday += Math.Min(balance + inToday - outToday, random.Next(200, 45_000) * 100L * scale);
                }
            }

            balance += inToday - outToday;
            (credits, debits) = (credits + inToday, debits + outToday);
            days.Add(new ChartDay(day, inToday, outToday, balance));
        }

        return new AccountHistory("50010000019", "Ananya Raghunathan", From, To, days, opening, balance, credits, debits, count);
    }

    private static AccountHistory Empty() => new("50010000027", "Ravi Kumar", From, To, [], 12_345_67, 12_345_67, 0, 0, 0);

    private static void AssertPicture(byte[] png, ChartSize size)
    {
        Assert.True(png.AsSpan().StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "PNG signature");
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(size.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(size.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));

        using var bitmap = Decode(png);
        Assert.Equal((size.Width, size.Height), (bitmap.Width, bitmap.Height));
        double sum = 0, squares = 0, n = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                var light = 0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue;
                (sum, squares, n) = (sum + light, squares + light * light, n + 1);
            }
        }

        var deviation = Math.Sqrt(squares / n - sum / n * (sum / n));
        Assert.True(deviation > 8, $"the picture is nearly blank (standard deviation of lightness {deviation:0.0})");
    }

    private static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidOperationException("Not a decodable image.");

    /// <summary>Pixels of exactly (or within a shade of) one colour.</summary>
    private static int Count(byte[] png, SKColor colour)
    {
        using var bitmap = Decode(png);
        var count = 0;
        foreach (var c in bitmap.Pixels)
        {
            count += Math.Abs(c.Red - colour.Red) + Math.Abs(c.Green - colour.Green) + Math.Abs(c.Blue - colour.Blue) <= 6 ? 1 : 0;
        }

        return count;
    }
}
