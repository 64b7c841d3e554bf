using EdgeDigits.Core.Imaging;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Tests.Synthetic;

public sealed class DeviceInputDigitsTests
{
    private static readonly Lazy<DigitSet> Source = new(() => Mnist.Load(RepoPaths.Mnist, MnistSplit.Train, limit: 3000));

    public static TheoryData<string> Kinds => new() { "ink", "pipeline" };

    private static DigitSet Make(string kind, DigitSet source, int count, int seed, SyntheticSplit split = SyntheticSplit.Train) =>
        kind == "ink" ? DeviceInputDigits.Inks(source, count, split, seed) : DeviceInputDigits.Pipeline(source, count, split, seed);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generate_EveryCrop_Is28x28MnistLayoutWithDigitClasses(string kind)
    {
        var set = Make(kind, Source.Value, 100, seed: 3);
        Assert.Equal(100, set.Count);
        Assert.Equal(100 * 784, set.Pixels.Length);
        Assert.Equal(DigitSet.DigitClasses, set.ClassNames);
        Assert.True(set.ClassCounts().Count(c => c > 0) >= 8, "labels should cover most digits");
        for (var i = 0; i < set.Count; i++)
        {
            var px = set.Image(i).ToArray();
            Assert.InRange(px.Max(), (byte)160, (byte)255);
            var (cx, cy) = SyntheticDigitsTests.CentreOfMass(px);
            Assert.InRange(cx, 11.0, 17.0);
            Assert.InRange(cy, 11.0, 17.0);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generate_SameSeed_IsIdenticalAndOtherSeedOrSplitDiffers(string kind)
    {
        var a = Make(kind, Source.Value, 60, seed: 9);
        var b = Make(kind, Source.Value, 60, seed: 9);
        var c = Make(kind, Source.Value, 60, seed: 10);
        var d = Make(kind, Source.Value, 60, seed: 9, SyntheticSplit.Test);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Pixels, c.Pixels);
        Assert.NotEqual(a.Pixels, d.Pixels);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generate_ZerosAndOnes_LabelsFollowTheInk(string kind)
    {
        // Only 0s and 1s in the source: a "1" crop is a thin bar, a "0" a ring with ink on both sides of
        // the centre column. A label that went to the wrong crop (order, box matching) breaks this.
        var source = Source.Value.WhereClass("0", "1");
        var set = Make(kind, source, 160, seed: 4);
        Assert.All(set.Labels, l => Assert.True(l is 0 or 1, $"label {l}"));
        int agree = 0;
        for (var i = 0; i < set.Count; i++)
        {
            var px = set.Image(i).ToArray();
            int lit = px.Count(v => v > 128);
            int guess = lit < 110 ? 1 : 0;
            if (guess == set.Labels[i]) agree++;
        }
        Assert.True(set.ClassCounts()[0] > 30 && set.ClassCounts()[1] > 30, $"both digits should appear: {string.Join(",", set.ClassCounts())}");
        Assert.True(agree >= set.Count * 0.95, $"{agree}/{set.Count} crops look like their label");
    }

    [Fact]
    public void Generate_SourceWithNonDigitClass_Throws()
    {
        var bad = new DigitSet(new byte[784], [0], ["none"]);
        var e = Assert.Throws<ArgumentException>(() => DeviceInputDigits.Inks(bad, 5, SyntheticSplit.Train, 1));
        Assert.Contains("digits 0-9", e.Message);
    }

    [Fact]
    public void Iou_OverlappingAndDisjointBoxes_AreExact()
    {
        Assert.Equal(1.0, DeviceInputDigits.Iou(new PixelRect(0, 0, 10, 10), new PixelRect(0, 0, 10, 10)));
        Assert.Equal(50.0 / 150, DeviceInputDigits.Iou(new PixelRect(0, 0, 10, 10), new PixelRect(5, 0, 10, 10)), 9);
        Assert.Equal(0.0, DeviceInputDigits.Iou(new PixelRect(0, 0, 10, 10), new PixelRect(20, 0, 5, 5)));
    }
}
