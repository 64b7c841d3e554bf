using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Data.PenDigits;

public sealed class PenDigitCropsTests
{
    private static readonly IReadOnlyList<PenDigit> Sample = UnipenReader.Load(PenFixtures.Compressed);

    [Fact]
    public void Render_OneCopy_CropsAreWhatTheDeviceExtractsFromTheInk()
    {
        var set = PenDigitCrops.Render(Sample, copies: 1, seed: 1, out int skipped);
        Assert.Equal(0, skipped);
        Assert.Equal(Sample.Select(d => d.Digit), set.Labels);
        var x = new CropExtractor();
        for (int i = 0; i < Sample.Count; i++)
        {
            Assert.Equal(1, x.Extract(Sample[i].Ink));
            Assert.True(x.Crop(0).SequenceEqual(set.Image(i)), $"crop {i}");
        }
    }

    [Fact]
    public void Render_ThreeCopies_FirstAsWrittenOthersJitteredAndDeterministic()
    {
        var one = PenDigitCrops.Render(Sample, 1, seed: 7, out _);
        var a = PenDigitCrops.Render(Sample, 3, seed: 7, out int skippedA);
        var b = PenDigitCrops.Render(Sample, 3, seed: 7, out _);
        var c = PenDigitCrops.Render(Sample, 3, seed: 8, out _);
        Assert.Equal(0, skippedA);
        Assert.Equal(48, a.Count);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.NotEqual(a.Pixels, c.Pixels);
        Assert.True(a.Image(0).SequenceEqual(one.Image(0)));
        Assert.False(a.Image(1).SequenceEqual(a.Image(0)));
        Assert.Equal(Sample[0].Digit, a.Labels[2]);
    }

    [Fact]
    public void OfWriters_PicksOnlyThoseWriters()
    {
        var picked = PenDigitCrops.OfWriters(Sample, WriterRange.Parse("25-30"), "sample");
        Assert.Equal(6, picked.Count);
        Assert.All(picked, d => Assert.Equal(25, d.Writer));
    }

    [Fact]
    public void OfWriters_NoneOfThoseWriters_ThrowsNamingFolderAndItsWriters()
    {
        var ex = Assert.Throws<InvalidDataException>(() => PenDigitCrops.OfWriters(Sample, WriterRange.Parse("2-24"), "pen"));
        Assert.Equal("pen: no pen digits by writers 2-24 (the folder has writers 1-25)", ex.Message);
    }
}
