using EdgeDigits.Core.Inks;
using EdgeDigits.Training.Data.PenDigits;

namespace EdgeDigits.Training.Tests.Data.PenDigits;

public sealed class PenStrokeAugmenterTests
{
    // A "7" written as a bar left to right, then a pause, then the down stroke.
    private static readonly Ink Seven = new(500, 500,
        [[new InkPoint(100, 100, 0), new InkPoint(150, 100, 10), new InkPoint(200, 100, 20), new InkPoint(250, 100, 30)],
         [new InkPoint(175, 50, 130), new InkPoint(175, 150, 140), new InkPoint(175, 250, 150)]], "7");

    private static long[] Times(Ink ink) => ink.Strokes.SelectMany(s => s).Select(p => p.TimeMs).ToArray();

    [Fact]
    public void Apply_SameSeed_SameInk()
    {
        var a = PenStrokeAugmenter.Default;
        Assert.Equal(a.Apply(Seven, new Random(3)).ToJson(), a.Apply(Seven, new Random(3)).ToJson());
        Assert.NotEqual(a.Apply(Seven, new Random(3)).ToJson(), a.Apply(Seven, new Random(4)).ToJson());
    }

    [Fact]
    public void None_ChangesNothing()
    {
        var ink = PenStrokeAugmenter.None.Apply(Seven, new Random(1));
        Assert.Equal(Seven.Strokes.Count, ink.Strokes.Count);
        for (int s = 0; s < Seven.Strokes.Count; s++)
        {
            Assert.Equal(Seven.Strokes[s].Length, ink.Strokes[s].Length);
            for (int i = 0; i < Seven.Strokes[s].Length; i++)
            {
                Assert.Equal(Seven.Strokes[s][i].X, ink.Strokes[s][i].X, 0.01f);
                Assert.Equal(Seven.Strokes[s][i].Y, ink.Strokes[s][i].Y, 0.01f);
                Assert.Equal(Seven.Strokes[s][i].TimeMs, ink.Strokes[s][i].TimeMs);
            }
        }
    }

    [Fact]
    public void Default_ManySeeds_NeverMirrorsAndKeepsTimeOrder()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            var ink = PenStrokeAugmenter.Default.Apply(Seven, new Random(seed));
            Assert.Equal("7", ink.Label);
            Assert.Equal(2, ink.Strokes.Count);
            var times = Times(ink);
            Assert.Equal(times.Order(), times);
            // Whichever order and direction: the bar stays the top stroke and the down stroke still runs down.
            var bar = ink.Strokes.OrderBy(s => s.Average(p => p.Y)).First();
            var down = ink.Strokes.First(s => !ReferenceEquals(s, bar));
            Assert.True(Math.Abs(bar[^1].X - bar[0].X) > 100, $"seed {seed}");
            Assert.True(down[^1].Y - down[0].Y > 150, $"seed {seed}");
        }
    }

    [Fact]
    public void StrokeOrder_LastStrokeFirst_KeepsDurationsAndPause()
    {
        var a = PenStrokeAugmenter.None with { StrokeOrderProbability = 1 };
        var ink = a.Apply(Seven, new Random(2));
        Assert.Equal(250, ink.Strokes[0][^1].Y, 0.01f);            // the down stroke now comes first
        Assert.Equal(100, ink.Strokes[1][0].Y, 0.01f);             // then the bar
        Assert.Equal(0, ink.Strokes[0][0].TimeMs);                 // the ink starts when it started
        Assert.Equal(20, ink.Strokes[0][^1].TimeMs - ink.Strokes[0][0].TimeMs); // the down stroke keeps its 20 ms
        Assert.Equal(100, ink.Strokes[1][0].TimeMs - ink.Strokes[0][^1].TimeMs); // the 100 ms pause stays
        Assert.Equal(30, ink.Strokes[1][^1].TimeMs - ink.Strokes[1][0].TimeMs);
    }

    [Fact]
    public void BarReverse_OnlyFlatStrokesAreDrawnTheOtherWay()
    {
        var a = PenStrokeAugmenter.None with { BarReverseProbability = 1 };
        var ink = a.Apply(Seven, new Random(2));
        Assert.Equal(250, ink.Strokes[0][0].X, 0.01f);             // the bar now runs right to left
        Assert.Equal(100, ink.Strokes[0][^1].X, 0.01f);
        Assert.Equal(Times(Seven), Times(ink));                    // at the same times
        Assert.Equal(50, ink.Strokes[1][0].Y, 0.01f);              // the steep down stroke is left alone
    }

    [Fact]
    public void PointDropout_KeepsFirstAndLastPoints()
    {
        var dense = new Ink(500, 500, [Enumerable.Range(0, 200).Select(i => new InkPoint(100 + i, 100 + i / 4f, i * 5L)).ToArray()], "1");
        var a = PenStrokeAugmenter.None with { PointDropout = 0.5f };
        var s = a.Apply(dense, new Random(9)).Strokes[0];
        Assert.InRange(s.Length, 70, 130);
        Assert.Equal((100f, 0L), (s[0].X, s[0].TimeMs));
        Assert.Equal((299f, 995L), (s[^1].X, s[^1].TimeMs));
    }

    [Fact]
    public void StrokeTurn_TurnsOneStrokeAboutItsCentre()
    {
        var a = PenStrokeAugmenter.None with { MaxStrokeTurnDegrees = 20 };
        var turned = Enumerable.Range(0, 50).Select(seed => a.Apply(Seven, new Random(seed)).Strokes[0]).ToList();
        // The bar tilts (its ends no longer level) but its centre stays put.
        Assert.Contains(turned, s => Math.Abs(s[^1].Y - s[0].Y) > 20);
        Assert.All(turned, s => Assert.Equal(175, (s[0].X + s[^1].X) / 2, 1f));
        Assert.All(turned, s => Assert.InRange(Math.Abs(s[^1].Y - s[0].Y), 0, 150 * Math.Sin(20 * Math.PI / 180) + 0.1));
    }

    [Fact]
    public void Speed_SlowerPenHasMorePoints()
    {
        var slow = PenStrokeAugmenter.None with { MinSpeed = 0.5f, MaxSpeed = 0.5f };
        var fast = PenStrokeAugmenter.None with { MinSpeed = 2f, MaxSpeed = 2f };
        Assert.Equal(7, slow.Apply(Seven, new Random(1)).Strokes[0].Length);
        Assert.Equal(3, fast.Apply(Seven, new Random(1)).Strokes[0].Length);
    }
}
