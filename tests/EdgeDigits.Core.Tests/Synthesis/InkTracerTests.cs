using EdgeDigits.Core.Synthesis;

namespace EdgeDigits.Core.Tests.Synthesis;

public class InkTracerTests
{
    private const int Side = InkTracer.Side; // the tracer's working resolution (28x28 upsampled)

    /// <summary>Tracer pixels per MNIST pixel.</summary>
    private const float Scale = Side / 28f;

    /// <summary>A 28x28 white-on-black digit: pixels within <paramref name="width"/>/2 of any given shape are ink.</summary>
    private static byte[] Draw(float width, params Func<float, float, float>[] distances)
    {
        var d = new byte[784];
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                if (distances.Any(f => f(x, y) <= width / 2)) d[y * 28 + x] = 255;
        return d;
    }

    private static Func<float, float, float> Ring(float cx, float cy, float r) => (x, y) => MathF.Abs(MathF.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - r);

    private static Func<float, float, float> Disk(float cx, float cy, float r) => (x, y) => MathF.Max(0, MathF.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - r);

    private static Func<float, float, float> Segment(float x0, float y0, float x1, float y1) => (x, y) =>
    {
        float dx = x1 - x0, dy = y1 - y0;
        float t = Math.Clamp(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1);
        float px = x0 + t * dx - x, py = y0 + t * dy - y;
        return MathF.Sqrt(px * px + py * py);
    };

    /// <summary>Draws the traced strokes one pixel wide and counts the enclosed background regions (loops).</summary>
    private static int Loops(List<List<(float X, float Y)>> strokes)
    {
        var ink = new bool[Side * Side];
        foreach (var s in strokes)
            for (int i = 0; i < s.Count; i++)
            {
                var (x0, y0) = s[i];
                var (x1, y1) = i + 1 < s.Count ? s[i + 1] : s[i];
                for (float t = 0; t <= 1; t += 0.05f)
                    ink[(int)MathF.Round(y0 + (y1 - y0) * t) * Side + (int)MathF.Round(x0 + (x1 - x0) * t)] = true;
            }
        var seen = new bool[ink.Length];
        int loops = 0;
        var stack = new Stack<int>();
        for (int s = 0; s < ink.Length; s++)
        {
            if (ink[s] || seen[s]) continue;
            bool border = false;
            int area = 0;
            seen[s] = true;
            stack.Push(s);
            while (stack.Count > 0)
            {
                int p = stack.Pop(), x = p % Side, y = p / Side;
                area++;
                if (x == 0 || y == 0 || x == Side - 1 || y == Side - 1) border = true;
                foreach (var q in new[] { x > 0 ? p - 1 : -1, x < Side - 1 ? p + 1 : -1, y > 0 ? p - Side : -1, y < Side - 1 ? p + Side : -1 })
                    if (q >= 0 && !ink[q] && !seen[q]) { seen[q] = true; stack.Push(q); }
            }
            if (!border && area >= 2) loops++;
        }
        return loops;
    }

    /// <summary>Distance from <paramref name="p"/> to the nearest segment of <paramref name="strokes"/>.</summary>
    private static float DistanceTo(List<List<(float X, float Y)>> strokes, (float X, float Y) p)
    {
        float best = float.MaxValue;
        foreach (var s in strokes)
            for (int i = 0; i < s.Count; i++)
            {
                var (a, b) = (s[i], s[Math.Min(i + 1, s.Count - 1)]);
                best = Math.Min(best, Segment(a.X, a.Y, b.X == a.X && b.Y == a.Y ? a.X + 1e-3f : b.X, b.Y)(p.X, p.Y));
            }
        return best;
    }

    [Fact]
    public void Trace_EightOfTwoRings_BothLoopsDrawnClosed()
    {
        var eight = Draw(2.2f, Ring(14, 8.5f, 4.5f), Ring(14, 18.5f, 5.5f));
        var strokes = InkTracer.Trace(eight);
        Assert.Equal(2, Loops(strokes));
    }

    [Fact]
    public void Trace_SixWhoseLoopAFatPenFilledIn_TracedWithALoop()
    {
        // A thin stem running into a solid disk: the 6 of a fat pen.
        var six = Draw(2.4f, Segment(17, 3, 10, 16), Disk(14, 19, 4.5f));
        var strokes = InkTracer.Trace(six);
        Assert.Equal(1, Loops(strokes));
    }

    [Fact]
    public void Trace_ThickStraightStroke_NoLoopAdded()
    {
        // Evenly thick ink is a stroke, not a blob: no hole is cut into it.
        var one = Draw(4.5f, Segment(15, 4, 12, 24));
        var strokes = InkTracer.Trace(one);
        Assert.Equal(0, Loops(strokes));
        Assert.Single(strokes);
    }

    [Fact]
    public void Trace_ShortFatStroke_ReachesWhereThePenStopped()
    {
        // Thinning eats a fat stroke's ends back by about its half width (this one to y 10.75..18); the
        // traced pen runs on to within a pixel (MNIST scale) of where the pen's centre stopped: y 8 and 20.
        var one = Draw(7f, Segment(14, 8, 14, 20));
        var points = InkTracer.Trace(one).SelectMany(s => s).ToList();
        float top = points.Min(p => p.Y) / Scale, bottom = points.Max(p => p.Y) / Scale;
        Assert.True(top <= 9 && top >= 7 && bottom >= 19 && bottom <= 21, $"traced from y {top:F2} to {bottom:F2}, the pen from 8 to 20");
    }

    [Fact]
    public void Trace_FourWithCrossingArms_OneConnectedDrawing()
    {
        // Strokes that leave or reach a junction are joined to it: every later stroke shares a point with
        // the strokes drawn before it, so no stroke floats a pixel away from the others.
        var four = Draw(2.2f, Segment(16, 4, 7, 17), Segment(7, 17, 22, 17), Segment(18, 8, 18, 25));
        var strokes = InkTracer.Trace(four);
        Assert.True(strokes.Count >= 2);
        for (int i = 1; i < strokes.Count; i++)
        {
            var before = strokes.Take(i).ToList();
            var gap = Math.Min(DistanceTo(before, strokes[i][0]), DistanceTo(before, strokes[i][^1]));
            // A quarter of an MNIST pixel: the every-other-point sampling cuts a corner by less than that.
            Assert.True(gap <= 0.25f * Scale, $"stroke {i} ({strokes[i].Count} points) ends {gap:F1} px from the strokes before it");
        }
    }

    [Fact]
    public void Trace_FaintStrokeOfDarkAndPaleStretches_StaysOneStroke()
    {
        // A faint "1": stretches of 200 alternate with stretches of 90, below mid-grey. Cut at mid-grey it
        // would fall into four pieces; a digit that breaks up is traced at the low threshold instead.
        var one = Draw(2.2f, Segment(14, 4, 14, 24));
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                if (one[y * 28 + x] != 0 && y % 6 >= 3) one[y * 28 + x] = 90;
        var strokes = InkTracer.Trace(one);
        Assert.Single(strokes);
        float top = strokes[0].Min(p => p.Y) / Scale, bottom = strokes[0].Max(p => p.Y) / Scale;
        Assert.True(top <= 6 && bottom >= 22, $"traced from y {top:F2} to {bottom:F2}, the stroke runs from 4 to 24");
    }

    [Fact]
    public void Trace_WrongSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => InkTracer.Trace(new byte[100]));
    }
}
