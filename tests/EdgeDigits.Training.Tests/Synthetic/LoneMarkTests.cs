using EdgeDigits.Core.Imaging;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Tests.Synthetic;

/// <summary>Pages of one lone mark (<see cref="ClutteredFormComposer.LoneMark(Random, LoneMarkKind)"/>) and their crops as "none".</summary>
public sealed class LoneMarkTests
{
    /// <summary>How much darker than the paper around it a pixel's 3x3 mean must be to count as ink (the lightest marks are 50 under the paper).</summary>
    private const int InkDepth = 40;

    private static readonly Lazy<DigitSet> Source = new(() => Mnist.Load(RepoPaths.Mnist, MnistSplit.Train, limit: 2000));

    /// <summary>Side of the tiles whose medians give the paper level (the composer's light falls off by up to 45 across a page).</summary>
    private const int Tile = 16;

    /// <summary>Ink: a pixel whose 3x3 mean (paper noise is up to 9 per pixel) lies <see cref="InkDepth"/> under the paper around it, the brightest tile median of its 3x3 tiles.</summary>
    private static bool[,] InkMask(GrayImage img)
    {
        int tw = (img.Width + Tile - 1) / Tile, th = (img.Height + Tile - 1) / Tile;
        var median = new int[tw, th];
        for (int ty = 0; ty < th; ty++)
            for (int tx = 0; tx < tw; tx++)
            {
                var v = new List<byte>();
                for (int y = ty * Tile; y < Math.Min(img.Height, (ty + 1) * Tile); y++)
                    for (int x = tx * Tile; x < Math.Min(img.Width, (tx + 1) * Tile); x++) v.Add(img[x, y]);
                v.Sort();
                median[tx, ty] = v[v.Count / 2];
            }
        var m = new bool[img.Width, img.Height];
        for (int y = 1; y < img.Height - 1; y++)
            for (int x = 1; x < img.Width - 1; x++)
            {
                int paper = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int tx = x / Tile + dx, ty = y / Tile + dy;
                        if (tx >= 0 && ty >= 0 && tx < tw && ty < th) paper = Math.Max(paper, median[tx, ty]);
                    }
                int sum = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) sum += img[x + dx, y + dy];
                m[x, y] = sum / 9.0 < paper - InkDepth;
            }
        return m;
    }

    public static TheoryData<LoneMarkKind> Kinds => [.. Enum.GetValues<LoneMarkKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LoneMark_EachKind_InksOnlyInsideItsOneMarkAndWritesNoNumber(LoneMarkKind kind)
    {
        var expected = kind switch
        {
            LoneMarkKind.Ring or LoneMarkKind.BrokenRing or LoneMarkKind.DoubleRing => ClutterKind.Stamp,
            LoneMarkKind.Tick => ClutterKind.Tick,
            LoneMarkKind.Cross => ClutterKind.Cross,
            LoneMarkKind.Dot => ClutterKind.Dot,
            _ => ClutterKind.Stroke,
        };
        for (int seed = 0; seed < 12; seed++)
        {
            var form = ClutteredFormComposer.LoneMark(new Random(seed), kind);
            Assert.Equal("", form.Truth);
            Assert.Empty(form.DigitBoxes);
            var (k, box) = Assert.Single(form.Clutter);
            Assert.Equal(expected, k);
            var ink = InkMask(form.Image);
            int inside = 0, outside = 0;
            for (int y = 0; y < form.Image.Height; y++)
                for (int x = 0; x < form.Image.Width; x++)
                    if (ink[x, y]) { if (x >= box.X - 1 && x <= box.Right && y >= box.Y - 1 && y <= box.Bottom) inside++; else outside++; }
            Assert.True(inside >= 4, $"seed {seed}: only {inside} ink pixels in the mark's box {box}");
            Assert.Equal(0, outside);
            // The mark sits near the middle of a page with paper all round it.
            Assert.InRange(box.X + box.Width / 2.0, form.Image.Width * 0.3, form.Image.Width * 0.7);
            Assert.InRange(box.Y + box.Height / 2.0, form.Image.Height * 0.3, form.Image.Height * 0.7);
            Assert.True(box.X > 0 && box.Y > 0 && box.Right < form.Image.Width && box.Bottom < form.Image.Height, $"seed {seed}: {box} touches the edge");
            if (kind == LoneMarkKind.Stroke)
            {
                // Never near vertical (that is a 1): the ink is at most tan(MaxStrokeAngle) as tall as wide, plus the pen.
                var (w, h) = InkExtent(ink);
                double pen = Math.Min(w, h);
                Assert.True(h - pen <= Math.Tan(ClutteredFormComposer.MaxStrokeAngle * Math.PI / 180) * (w - pen) + 2, $"seed {seed}: a {w}x{h} stroke is near vertical");
            }
        }
    }

    private static (int W, int H) InkExtent(bool[,] ink)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int y = 0; y < ink.GetLength(1); y++)
            for (int x = 0; x < ink.GetLength(0); x++)
                if (ink[x, y]) { x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y); }
        return (x1 - x0 + 1, y1 - y0 + 1);
    }

    /// <summary>Per degree around the stamp box's centre, whether a ray crosses ring ink in the outer band (0.75-1 of the box radius), and how many separate runs of ink it crosses.</summary>
    private static (bool[] Hit, int[] Runs) Rays(bool[,] ink, PixelRect box)
    {
        double cx = box.X + box.Width / 2.0, cy = box.Y + box.Height / 2.0, outer = box.Width / 2.0;
        var hit = new bool[360];
        var runs = new int[360];
        for (int a = 0; a < 360; a++)
        {
            double c = Math.Cos(a * Math.PI / 180), s = Math.Sin(a * Math.PI / 180);
            bool inRun = false;
            for (double r = 0.45 * outer; r <= outer + 1; r += 0.5)
            {
                int x = (int)(cx + r * c), y = (int)(cy + r * s);
                bool on = x >= 0 && y >= 0 && x < ink.GetLength(0) && y < ink.GetLength(1) && ink[x, y];
                if (on && r >= 0.75 * outer) hit[a] = true;
                if (on && !inRun) runs[a]++;
                inRun = on;
            }
        }
        return (hit, runs);
    }

    private static int LongestMiss(bool[] hit)
    {
        int best = 0, run = 0;
        for (int i = 0; i < 2 * hit.Length; i++) { run = hit[i % hit.Length] ? 0 : run + 1; best = Math.Max(best, run); }
        return Math.Min(best, hit.Length);
    }

    [Fact]
    public void LoneMark_Rings_ClosedBrokenAndDoubleAsDrawn()
    {
        int broken = 0, doubled = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            var ring = ClutteredFormComposer.LoneMark(new Random(seed), LoneMarkKind.Ring);
            var (hit, _) = Rays(InkMask(ring.Image), ring.Clutter[0].Box);
            Assert.True(LongestMiss(hit) <= 2, $"seed {seed}: a closed ring has a {LongestMiss(hit)}° gap");

            var b = ClutteredFormComposer.LoneMark(new Random(seed), LoneMarkKind.BrokenRing);
            // One to three arcs of at least 3 of 48 chords (22.5°) are left out; a gap may come out narrower where pen width covers its ends.
            if (LongestMiss(Rays(InkMask(b.Image), b.Clutter[0].Box).Hit) >= 8) broken++;

            var d = ClutteredFormComposer.LoneMark(new Random(seed), LoneMarkKind.DoubleRing);
            var (_, runs) = Rays(InkMask(d.Image), d.Clutter[0].Box);
            // Most rays cross both rings (some meet the bar or the lettering, or the rings merge under a thick pen).
            if (runs.Count(n => n >= 2) > 180) doubled++;
        }
        Assert.True(broken >= 9, $"only {broken} of 10 broken rings show a gap");
        Assert.True(doubled >= 8, $"only {doubled} of 10 double rings show two rings");
    }

    [Fact]
    public void LoneMark_SameSeed_SamePage()
    {
        var a = ClutteredFormComposer.LoneMark(new Random(4));
        var b = ClutteredFormComposer.LoneMark(new Random(4));
        Assert.Equal(a.Image.Width, b.Image.Width);
        Assert.Equal(a.Image.Data.ToArray(), b.Image.Data.ToArray());
        Assert.Equal(a.Clutter, b.Clutter);
    }

    [Fact]
    public void Clutter_OnlyLoneMarkPages_EveryCropIsNoneAndRingsAreCutWhole()
    {
        var set = DeviceInputDigits.Clutter(Source.Value, 200, SyntheticSplit.Train, seed: 5, loneMarks: 1);
        Assert.Equal(200, set.Count);
        Assert.All(set.Labels, l => Assert.Equal(10, l));
        // A ring cut whole and normalized: a hole at the centre with ink on all four sides of it. Rings are half the pages;
        // a bar or lettering fills some holes, and lettering and paper specks are crops of their own.
        int rings = 0;
        for (int i = 0; i < set.Count; i++)
        {
            var px = set.Image(i).ToArray();
            bool hole = px[14 * 28 + 14] < 64;
            bool left = Enumerable.Range(2, 10).Any(x => px[14 * 28 + x] > 128), right = Enumerable.Range(16, 10).Any(x => px[14 * 28 + x] > 128);
            bool top = Enumerable.Range(2, 10).Any(y => px[y * 28 + 14] > 128), bottom = Enumerable.Range(16, 10).Any(y => px[y * 28 + 14] > 128);
            if (hole && left && right && top && bottom) rings++;
        }
        Assert.True(rings >= 20, $"only {rings} of 200 crops are whole rings");
    }

    [Fact]
    public void Clutter_NoLoneMarkPages_KeepsDigitsAndNone()
    {
        var set = DeviceInputDigits.Clutter(Source.Value, 200, SyntheticSplit.Train, seed: 5, loneMarks: 0);
        var counts = set.ClassCounts();
        Assert.True(counts.Take(10).Sum() > 100, $"{counts.Take(10).Sum()} digit crops of 200");
        Assert.True(counts[10] > 0, "no clutter crops");
    }

    [Fact]
    public void Compose_StrokeBesideANumber_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => ClutteredFormComposer.Compose([Source.Value.Image(0).ToArray()], "5", new Random(1), [ClutterKind.Stroke]));
        Assert.Contains("LoneMark", e.Message);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void Clutter_LoneMarkShareOutOfRange_Throws(double share)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceInputDigits.Clutter(Source.Value, 10, SyntheticSplit.Train, 1, share));
        Assert.Contains("between 0 and 1", e.Message);
    }
}
