using EdgeDigits.Training.Augmentation;
using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Training.Tests.Augmentation;

public sealed class PaperAugmenterTests
{
    private const int Side = 28;

    /// <summary>A "7" as floats with 3-pixel strokes: ink 1 in rows 5..7 (columns 6..21) and columns 19..21 (rows 5..22), 0 elsewhere.</summary>
    private static float[] Seven()
    {
        var img = new float[Side * Side];
        for (var y = 5; y < 8; y++)
            for (var x = 6; x < 22; x++) img[y * Side + x] = 1f;
        for (var y = 5; y < 23; y++)
            for (var x = 19; x < 22; x++) img[y * Side + x] = 1f;
        return img;
    }

    /// <summary>Only the named effect on, the pass always taken.</summary>
    private static PaperAugmenter Only(string effect) => new()
    {
        Probability = 1,
        PenProbability = effect == "pen" ? 1 : 0,
        BinarizeProbability = effect == "binarize" ? 1 : 0,
        LowResolutionProbability = effect == "lowres" ? 1 : 0,
        RuledLineProbability = effect == "line" ? 1 : 0,
        UnevenLightProbability = effect == "light" ? 1 : 0,
        PaperTextureProbability = effect == "texture" ? 1 : 0,
        JpegProbability = effect == "jpeg" ? 1 : 0,
    };

    /// <summary>Every effect with probability <paramref name="p"/> (uneven light with <paramref name="light"/>), the pass always taken.</summary>
    private static PaperAugmenter Every(float p, float? light = null) => new()
    {
        Probability = 1, PenProbability = p, BinarizeProbability = p, LowResolutionProbability = p, RuledLineProbability = p,
        UnevenLightProbability = light ?? p, PaperTextureProbability = p, JpegProbability = p,
    };

    private static float[] Run(PaperAugmenter aug, float[] src, long seed)
    {
        var img = (float[])src.Clone();
        var rng = new SplitMix(seed, 0, 0);
        aug.Apply(img, ref rng);
        return img;
    }

    [Fact]
    public void Apply_ProbabilityZero_LeavesImageAndRandomStreamUntouched()
    {
        var src = Seven();
        var img = (float[])src.Clone();
        var rng = new SplitMix(5);
        new PaperAugmenter { Probability = 0 }.Apply(img, ref rng);
        Assert.Equal(src, img);
        Assert.Equal(new SplitMix(5).NextULong(), rng.NextULong());
    }

    [Fact]
    public void Apply_SameSeed_SameImage_DifferentSeed_DifferentImage()
    {
        var aug = new PaperAugmenter { Probability = 1 };
        Assert.Equal(Run(aug, Seven(), 1), Run(aug, Seven(), 1));
        Assert.NotEqual(Run(aug, Seven(), 1), Run(aug, Seven(), 2));
    }

    [Fact]
    public void Apply_ManySeedsDefaultEffects_StaysInRangeAndKeepsTheStroke()
    {
        var aug = new PaperAugmenter { Probability = 1 };
        for (var seed = 0; seed < 300; seed++)
        {
            var img = Run(aug, Seven(), seed);
            Assert.All(img, v => Assert.InRange(v, 0f, 1f));
            Assert.True(img.Max() > 0.55f, $"seed {seed}: brightest ink {img.Max()}");
            // Locally the stroke still stands out from the paper beside it, whatever the light does.
            float stroke = 0, beside = 0;
            for (var y = 10; y < 21; y++) { stroke += img[y * Side + 20]; beside += img[y * Side + 14]; }
            Assert.True(stroke > beside + 2, $"seed {seed}: stroke {stroke}, paper beside it {beside}");
        }
    }

    [Fact]
    public void Apply_ManySeedsAllButTheLightGradient_NeverMirrors()
    {
        // Uneven light is the one effect that may make one half brighter than the other; without it, the
        // vertical stroke of the 7 must stay right of centre, where a mirror would move it to column 7.
        var aug = Every(0.5f, light: 0);
        for (var seed = 0; seed < 300; seed++)
        {
            var img = Run(aug, Seven(), seed);
            float left = 0, right = 0;
            for (var y = 8; y < 23; y++) { left += img[y * Side + 7]; right += img[y * Side + 20]; }
            Assert.True(right > left + 3, $"seed {seed}: right column {right}, its mirror {left}");
        }
    }

