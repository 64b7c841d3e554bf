using EdgeDigits.Training.Data.Meters;

namespace EdgeDigits.Training.Tests.Meters;

public sealed class MeterSeriesTests
{
    [Theory]
    [InlineData("3.0_3_dig6_20220620-182826.jpg", "dig6", "dig")]
    [InlineData("3.0_3.0_main_dig7_20220620-202942.jpg", "main_dig7", "main_dig")]
    [InlineData("9.700000000000001_10_dig8_20220523-062334.jpg", "dig8", "dig")]
    [InlineData("4.7_Ziffer_5_0018.jpg", "ziffer", "ziffer")]
    [InlineData("4.2_4_digit8_415210.jpg", "digit8", "digit")]
    [InlineData("1.0_dig3_20220424-192257_neu.jpg", "dig3", "dig")]
    [InlineData("2.0_ROI5_2020-08-07_11-13-54.jpg", "roi5", "roi")]
    [InlineData("3.0_01354c829af96f4737dbd667247c4b06.jpg", MeterSeries.Anonymous, MeterSeries.Anonymous)]
    public void SeriesAndFamily_PublicSetNames_NameTheMeter(string file, string series, string family)
    {
        Assert.Equal(series, MeterSeries.SeriesOf(file));
        Assert.Equal(family, MeterSeries.FamilyOf(file));
    }

    [Fact]
    public void Series_TwoFramesOfOneWheel_AreTheSameSeries()
    {
        Assert.Equal(MeterSeries.SeriesOf("0.9_1_dig3_20220523-092531.jpg"), MeterSeries.SeriesOf("4.0_dig3_20220601-100000.jpg"));
    }

    [Theory]
    [InlineData("3.4", 34)]
    [InlineData("0.0", 0)]
    [InlineData("9.9", 99)]
    [InlineData("7", 70)]
    public void TryParseLabel_WheelPositions_GiveTenths(string folder, int tenths)
    {
        Assert.True(MeterDigitSet.TryParseLabel(folder, out var t));
        Assert.Equal(tenths, t);
    }

    [Theory]
    [InlineData("10.0")]
    [InlineData("-1")]
    [InlineData("N")]
    [InlineData("")]
    public void TryParseLabel_NotAWheelPosition_IsFalse(string folder)
    {
        Assert.False(MeterDigitSet.TryParseLabel(folder, out _));
    }
}
