using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Preprocessing;

/// <summary>A point in pixel coordinates with sub-pixel precision.</summary>
/// <param name="X">Column.</param>
/// <param name="Y">Row.</param>
public readonly record struct PointF(double X, double Y);

/// <summary>Parsing of point lists given on a command line.</summary>
public static class PointList
{
    /// <summary>Parses <c>x1,y1,x2,y2,…</c> into exactly <paramref name="count"/> points; false with a reason on bad text.</summary>
    public static bool TryParse(string? text, int count, out PointF[] points, out string error)
    {
        points = [];
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 * count)
        {
            error = $"'{text}' is not {count} points x,y (expected {2 * count} numbers separated by commas)";
            return false;
        }
        var result = new PointF[count];
        for (int i = 0; i < count; i++)
        {
            if (!double.TryParse(parts[2 * i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x) ||
                !double.TryParse(parts[2 * i + 1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var y) ||
                !double.IsFinite(x) || !double.IsFinite(y))
            {
                error = $"point {i + 1} '{parts[2 * i]},{parts[2 * i + 1]}' in '{text}' is not two numbers";
                return false;
            }
            result[i] = new PointF(x, y);
        }
        points = result;
        error = "";
        return true;
    }
}

/// <summary>
/// A 3x3 homography mapping an output rectangle onto a quadrilateral of the source, used to
/// straighten a meter photographed at an angle (4-point warp).
/// </summary>
public sealed class PerspectiveTransform
{
    private readonly double[] _h; // row-major, h[8] = 1

    private PerspectiveTransform(double[] h, int width, int height)
    {
        _h = h;
        Width = width;
        Height = height;
    }

    /// <summary>Width of the straightened output.</summary>
    public int Width { get; }

    /// <summary>Height of the straightened output.</summary>
    public int Height { get; }

    /// <summary>
    /// The transform that maps a <paramref name="width"/> x <paramref name="height"/> output onto the
    /// source quadrilateral <paramref name="corners"/> given clockwise from top-left (TL, TR, BR, BL).
    /// </summary>
    /// <exception cref="ArgumentException">Not four corners, or they are degenerate (three in a line).</exception>
    public static PerspectiveTransform FromQuad(ReadOnlySpan<PointF> corners, int width, int height)
    {
        if (corners.Length != 4) throw new ArgumentException($"a perspective warp needs 4 corners, got {corners.Length}", nameof(corners));
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"output size {width}x{height} must be positive");
        Span<PointF> dst = [new(0, 0), new(width, 0), new(width, height), new(0, height)];
        // Solve for h (8 unknowns): src = H * dst, from x' = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), same for y'.
        var a = new double[8, 9];
        for (int i = 0; i < 4; i++)
        {
            double x = dst[i].X, y = dst[i].Y, u = corners[i].X, v = corners[i].Y;
            int r = 2 * i;
            a[r, 0] = x; a[r, 1] = y; a[r, 2] = 1; a[r, 6] = -x * u; a[r, 7] = -y * u; a[r, 8] = u;
            a[r + 1, 3] = x; a[r + 1, 4] = y; a[r + 1, 5] = 1; a[r + 1, 6] = -x * v; a[r + 1, 7] = -y * v; a[r + 1, 8] = v;
        }
        for (int c = 0; c < 8; c++)
        {
            int p = c;
            for (int r = c + 1; r < 8; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[p, c])) p = r;
            if (Math.Abs(a[p, c]) < 1e-9) throw new ArgumentException("perspective corners are degenerate (three or more in a line)", nameof(corners));
            if (p != c) for (int k = 0; k < 9; k++) (a[c, k], a[p, k]) = (a[p, k], a[c, k]);
            for (int r = 0; r < 8; r++)
            {
                if (r == c) continue;
                double f = a[r, c] / a[c, c];
                for (int k = c; k < 9; k++) a[r, k] -= f * a[c, k];
            }
        }
        var h = new double[9];
        for (int i = 0; i < 8; i++) h[i] = a[i, 8] / a[i, i];
        h[8] = 1;
        return new PerspectiveTransform(h, width, height);
    }

    /// <summary>Where output point (<paramref name="x"/>, <paramref name="y"/>) lies in the source.</summary>
    public PointF Map(double x, double y)
    {
        double w = _h[6] * x + _h[7] * y + _h[8];
        return new PointF((_h[0] * x + _h[1] * y + _h[2]) / w, (_h[3] * x + _h[4] * y + _h[5]) / w);
    }

    /// <summary>The source-image bounding box of an output rectangle (its four corners mapped).</summary>
    public PixelRect MapRect(PixelRect r)
    {
        Span<PointF> p = [Map(r.X, r.Y), Map(r.Right, r.Y), Map(r.Right, r.Bottom), Map(r.X, r.Bottom)];
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        foreach (var q in p)
        {
            x0 = Math.Min(x0, q.X); y0 = Math.Min(y0, q.Y); x1 = Math.Max(x1, q.X); y1 = Math.Max(y1, q.Y);
        }
        int ix = (int)Math.Floor(x0), iy = (int)Math.Floor(y0);
        return new PixelRect(ix, iy, (int)Math.Ceiling(x1) - ix, (int)Math.Ceiling(y1) - iy);
    }

    /// <summary>Straightens <paramref name="source"/> into <paramref name="destination"/> (resized to Width x Height; bilinear; outside = <paramref name="fill"/>).</summary>
    public void Warp(GrayImage source, GrayImage destination, byte fill = 255)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        destination.Resize(Width, Height);
        var src = source.Buffer.AsSpan();
        for (int y = 0; y < Height; y++)
        {
            var row = destination.Row(y);
            for (int x = 0; x < Width; x++)
            {
                // Pixel centres: output (x+0.5, y+0.5) maps to a source point whose pixel centre is at -0.5.
                var p = Map(x + 0.5, y + 0.5);
                row[x] = ImageKernels.Sample(src, source.Width, source.Height, source.Stride, p.X - 0.5, p.Y - 0.5, fill);
            }
        }
    }
}
