using Bank.Core.Charts;

namespace Bank.Core.Tests.Charts;

/// <summary>The axes say what they mean: amounts in ₹ with Indian units, dates as dates, as many as fit.</summary>
public sealed class ChartTextTests
{
    [Theory]
    [InlineData(new double[] { 0, 10_000_00, 20_000_00 }, new[] { "₹0", "₹10,000", "₹20,000" })]
    [InlineData(new double[] { 0, 25_000_00, 50_000_00, 75_000_00, 1_00_000_00 }, new[] { "₹0", "₹25,000", "₹50,000", "₹75,000", "₹1,00,000" })]
    [InlineData(new double[] { 0, 50_000_00, 1_00_000_00, 1_50_000_00 }, new[] { "₹0", "₹0.5L", "₹1L", "₹1.5L" })]
    [InlineData(new double[] { -50_000_00, 0, 50_000_00, 1_00_000_00, 1_50_000_00 }, new[] { "-₹0.5L", "₹0", "₹0.5L", "₹1L", "₹1.5L" })]
    [InlineData(new double[] { 0, 2_50_00_000_00, 5_00_00_000_00 }, new[] { "₹0", "₹2.5Cr", "₹5Cr" })]
    [InlineData(new double[] { 0, 50_00_000_00, 1_00_00_000_00 }, new[] { "₹0", "₹0.5Cr", "₹1Cr" })]
    [InlineData(new double[] { 1_500_00_00_000_00, 3_000_00_00_000_00 }, new[] { "₹1,500Cr", "₹3,000Cr" })]
    [InlineData(new double[] { 5_00_000_00, 5_02_500_00 }, new[] { "₹5,00,000", "₹5,02,500" })]
    [InlineData(new double[] { }, new string[] { })]
    public void Amount_ticks_are_short_rupees_in_one_unit_per_axis(double[] paise, string[] expected) =>
        Assert.Equal(expected, ChartText.Amounts(paise));

    [Fact]
    public void Tick_steps_are_round_and_cover_the_values()
    {
        Assert.Equal([0, 50, 100, 150], ChartText.NiceTicks(0, 137, 4, finest: 1));
        Assert.Equal([-25_000_00, 0, 25_000_00, 50_000_00], ChartText.NiceTicks(-20_000_00, 41_000_00, 3, finest: 100));
        Assert.Equal([0, 1], ChartText.NiceTicks(0, 0.2, 5, finest: 1));
    }

    [Fact]
    public void Counts_have_indian_grouping()
    {
        Assert.Equal("1,23,456", ChartText.Count(123_456));
        Assert.Equal("1,234.5", ChartText.Average(37_035, 30));
        Assert.Equal("0", ChartText.Average(0, 30));
    }

    [Fact]
    public void Six_months_are_labelled_on_the_1st_and_15th_then_monthly_then_every_other_month_as_room_shrinks()
    {
        var axis = new DayAxis(new DateOnly(2025, 5, 31), new DateOnly(2025, 11, 30));

        Assert.Equal(184, axis.Count);
        Assert.Equal(["1 Jun", "15 Jun", "1 Jul", "15 Jul", "1 Aug", "15 Aug", "1 Sep", "15 Sep", "1 Oct", "15 Oct", "1 Nov", "15 Nov"],
            axis.Labels(l => l.Count <= 12).Select(l => l.Label));
        Assert.Equal(["1 Jun", "1 Jul", "1 Aug", "1 Sep", "1 Oct", "1 Nov"], axis.Labels(l => l.Count <= 6).Select(l => l.Label));
        Assert.Equal(["1 Jul", "1 Sep", "1 Nov"], axis.Labels(l => l.Count <= 3).Select(l => l.Label));
        Assert.Equal(1, axis.Labels(l => l.Count <= 12)[0].Slot);
    }

    [Fact]
    public void Thirty_days_are_labelled_every_day_or_every_few_days()
    {
        var axis = new DayAxis(new DateOnly(2025, 11, 1), new DateOnly(2025, 11, 30));

        Assert.Equal(30, axis.Labels(_ => true).Count);
        Assert.Equal(["1 Nov", "8 Nov", "15 Nov", "22 Nov", "29 Nov"], axis.Labels(l => l.Count <= 5).Select(l => l.Label));
        Assert.Equal([0, 7, 14, 21, 28], axis.Labels(l => l.Count <= 5).Select(l => l.Slot));
    }

    [Fact]
    public void A_new_year_inside_the_range_is_named()
    {
        var axis = new DayAxis(new DateOnly(2025, 12, 1), new DateOnly(2026, 2, 28));

        Assert.Equal(["1 Dec", "1 Jan 2026", "1 Feb"], axis.Labels(l => l.Count <= 3).Select(l => l.Label));
        Assert.Equal(["1 Dec", "15 Dec", "1 Jan 2026", "15 Jan", "1 Feb", "15 Feb"], axis.Labels(l => l.Count <= 6).Select(l => l.Label));
    }
}
