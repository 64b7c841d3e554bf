using EdgeDigits.Core.Meters;
using EdgeDigits.Training.Evaluation;

namespace EdgeDigits.Training.Tests.Meters;

public sealed class MeterScoreTests
{
    private static float[] OneHot(params int[] classes)
    {
        var p = new float[classes.Length * TenthsDecoder.Classes];
        for (var i = 0; i < classes.Length; i++) p[i * TenthsDecoder.Classes + classes[i]] = 1f;
        return p;
    }

    [Fact]
    public void Of_CleanRightWrongAndRollingCases_CountsEachKind()
    {
        // labels: clean 3 read 3.0; clean 5 read 6.0 (wrong); rolling 3.5 read 3.5 ('?'); rolling 3.9 read 4.0 (its upper digit: safe);
        // rolling 2.5 read 7.0 (a confident wrong digit).
        var labels = new[] { 30, 50, 35, 39, 25 };
        var score = MeterScore.Of(OneHot(30, 60, 35, 40, 70), labels, new TenthsDecoder());
        Assert.Equal(5, score.Windows);
        Assert.Equal(2, score.Clean);
        Assert.Equal(1, score.CleanRight);
        Assert.Equal(1, score.CleanWrong);
        Assert.Equal(3, score.Rolling);
        Assert.Equal(1, score.RollingRefused);
        Assert.Equal(1, score.RollingWrong);
        Assert.Equal((0 + 10 + 0 + 1 + 45) / 5.0, score.MeanErrorTenths, 3);
        Assert.Equal(2.0 / 3, score.RollingSafe, 5);
    }

    [Fact]
    public void Of_WrapAroundError_IsMeasuredTheShortWay()
    {
        var score = MeterScore.Of(OneHot(98), [1], new TenthsDecoder());
        Assert.Equal(3, score.MeanErrorTenths, 3);
    }

    [Fact]
    public void Choose_PrefersStricterSettingWhenItRemovesWrongDigits()
    {
        // A 3.3 window read as 3.3: with tolerance 0.35 it shows 3 (safe: 3 is its lower digit) - no cost either way;
        // a clean 4 read as 4.3 shows 4 with a wide tolerance, '?' with a narrow one: the wide one is cheaper.
        var (decoder, score) = MeterScore.Choose(OneHot(33, 43), [33, 40], new TenthsDecoder());
        Assert.True(decoder.CleanTolerance >= 0.3f, $"tolerance {decoder.CleanTolerance}");
        Assert.Equal(1, score.CleanRight);
    }

    [Fact]
    public void Of_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => MeterScore.Of(new float[100], [1, 2], new TenthsDecoder()));
    }
}
