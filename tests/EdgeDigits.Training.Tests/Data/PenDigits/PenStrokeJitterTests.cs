using EdgeDigits.Core.Inks;
using EdgeDigits.Training.Data.PenDigits;

namespace EdgeDigits.Training.Tests.Data.PenDigits;

public sealed class PenStrokeJitterTests
{
    private static readonly Ink Bar = new(500, 500,
        [[new InkPoint(100, 100, 0), new InkPoint(150, 100, 10), new InkPoint(200, 100, 20), new InkPoint(250, 100, 30)],
         [new InkPoint(175, 50, 130), new InkPoint(175, 250, 140)]], "7");

    [Fact]
    public void Apply_SameSeed_SameInk()
    {
        Assert.Equal(PenStrokeJitter.Apply(Bar, new Random(3)).ToJson(), PenStrokeJitter.Apply(Bar, new Random(3)).ToJson());
        Assert.NotEqual(PenStrokeJitter.Apply(Bar, new Random(3)).ToJson(), PenStrokeJitter.Apply(Bar, new Random(4)).ToJson());
    }

    [Fact]
    public void Apply_ManySeeds_KeepsStrokesLabelDirectionAndTimeOrder()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var ink = PenStrokeJitter.Apply(Bar, new Random(seed));
            Assert.Equal("7", ink.Label);
            Assert.Equal(2, ink.Strokes.Count);
            var bar = ink.Strokes[0];
            // Never mirrored: the bar still runs left to right, the down stroke still runs down.
            Assert.True(bar[^1].X - bar[0].X > 100, $"seed {seed}");
            Assert.True(ink.Strokes[1][^1].Y - ink.Strokes[1][0].Y > 150, $"seed {seed}");
            Assert.Equal((0L, 30L), (bar[0].TimeMs, bar[^1].TimeMs));
            var times = ink.Strokes.SelectMany(s => s).Select(p => p.TimeMs).ToArray();
            Assert.Equal(times.Order(), times);
        }
    }
}
