using EdgeDigits.Training.Augmentation;
using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Training.Tests.Augmentation;

public sealed class DigitAugmenterTests
{
    private const int Side = 28;

    /// <summary>A full-height vertical bar in columns 13..14: a vertical shift blanks its top or bottom rows, a sideways one moves its columns.</summary>
    private static byte[] Bar()
    {
        var img = new byte[Side * Side];
        for (var y = 0; y < Side; y++) img[y * Side + 13] = img[y * Side + 14] = 255;
        return img;
    }

    private static float[] Apply(DigitAugmenter aug, int seed)
    {
        var dst = new float[Side * Side];
        var rng = new SplitMix(seed, 4, 2);
        aug.Apply(Bar(), dst, ref rng);
        return dst;
    }

    /// <summary>Only the shift: no rotation, shear, scale or pixel effects.</summary>
    private static DigitAugmenter ShiftOnly(float maxShift, float? maxShiftX) => new()
    {
        MaxRotationDegrees = 0, MaxShear = 0, MaxScale = 0, MaxShift = maxShift, MaxShiftX = maxShiftX,
        StrokeProbability = 0, BlurProbability = 0, ContrastProbability = 0, NoiseProbability = 0,
    };

    [Fact]
    public void Apply_MaxShiftXWithoutVerticalShift_MovesTheCutSidewaysOnly()
    {
        var moved = 0;
        for (var seed = 0; seed < 20; seed++)
        {
            var img = Apply(ShiftOnly(0, 3), seed);
            // Every row the same: nothing moved up or down.
            for (var y = 1; y < Side; y++)
                Assert.Equal(img.AsSpan(0, Side).ToArray(), img.AsSpan(y * Side, Side).ToArray());
            var centre = Enumerable.Range(0, Side).Sum(x => x * img[x]) / img.AsSpan(0, Side).ToArray().Sum();
            Assert.InRange(centre, 13.5f - 3.01f, 13.5f + 3.01f);
            if (Math.Abs(centre - 13.5f) > 1) moved++;
        }
        Assert.True(moved >= 5, $"only {moved} of 20 cuts moved sideways by more than 1 px");
        // Without MaxShiftX (and no shift at all) the bar stays where it is.
        Assert.Equal(Bar().Select(b => b / 255f), Apply(ShiftOnly(0, null), 3));
    }

    [Fact]
    public void MeterAugmenter_CameraPass_OnlyWhenAsked()
    {
        Assert.Null(MeterTrainJob.Augmenter(1).Paper);
        Assert.Null(MeterTrainJob.Augmenter(1).MaxShiftX);
        var camera = MeterTrainJob.Augmenter(1, 0.5f);
        Assert.Equal(0.5f, camera.Paper!.Probability);
        Assert.Equal(MeterTrainJob.CameraCropOffset, camera.MaxShiftX);
        // The meter recipe without the camera pass draws the same augmentations as before it existed.
        Assert.Equal(Apply(MeterTrainJob.Augmenter(1), 7), Apply(MeterTrainJob.Augmenter(1, 0), 7));
        Assert.NotEqual(Apply(MeterTrainJob.Augmenter(1), 7), Apply(camera, 7));
    }
}
