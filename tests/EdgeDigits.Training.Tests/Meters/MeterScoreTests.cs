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

    /// <summary>One window whose most likely class <paramref name="cls"/> has probability <paramref name="p"/>, the rest far away (class + 50).</summary>
    private static float[] Unsure(int cls, float p)
    {
        var probs = new float[TenthsDecoder.Classes];
        probs[cls] = p;
        probs[(cls + 50) % TenthsDecoder.Classes] = 1 - p;
        return probs;
    }

    [Fact]
    public void Choose_LaxSettingOverWrongTarget_RefusesUnsureWindowsInstead()
    {
        // 96 clean 3s read surely; a clean 4 read as 5 at confidence 0.55 (wrong under a threshold <= 0.5); three clean 6s
        // read right at confidence 0.55. The lax threshold reads 99 right with 1 wrong (1% > 0.5%): a cost of 2 x wrong +
        // refused would take it (2 < 3); the target does not - the 0.55 windows are refused and nothing is shown wrong.
        var probs = Enumerable.Repeat(OneHot(30), 96).SelectMany(p => p).Concat(Unsure(50, 0.55f)).Concat(Enumerable.Repeat(Unsure(60, 0.55f), 3).SelectMany(p => p)).ToArray();
        var labels = Enumerable.Repeat(30, 96).Append(40).Concat(Enumerable.Repeat(60, 3)).ToArray();
        var (decoder, score) = MeterScore.Choose(probs, labels, new TenthsDecoder());
        Assert.True(decoder.ConfidenceThreshold > 0.55f, $"threshold {decoder.ConfidenceThreshold}");
        Assert.Equal(0, score.CleanWrong);
        Assert.Equal(96, score.CleanRight);
        // With a looser bound (2% wrong allowed) the lax setting meets it and reads more right.
        var (lax, laxScore) = MeterScore.Choose(probs, labels, new TenthsDecoder(), maxCleanWrongRate: 0.02);
        Assert.True(lax.ConfidenceThreshold <= 0.55f, $"threshold {lax.ConfidenceThreshold}");
        Assert.Equal(99, laxScore.CleanRight);
    }

    [Fact]
    public void Choose_NoSettingMeetsTargets_TakesFewestWrongDigits()
    {
        // A clean 4 surely read as 5 is wrong at every setting; a clean 7 read as 7 at 0.55 adds nothing wrong: the most
        // read right among the settings with one wrong digit.
        var probs = OneHot(50).Concat(Unsure(70, 0.55f)).ToArray();
        var (decoder, score) = MeterScore.Choose(probs, [40, 70], new TenthsDecoder());
        Assert.False(score.MeetsWrongTargets());
        Assert.Equal(1, score.CleanWrong);
        Assert.Equal(1, score.CleanRight);
        Assert.True(decoder.ConfidenceThreshold <= 0.55f);
    }

    [Fact]
    public void Choose_ConfidencesCrowdedNearOne_FindsAThresholdAboveNinety()
    {
        // 100 clean 3s read at 0.96 and a clean 4 read as 5 at 0.93 (a model without label smoothing): at 0.9 one clean
        // window in 101 is wrong (> 0.5%); at 0.95 none is, and all 100 are still read.
        var probs = Enumerable.Repeat(Unsure(30, 0.96f), 100).SelectMany(p => p).Concat(Unsure(50, 0.93f)).ToArray();
        var labels = Enumerable.Repeat(30, 100).Append(40).ToArray();
        var (decoder, score) = MeterScore.Choose(probs, labels, new TenthsDecoder());
        Assert.True(score.MeetsWrongTargets());
        Assert.Equal(0.95f, decoder.ConfidenceThreshold);
        Assert.Equal(100, score.CleanRight);
        Assert.Equal(0, score.CleanWrong);
    }

    [Fact]
    public void ChoiceThresholds_StrictestFirst() =>
        Assert.Equal(MeterScore.ChoiceThresholds.OrderByDescending(t => t), MeterScore.ChoiceThresholds);

    [Fact]
    public void MeetsWrongTargets_AtAndOverTheBounds()
    {
        Assert.True(new MeterScore { Windows = 200, Clean = 200, CleanRight = 199, CleanWrong = 1 }.MeetsWrongTargets());
        Assert.False(new MeterScore { Windows = 199, Clean = 199, CleanRight = 198, CleanWrong = 1 }.MeetsWrongTargets());
        Assert.True(new MeterScore { Windows = 20, Rolling = 20, RollingWrong = 1 }.MeetsWrongTargets());
        Assert.False(new MeterScore { Windows = 19, Rolling = 19, RollingWrong = 1 }.MeetsWrongTargets());
    }

    [Fact]
    public void Of_LengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => MeterScore.Of(new float[100], [1, 2], new TenthsDecoder()));
    }
}
