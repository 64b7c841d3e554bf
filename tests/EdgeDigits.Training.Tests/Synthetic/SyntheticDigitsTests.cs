using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Tests.Synthetic;

public sealed class SyntheticDigitsTests
{
    private static readonly SyntheticDigits Generator = new();

    internal static (double X, double Y) CentreOfMass(ReadOnlySpan<byte> img)
    {
        long m = 0, mx = 0, my = 0;
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++)
            {
                int v = img[y * 28 + x];
                m += v; mx += v * x; my += v * y;
            }
        return m == 0 ? (double.NaN, double.NaN) : (mx / (double)m, my / (double)m);
    }

    [Theory]
    [InlineData(SyntheticSplit.Train, DigitStyle.Printed)]
    [InlineData(SyntheticSplit.Test, DigitStyle.SevenSegment)]
    public void Generate_EveryCrop_Is28x28WithInkAndMassCentred(SyntheticSplit split, DigitStyle style)
    {
        var set = Generator.Generate(200, split, seed: 5, style);
        Assert.Equal(200 * 784, set.Pixels.Length);
        Assert.All(set.ClassCounts(), c => Assert.Equal(20, c));
        for (var i = 0; i < set.Count; i++)
        {
            var img = set.Image(i);
            Assert.InRange(img.ToArray().Max(), (byte)160, (byte)255);
            var (cx, cy) = CentreOfMass(img);
            // The normalizer shifts by whole pixels, and clamps digits whose mass is far off-centre (a 7's bar).
            Assert.InRange(cx, 12.0, 16.0);
            Assert.InRange(cy, 12.0, 16.0);
            // MNIST layout: the ink's longer side is scaled to 20 pixels.
            var px = img.ToArray();
            var rows = Enumerable.Range(0, 28).Where(y => Enumerable.Range(0, 28).Any(x => px[y * 28 + x] > 0)).ToArray();
            var cols = Enumerable.Range(0, 28).Where(x => Enumerable.Range(0, 28).Any(y => px[y * 28 + x] > 0)).ToArray();
            Assert.InRange(Math.Max(rows[^1] - rows[0] + 1, cols[^1] - cols[0] + 1), 19, 21);
        }
    }

    [Fact]
    public void Generate_SameSeed_IsIdenticalAndOtherSeedDiffers()
    {
        var a = Generator.Generate(60, SyntheticSplit.Train, seed: 9);
        var b = Generator.Generate(60, SyntheticSplit.Train, seed: 9);
        var c = Generator.Generate(60, SyntheticSplit.Train, seed: 10);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.NotEqual(a.Pixels, c.Pixels);
    }

    [Fact]
    public void Generate_TrainAndTestSameSeed_Differ()
    {
        var a = Generator.Generate(40, SyntheticSplit.Train, seed: 1);
        var b = Generator.Generate(40, SyntheticSplit.Test, seed: 1);
        Assert.NotEqual(a.Pixels, b.Pixels);
    }

    [Fact]
    public void FontCatalog_HeldOutFonts_AreDisjointFromTrainingAndInstalled()
    {
        var fonts = FontCatalog.Discover();
        var train = fonts.Faces.Where(f => f.Split == SyntheticSplit.Train).Select(f => f.Name).ToHashSet();
        var test = fonts.Faces.Where(f => f.Split == SyntheticSplit.Test).Select(f => f.Name).ToHashSet();
        Assert.Empty(train.Intersect(test));
        Assert.Empty(FontCatalog.PrintedTrain.Concat(FontCatalog.SevenSegmentTrain).Intersect(FontCatalog.PrintedTest.Concat(FontCatalog.SevenSegmentTest)));
        foreach (var split in new[] { SyntheticSplit.Train, SyntheticSplit.Test })
            foreach (var style in new[] { DigitStyle.Printed, DigitStyle.SevenSegment })
                Assert.True(fonts.For(split, style).Count >= 4, $"{split} {style}");
    }

    [Fact]
    public void FontCatalog_NoFonts_ForThrowsNamingPackages()
    {
        var empty = FontCatalog.Discover([Path.GetTempPath() + "/no-fonts-here"]);
        var ex = Assert.Throws<InvalidOperationException>(() => empty.For(SyntheticSplit.Train, DigitStyle.SevenSegment));
        Assert.Contains("fonts-dseg", ex.Message);
    }

    [Fact]
    public void NotDigit_EveryKind_Produces28x28CentredCropsLabelledNone()
    {
        var (set, kinds) = new NotDigitGenerator(Generator).GenerateWithKinds(120, SyntheticSplit.Train, seed: 3);
        Assert.Equal([DigitSet.NoneClass], set.ClassNames);
        Assert.All(set.Labels, l => Assert.Equal(0, l));
        Assert.Equal(Enum.GetValues<NotDigitKind>().Length, kinds.Distinct().Count());
        for (var i = 0; i < set.Count; i++)
        {
            var (cx, cy) = CentreOfMass(set.Image(i));
            Assert.InRange(cx, 10.0, 18.0);
            Assert.InRange(cy, 10.0, 18.0);
        }
        var again = new NotDigitGenerator(Generator).Generate(120, SyntheticSplit.Train, seed: 3);
        Assert.Equal(set.Pixels, again.Pixels);
    }

    [Fact]
    public void DropSpecks_SmallComponentNextToLargeOne_IsRemoved()
    {
        var g = new byte[20 * 20];
        for (var y = 2; y < 18; y++) for (var x = 2; x < 8; x++) g[y * 20 + x] = 255;
        g[15 * 20 + 17] = 200;
        CropPipeline.DropSpecks(g, 20, 20);
        Assert.Equal(0, g[15 * 20 + 17]);
        Assert.Equal(255, g[10 * 20 + 5]);
    }
}
