using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Data.PenDigits;

public sealed class PenStringComposerTests
{
    private static readonly IReadOnlyList<PenDigit> Sample = UnipenReader.Load(PenFixtures.Compressed);

    [Fact]
    public void Compose_SameSeedAndIndex_SameInk()
    {
        Assert.Equal(PenStringComposer.Compose(Sample, 5, 3).ToJson(), PenStringComposer.Compose(Sample, 5, 3).ToJson());
        Assert.NotEqual(PenStringComposer.Compose(Sample, 5, 3).ToJson(), PenStringComposer.Compose(Sample, 5, 4).ToJson());
    }

    [Fact]
    public void Compose_ManyStrings_TwoToSixDigitsOfOneWriter()
    {
        // Writer 25 has 0-4 and 7 in the sample; keep writer 1's other digits only, so a label shows whose digits it holds.
        var byWriter25 = "012347";
        var digits = Sample.Where(d => d.Writer == 25 || !byWriter25.Contains((char)('0' + d.Digit))).ToArray();
        var lengths = new HashSet<int>();
        for (int i = 0; i < 200; i++)
        {
            var label = PenStringComposer.Compose(digits, 1, i).Label!;
            lengths.Add(label.Length);
            Assert.True(label.All(byWriter25.Contains) || !label.Any(byWriter25.Contains), label);
        }
        Assert.Equal([2, 3, 4, 5, 6], lengths.Order());
    }

    [Fact]
    public void Compose_GivenDigits_LeftToRightInWritingOrderWithPauses()
    {
        var digits = Sample.Where(d => d.Writer == 1).Take(4).ToArray();
        var ink = PenStringComposer.Compose(digits, new Random(2), out _);
        Assert.Equal(string.Concat(digits.Select(d => d.Digit)), ink.Label);
        Assert.Equal(digits.Sum(d => d.Ink.Strokes.Count), ink.Strokes.Count);
        Assert.Equal(digits.Sum(d => d.Ink.PointCount), ink.PointCount);
        int stroke = 0;
        float previousLeft = float.MinValue;
        long previousEnd = -1;
        foreach (var d in digits)
        {
            var own = ink.Strokes.Skip(stroke).Take(d.Ink.Strokes.Count).ToArray();
            stroke += d.Ink.Strokes.Count;
            float left = own.SelectMany(s => s).Min(p => p.X);
            Assert.True(left > previousLeft);
            previousLeft = left;
            long start = own[0][0].TimeMs;
            if (previousEnd >= 0) Assert.InRange(start - previousEnd, 150, 600);
            previousEnd = own[^1][^1].TimeMs;
            // Each digit keeps its own stroke timing.
            Assert.Equal(d.Ink.Strokes[^1][^1].TimeMs - d.Ink.Strokes[0][0].TimeMs, previousEnd - start);
        }
        Assert.InRange(ink.Strokes.SelectMany(s => s).Min(p => p.X), 11.9f, 12.1f);
    }
}