    [Fact]
    public void Apply_SteadyState_AllocatesNothing()
    {
        var aug = Every(1);
        var img = Seven();
        void Once() { var rng = new SplitMix(3); aug.Apply(img, ref rng); }
        for (var i = 0; i < 3; i++) Once();
        var least = long.MaxValue;
        for (var w = 0; w < 5 && least > 0; w++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 20; i++) Once();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.Equal(0, least);
    }

    [Fact]
    public void Apply_PenOnly_ChangesInkMassButNotItsPlace()
    {
        var src = Seven();
        var mass = src.Sum();
        var thicker = 0;
        var thinner = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var img = Run(Only("pen"), src, seed);
            var m = img.Sum();
            if (m > mass * 1.25f) thicker++;
            if (m < mass * 0.85f) thinner++;
            Assert.Equal(0f, img[0]);
            Assert.Equal(0f, img[27 * Side + 0]);
        }
        Assert.True(thicker > 5 && thinner > 5, $"thicker {thicker}, thinner {thinner} of 40");
    }

    [Fact]
    public void Binarize_GreyStroke_OnlyZeroAndOneAndFaintInkDropped()
    {
        var img = new float[Side * Side];
        img[100] = 0.9f;
        img[101] = 0.5f;
        img[102] = 0.2f;
        PaperAugmenter.Binarize(img, 0.45f);
        Assert.Equal([1f, 1f, 0f], img[100..103]);
        Assert.All(img, v => Assert.True(v is 0f or 1f));
    }

    [Fact]
    public void Binarize_EverythingBelowThreshold_KeepsBrightestHalf()
    {
        var img = new float[Side * Side];
        img[10] = 0.3f;
        img[11] = 0.1f;
        PaperAugmenter.Binarize(img, 0.6f);
        Assert.Equal(1f, img[10]);
        Assert.Equal(0f, img[11]);
    }

    [Fact]
    public void LowResolution_TwelvePixels_OnePixelLineSpreadsAndMassIsKept()
    {
        var img = new float[Side * Side];
        for (var y = 4; y < 24; y++) img[y * Side + 13] = 1f;
        var mass = img.Sum();
        PaperAugmenter.LowResolution(img, 12);
        Assert.InRange(img.Sum(), mass * 0.95f, mass * 1.05f);
        Assert.InRange(img[14 * Side + 13], 0.2f, 0.6f);
        Assert.True(img[14 * Side + 12] + img[14 * Side + 14] > 0.3f, "the line did not spread sideways");
        Assert.Equal(0f, img[14 * Side + 2]);
    }

    [Fact]
    public void LowResolution_Checkerboard_AveragesToMidGrey()
    {
        var img = new float[Side * Side];
        for (var i = 0; i < img.Length; i++) img[i] = ((i / Side) + (i % Side)) % 2;
        PaperAugmenter.LowResolution(img, 14);
        Assert.All(img, v => Assert.InRange(v, 0.45f, 0.55f));
    }

    [Fact]
    public void RuledLine_EmptyCrop_FaintLineAtItsRowOnly_InkStaysOnTop()
    {
        var img = new float[Side * Side];
        img[10 * Side + 5] = 1f;
        PaperAugmenter.RuledLine(img, y: 10, slope: 0, width: 1, intensity: 0.3f);
        for (var x = 0; x < Side; x++)
        {
            Assert.Equal(x == 5 ? 1f : 0.3f, img[10 * Side + x], 1e-6f);
            Assert.Equal(0f, img[8 * Side + x]);
            Assert.Equal(0f, img[12 * Side + x]);
        }
    }

    [Fact]
    public void UnevenLight_AngleZero_LiftsBackgroundOnTheRightAndFadesInkOnTheLeft()
    {
        var img = new float[Side * Side];
        img[14 * Side + 0] = 1f;
        img[14 * Side + 27] = 1f;
        PaperAugmenter.UnevenLight(img, angle: 0, lift: 0.3f, fade: 0.4f);
        Assert.Equal(0.3f, img[0 * Side + 27], 1e-5f);
        Assert.Equal(0f, img[0 * Side + 0], 1e-5f);
        Assert.Equal(0.15f, img[0 * Side + 14], 0.02f);
        Assert.Equal(0.6f, img[14 * Side + 0], 1e-5f);
        Assert.Equal(1f, img[14 * Side + 27], 1e-5f);
    }

    [Fact]
    public void PaperTexture_EmptyCrop_GreySpecklesOfBoundedStrength()
    {
        var img = new float[Side * Side];
        var rng = new SplitMix(11);
        PaperAugmenter.PaperTexture(img, 0.1f, ref rng);
        var nonZero = img.Count(v => v > 0);
        Assert.InRange(nonZero, 200, 600);
        Assert.All(img, v => Assert.InRange(v, 0f, 0.6f));
        Assert.InRange(img.Average(), 0.01f, 0.1f);
    }

    [Fact]
    public void Jpeg_BlankPaper_StaysUniformUpToTheDcStep()
    {
        var img = new float[Side * Side];
        PaperAugmenter.Jpeg(img, quality: 20, offsetX: 3, offsetY: 5);
        // Quantising the DC coefficient may shift flat paper by a grey level or two, the same in every block.
        Assert.All(img, v => Assert.Equal(img[0], v, 1e-4f));
        Assert.InRange(img[0], 0f, 0.02f);
    }

    [Fact]
    public void Jpeg_LowQuality_RingsBesideAStrokeAndLosesFineDetail()
    {
        var src = Seven();
        var low = (float[])src.Clone();
        var high = (float[])src.Clone();
        PaperAugmenter.Jpeg(low, quality: 15, offsetX: 0, offsetY: 0);
        PaperAugmenter.Jpeg(high, quality: 95, offsetX: 0, offsetY: 0);
        static float Error(float[] a, float[] b) => a.Zip(b, (x, y) => MathF.Abs(x - y)).Sum();
        Assert.True(Error(low, src) > 4 * Error(high, src), $"error at q15 {Error(low, src)}, at q95 {Error(high, src)}");
        // Ringing: background next to the vertical stroke is no longer clean.
        var beside = Enumerable.Range(8, 14).Select(y => Math.Max(low[y * Side + 18], low[y * Side + 22])).Max();
        Assert.True(beside > 0.03f, $"background beside the stroke at most {beside}");
        Assert.All(low, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Jpeg_ShiftedGrid_ChangesTheArtefacts()
    {
        var a = Seven();
        var b = Seven();
        PaperAugmenter.Jpeg(a, 20, 0, 0);
        PaperAugmenter.Jpeg(b, 20, 4, 4);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void DigitAugmenter_PaperNull_MatchesPaperWithProbabilityZero()
    {
        var src = new byte[Side * Side];
        for (var i = 0; i < src.Length; i++) src[i] = (byte)(Seven()[i] * 255);
        float[] Apply(DigitAugmenter aug)
        {
            var dst = new float[Side * Side];
            var rng = new SplitMix(9, 1, 2);
            aug.Apply(src, dst, ref rng);
            return dst;
        }
        Assert.Equal(Apply(new DigitAugmenter()), Apply(new DigitAugmenter { Paper = new PaperAugmenter { Probability = 0 } }));
        Assert.NotEqual(Apply(new DigitAugmenter()), Apply(new DigitAugmenter { Paper = Only("line") }));
        Assert.NotEqual(Apply(DigitAugmenter.None), Apply(new DigitAugmenter { Strength = 0, Paper = Only("line") }));
    }

    [Fact]
    public void ModelTrainer_DomainAugmentZero_HasNoPaperPass()
    {
        var classes = Enumerable.Range(0, 10).Select(i => i.ToString()).ToArray();
        Assert.Null(new ModelTrainer(new TrainOptions { DomainAugment = 0, Architecture = "c4,p,fc" }, classes).Augmenter.Paper);
        var paper = new ModelTrainer(new TrainOptions { DomainAugment = 0.4f, Architecture = "c4,p,fc" }, classes).Augmenter.Paper;
        Assert.Equal(0.4f, Assert.IsType<PaperAugmenter>(paper).Probability);
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1.5f)]
    public void TrainOptions_DomainAugmentOutOfRange_ValidateNamesOption(float p)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TrainOptions { DomainAugment = p }.Validate());
        Assert.Contains("--domain-augment must be within [0,1]", ex.Message);
    }

    [Fact]
    public void TrainOptions_Json_RoundTripsDomainAugmentAndOldRecipesReadAsOff()
    {
        var json = new TrainOptions { DomainAugment = 0.25f }.ToJson();
        Assert.Equal(0.25f, json["domainAugment"]!.GetValue<float>());
        Assert.Equal(0.25f, TrainOptions.FromJson(json).DomainAugment);
        json.Remove("domainAugment");
        Assert.Equal(0f, TrainOptions.FromJson(json).DomainAugment);
    }
}
