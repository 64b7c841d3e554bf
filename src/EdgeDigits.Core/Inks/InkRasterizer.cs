using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Inks;

/// <summary>
/// Draws ink strokes as white-on-black anti-aliased lines. The pen width is a fraction of the
/// writing's size (so a small and a large "3" look alike after normalization), and the points are
/// smoothed with a [1 2 1] filter to take out touch-panel jitter. Keeps its buffers. Not thread-safe.
/// </summary>
public sealed class InkRasterizer
{
    private float[] _sx = new float[256], _sy = new float[256];

    /// <summary>Longer side, in pixels, of a digit drawn by <see cref="RasterizeDigit"/> (before the 20 px normalization).</summary>
    public int Resolution { get; init; } = 40;

    /// <summary>Pen width as a fraction of the digit's longer side (MNIST strokes are about a tenth of the digit).</summary>
    public float PenWidthFraction { get; init; } = 0.17f;

    /// <summary>Smoothing passes over the points (0 = draw the raw samples).</summary>
    public int SmoothingPasses { get; init; } = 1;

    /// <summary>
    /// Draws the strokes <paramref name="strokes"/> of <paramref name="ink"/> into <paramref name="target"/>
    /// (resized to fit, longer side = <see cref="Resolution"/> plus the pen margin) and returns their
    /// bounding box in ink coordinates (empty when there are no points).
    /// </summary>
    public PixelRect RasterizeDigit(Ink ink, ReadOnlySpan<int> strokes, GrayImage target)
    {
        ArgumentNullException.ThrowIfNull(ink);
        ArgumentNullException.ThrowIfNull(target);
        float x0 = float.MaxValue, y0 = float.MaxValue, x1 = float.MinValue, y1 = float.MinValue;
        foreach (int s in strokes)
            foreach (var p in ink.Strokes[s])
            {
                x0 = Math.Min(x0, p.X); x1 = Math.Max(x1, p.X); y0 = Math.Min(y0, p.Y); y1 = Math.Max(y1, p.Y);
            }
        if (x0 > x1)
        {
            target.Resize(1, 1);
            target.Fill(0);
            return default;
        }
        float longer = Math.Max(Math.Max(x1 - x0, y1 - y0), 1f);
        float scale = Resolution / longer;
        float pen = Math.Max(1.5f, PenWidthFraction * Resolution);
        float margin = pen / 2 + 2;
        int w = (int)Math.Ceiling((x1 - x0) * scale + 2 * margin);
        int h = (int)Math.Ceiling((y1 - y0) * scale + 2 * margin);
        target.Resize(w, h);
        target.Fill(0);
        foreach (int s in strokes)
            DrawStroke(ink.Strokes[s], target, scale, margin - x0 * scale, margin - y0 * scale, pen);
        int bx = (int)Math.Floor(x0), by = (int)Math.Floor(y0);
        return new PixelRect(bx, by, Math.Max(1, (int)Math.Ceiling(x1) - bx), Math.Max(1, (int)Math.Ceiling(y1) - by));
    }

    /// <summary>
    /// Draws the whole ink at panel resolution (white on black) with pen width
    /// <paramref name="penWidth"/> panel pixels (0 = <see cref="PenWidthFraction"/> of the writing's height).
    /// </summary>
    public GrayImage RasterizePanel(Ink ink, float penWidth = 0)
    {
        ArgumentNullException.ThrowIfNull(ink);
        var img = new GrayImage(ink.Width, ink.Height);
        if (penWidth <= 0)
        {
            float y0 = float.MaxValue, y1 = float.MinValue;
            foreach (var s in ink.Strokes) foreach (var p in s) { y0 = Math.Min(y0, p.Y); y1 = Math.Max(y1, p.Y); }
            penWidth = y1 > y0 ? Math.Max(2f, PenWidthFraction * (y1 - y0)) : 3f;
        }
        foreach (var s in ink.Strokes) DrawStroke(s, img, 1, 0, 0, penWidth);
        return img;
    }

    private void DrawStroke(InkPoint[] pts, GrayImage target, float scale, float ox, float oy, float pen)
    {
        int n = pts.Length;
        if (n == 0) return;
        if (_sx.Length < n) { _sx = new float[Math.Max(n, _sx.Length * 2)]; _sy = new float[_sx.Length]; }
        for (int i = 0; i < n; i++)
        {
            _sx[i] = pts[i].X * scale + ox;
            _sy[i] = pts[i].Y * scale + oy;
        }
        for (int pass = 0; pass < SmoothingPasses && n > 2; pass++)
        {
            // [1 2 1]/4 in place, carrying the previous original value; the end points stay put.
            float px = _sx[0], py = _sy[0];
            for (int i = 1; i < n - 1; i++)
            {
                float cx = _sx[i], cy = _sy[i];
                _sx[i] = (px + 2 * cx + _sx[i + 1]) * 0.25f;
                _sy[i] = (py + 2 * cy + _sy[i + 1]) * 0.25f;
                px = cx;
                py = cy;
            }
        }
        float r = pen / 2;
        if (n == 1) { DrawSegment(target, _sx[0], _sy[0], _sx[0], _sy[0], r); return; }
        for (int i = 0; i < n - 1; i++) DrawSegment(target, _sx[i], _sy[i], _sx[i + 1], _sy[i + 1], r);
    }

    /// <summary>A capsule of radius r around the segment, anti-aliased by the distance to its edge (one pixel ramp).</summary>
    private static void DrawSegment(GrayImage img, float ax, float ay, float bx, float by, float r)
    {
        int xmin = Math.Max(0, (int)MathF.Floor(MathF.Min(ax, bx) - r - 1));
        int xmax = Math.Min(img.Width - 1, (int)MathF.Ceiling(MathF.Max(ax, bx) + r + 1));
        int ymin = Math.Max(0, (int)MathF.Floor(MathF.Min(ay, by) - r - 1));
        int ymax = Math.Min(img.Height - 1, (int)MathF.Ceiling(MathF.Max(ay, by) + r + 1));
        float dx = bx - ax, dy = by - ay;
        float len2 = dx * dx + dy * dy;
        for (int y = ymin; y <= ymax; y++)
        {
            var row = img.Row(y);
            float py = y + 0.5f;
            for (int x = xmin; x <= xmax; x++)
            {
                float px = x + 0.5f;
                float t = len2 > 0 ? Math.Clamp(((px - ax) * dx + (py - ay) * dy) / len2, 0f, 1f) : 0f;
                float ex = ax + t * dx - px, ey = ay + t * dy - py;
                float d = MathF.Sqrt(ex * ex + ey * ey);
                float cover = r + 0.5f - d;
                if (cover <= 0) continue;
                int v = cover >= 1 ? 255 : (int)(cover * 255 + 0.5f);
                if (v > row[x]) row[x] = (byte)v;
            }
        }
    }
}
