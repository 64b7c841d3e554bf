using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Inks;

public class InkSequenceFeaturesTests
{
    private static float[] Extract(Ink ink, int length = 8)
    {
        var f = new InkSequenceFeatures(length);
        var d = new float[f.Size];
        f.Extract(ink, d);
        return d;
    }

    private static float At(float[] d, int channel, int point, int length = 8) => d[channel * length + point];

    [Fact]
    public void Extract_StraightStroke_PointsEvenlyAlongItFromMinusOneToOne()
    {
        // 15 samples bunched at the start, 2 at the end: the resampling is by path length, not by sample.
        var pts = Enumerable.Range(0, 15).Select(i => new InkPoint(10 + i, 50, i * 10)).Append(new InkPoint(60, 50, 200)).Append(new InkPoint(80, 50, 210)).ToArray();
        var d = Extract(new Ink(100, 100, [pts]));
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(-1 + 2f * i / 7, At(d, InkSequenceFeatures.X, i), 4);
            Assert.Equal(0f, At(d, InkSequenceFeatures.Y, i));
            Assert.Equal(1f, At(d, InkSequenceFeatures.Cos, i));
            Assert.Equal(0f, At(d, InkSequenceFeatures.Sin, i));
            Assert.Equal(0f, At(d, InkSequenceFeatures.PenUp, i));
        }
    }

    [Fact]
    public void Extract_TwoStrokes_FlagsThePointsOnTheJumpBetweenThemAsPenUp()
    {
        // Down 0..30 at x=0, jump right 30 (pen up), down 30..0 at x=30: a path of 90, points 90/7 apart.
        var a = new[] { new InkPoint(0, 0, 0), new InkPoint(0, 30, 100) };
        var b = new[] { new InkPoint(30, 30, 300), new InkPoint(30, 0, 400) };
        var d = Extract(new Ink(100, 100, [a, b]));
        var up = Enumerable.Range(0, 8).Select(i => At(d, InkSequenceFeatures.PenUp, i)).ToArray();
        Assert.Equal(new float[] { 0, 0, 0, 1, 1, 0, 0, 0 }, up);
        Assert.Equal(1f, At(d, InkSequenceFeatures.Sin, 0)); // down the page first
        Assert.Equal(1f, At(d, InkSequenceFeatures.Cos, 3)); // then right, pen up
        Assert.Equal(-1f, At(d, InkSequenceFeatures.Sin, 7)); // then up the page
        Assert.Equal(1f, At(d, InkSequenceFeatures.X, 7), 4);
        Assert.Equal(-1f, At(d, InkSequenceFeatures.Y, 7), 4);
    }

    [Fact]
    public void Extract_StrokeSubsetInAnyOrder_TakesThemInWritingOrderAndIgnoresTheRest()
    {
        var a = new[] { new InkPoint(0, 0, 0), new InkPoint(0, 30, 100) };
        var b = new[] { new InkPoint(30, 30, 300), new InkPoint(30, 0, 400) };
        var far = new[] { new InkPoint(200, 90, 500), new InkPoint(250, 90, 600) };
        var ink = new Ink(300, 100, [a, b, far]);
        var f = new InkSequenceFeatures(8);
        var reversed = new float[f.Size];
        f.Extract(ink, [1, 0], reversed);
        Assert.Equal(Extract(new Ink(300, 100, [a, b])), reversed);
    }

    [Fact]
    public void Extract_OnePoint_PositionOnlyNoDirection()
    {
        var d = Extract(new Ink(100, 100, [[new InkPoint(5, 5, 0)]]));
        Assert.All(d, v => Assert.Equal(0f, v));
        var empty = Extract(new Ink(100, 100, []));
        Assert.All(empty, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Extract_ShortDestinationOrBadStroke_ThrowsWithTheReason()
    {
        var f = new InkSequenceFeatures(8);
        var ink = new Ink(100, 100, [[new InkPoint(5, 5, 0), new InkPoint(9, 9, 10)]]);
        Assert.Contains("40 needed", Assert.Throws<ArgumentException>(() => f.Extract(ink, new float[39])).Message);
        Assert.Contains("stroke 3", Assert.Throws<ArgumentException>(() => f.Extract(ink, [3], new float[40])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new InkSequenceFeatures(1));
    }

    [Fact]
    public void Extract_SteadyState_AllocatesNothing()
    {
        var ink = new Ink(320, 240, [.. Enumerable.Range(0, 6).Select(s => Enumerable.Range(0, 40).Select(i => new InkPoint(s * 30 + i, 100 + i % 7, s * 1000 + i * 10)).ToArray())]);
        var f = new InkSequenceFeatures();
        var d = new float[f.Size];
        int[] strokes = [4, 2, 0];
        Assert.Equal(0, Allocations.SteadyState(() => f.Extract(ink, strokes, d)));
    }
}
