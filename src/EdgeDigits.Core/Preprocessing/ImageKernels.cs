using System.Numerics;

namespace EdgeDigits.Core.Preprocessing;

/// <summary>
/// Allocation-free pixel kernels on 8-bit rows. Each vectorized kernel has a <c>…Scalar</c> twin that
/// defines its result; tests compare the two over many lengths.
/// </summary>
public static class ImageKernels
{
    /// <summary>dst[i] = 255 - src[i]. In place is allowed.</summary>
    public static void Invert(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        CheckLength(src.Length, dst.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated && src.Length >= Vector<byte>.Count)
        {
            var all = new Vector<byte>(255);
            for (; i <= src.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                (all - new Vector<byte>(src[i..])).CopyTo(dst[i..]);
        }
        for (; i < src.Length; i++) dst[i] = (byte)(255 - src[i]);
    }

    /// <summary>Scalar definition of <see cref="Invert"/>.</summary>
    public static void InvertScalar(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        CheckLength(src.Length, dst.Length);
        for (int i = 0; i < src.Length; i++) dst[i] = (byte)(255 - src[i]);
    }

    /// <summary>dst[i] = 255 where src[i] &gt; threshold, else 0. In place is allowed.</summary>
    public static void Threshold(ReadOnlySpan<byte> src, Span<byte> dst, byte threshold)
    {
        CheckLength(src.Length, dst.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated && src.Length >= Vector<byte>.Count)
        {
            var t = new Vector<byte>(threshold);
            for (; i <= src.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                Vector.GreaterThan(new Vector<byte>(src[i..]), t).CopyTo(dst[i..]);
        }
        for (; i < src.Length; i++) dst[i] = src[i] > threshold ? (byte)255 : (byte)0;
    }

    /// <summary>Scalar definition of <see cref="Threshold"/>.</summary>
    public static void ThresholdScalar(ReadOnlySpan<byte> src, Span<byte> dst, byte threshold)
    {
        CheckLength(src.Length, dst.Length);
        for (int i = 0; i < src.Length; i++) dst[i] = src[i] > threshold ? (byte)255 : (byte)0;
    }

    /// <summary>dst[i] = max(0, a[i] - b[i]) (saturating subtract). In place on either input is allowed.</summary>
    public static void SubtractSaturate(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> dst)
    {
        CheckLength(a.Length, b.Length);
        CheckLength(a.Length, dst.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated && a.Length >= Vector<byte>.Count)
        {
            for (; i <= a.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var va = new Vector<byte>(a[i..]);
                (va - Vector.Min(va, new Vector<byte>(b[i..]))).CopyTo(dst[i..]);
            }
        }
        for (; i < a.Length; i++) dst[i] = (byte)Math.Max(0, a[i] - b[i]);
    }

    /// <summary>Scalar definition of <see cref="SubtractSaturate"/>.</summary>
    public static void SubtractSaturateScalar(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> dst)
    {
        CheckLength(a.Length, b.Length);
        CheckLength(a.Length, dst.Length);
        for (int i = 0; i < a.Length; i++) dst[i] = (byte)Math.Max(0, a[i] - b[i]);
    }

    /// <summary>Adds the values of <paramref name="src"/> to a 256-bin <paramref name="histogram"/> (not cleared first).</summary>
    public static void AccumulateHistogram(ReadOnlySpan<byte> src, Span<int> histogram)
    {
        if (histogram.Length < 256) throw new ArgumentException($"histogram needs 256 bins, got {histogram.Length}", nameof(histogram));
        foreach (var v in src) histogram[v]++;
    }

    /// <summary>
    /// Otsu's threshold: the value t maximizing the between-class variance of {v &lt;= t} and {v &gt; t}.
    /// Returns 0 for an empty or single-valued histogram's lowest value.
    /// </summary>
    public static byte OtsuThreshold(ReadOnlySpan<int> histogram)
    {
        if (histogram.Length < 256) throw new ArgumentException($"histogram needs 256 bins, got {histogram.Length}", nameof(histogram));
        long total = 0;
        double sumAll = 0;
        for (int i = 0; i < 256; i++)
        {
            total += histogram[i];
            sumAll += (double)i * histogram[i];
        }
        if (total == 0) return 0;
        long wB = 0;
        double sumB = 0, best = -1;
        int bestT = 0;
        for (int t = 0; t < 255; t++)
        {
            wB += histogram[t];
            if (wB == 0) continue;
            long wF = total - wB;
            if (wF == 0) break;
            sumB += (double)t * histogram[t];
            double mB = sumB / wB, mF = (sumAll - sumB) / wF;
            double between = (double)wB * wF * (mB - mF) * (mB - mF);
            if (between > best)
            {
                best = between;
                bestT = t;
            }
        }
        return (byte)bestT;
    }

    /// <summary>
    /// Estimates the paper (bright background) of a dark-ink image: the maximum over
    /// <paramref name="block"/>-sized tiles, then the maximum over each tile's 3x3 neighbourhood (so a
    /// stroke wider than a tile cannot pull the estimate down), bilinearly interpolated back to full size.
    /// <paramref name="grid"/> is scratch of at least <see cref="BackgroundGridLength"/> bytes (twice the tile count).
    /// </summary>
    public static void EstimateBackground(ReadOnlySpan<byte> src, int width, int height, int stride, int block, Span<byte> grid, Span<byte> dst)
    {
        if (block < 2) throw new ArgumentOutOfRangeException(nameof(block), "block must be at least 2");
        int gw = (width + block - 1) / block, gh = (height + block - 1) / block;
        if (grid.Length < 2 * gw * gh) throw new ArgumentException($"grid scratch needs {2 * gw * gh} bytes", nameof(grid));
        if (dst.Length < width * height) throw new ArgumentException($"destination needs {width * height} bytes", nameof(dst));
        var tiles = grid[..(gw * gh)];
        var smooth = grid.Slice(gw * gh, gw * gh);
        tiles.Clear();
        for (int y = 0; y < height; y++)
        {
            var row = src.Slice(y * stride, width);
            int gy = y / block;
            for (int gx = 0; gx < gw; gx++)
            {
                int x0 = gx * block, n = Math.Min(block, width - x0);
                byte m = MaxOf(row.Slice(x0, n));
                ref byte t = ref tiles[gy * gw + gx];
                if (m > t) t = m;
            }
        }
        for (int gy = 0; gy < gh; gy++)
            for (int gx = 0; gx < gw; gx++)
            {
                byte m = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int yy = gy + dy, xx = gx + dx;
                        if ((uint)yy < (uint)gh && (uint)xx < (uint)gw && tiles[yy * gw + xx] > m) m = tiles[yy * gw + xx];
                    }
                smooth[gy * gw + gx] = m;
            }
        // Bilinear between tile centres, in 8.8 fixed point so the result is exact and portable.
        // Rows first (gw values per image row), then columns through a per-column table.
        Span<int> tileRow = gw <= 512 ? stackalloc int[gw] : new int[gw];
        Span<int> colTable = width <= 2048 ? stackalloc int[2 * width] : new int[2 * width];
        for (int x = 0; x < width; x++)
        {
            int fx = ((2 * x + 1) * 256 / (2 * block)) - 128;
            int gx0 = Math.Clamp(fx >> 8, 0, gw - 1);
            int wx = fx < 0 ? 0 : fx >= (gw - 1) * 256 ? 0 : fx & 255;
            colTable[2 * x] = gx0;
            colTable[2 * x + 1] = wx;
        }
        for (int y = 0; y < height; y++)
        {
            int fy = ((2 * y + 1) * 256 / (2 * block)) - 128;
            int gy0 = Math.Clamp(fy >> 8, 0, gh - 1), gy1 = Math.Min(gy0 + 1, gh - 1);
            int wy = fy < 0 ? 0 : fy >= (gh - 1) * 256 ? 0 : fy & 255;
            for (int gx = 0; gx < gw; gx++)
                tileRow[gx] = smooth[gy0 * gw + gx] * (256 - wy) + smooth[gy1 * gw + gx] * wy;
            var drow = dst.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                int gx0 = colTable[2 * x], wx = colTable[2 * x + 1];
                int gx1 = Math.Min(gx0 + 1, gw - 1);
                drow[x] = (byte)((tileRow[gx0] * (256 - wx) + tileRow[gx1] * wx + 32768) >> 16);
            }
        }
    }

    /// <summary>Scratch length <see cref="EstimateBackground"/> needs for a frame and tile size.</summary>
    public static int BackgroundGridLength(int width, int height, int block) =>
        2 * ((width + block - 1) / block) * ((height + block - 1) / block);

    /// <summary>
    /// Sauvola's local threshold on a dark-ink image: pixel is ink (255) where
    /// v &lt; m·(1 + k·(s/r − 1)) over a <paramref name="window"/>-sized square (mean m, deviation s).
    /// <paramref name="sum"/> and <paramref name="sumSquares"/> are integral-image scratch of (w+1)·(h+1).
    /// </summary>
    public static void Sauvola(ReadOnlySpan<byte> src, int width, int height, int stride, int window, double k, double r,
        Span<long> sum, Span<long> sumSquares, Span<byte> dst)
    {
        int iw = width + 1;
        if (sum.Length < iw * (height + 1) || sumSquares.Length < iw * (height + 1))
            throw new ArgumentException($"integral scratch needs {iw * (height + 1)} entries");
        if (dst.Length < width * height) throw new ArgumentException($"destination needs {width * height} bytes", nameof(dst));
        sum[..iw].Clear();
        sumSquares[..iw].Clear();
        for (int y = 0; y < height; y++)
        {
            long rs = 0, rq = 0;
            var row = src.Slice(y * stride, width);
            sum[(y + 1) * iw] = 0;
            sumSquares[(y + 1) * iw] = 0;
            for (int x = 0; x < width; x++)
            {
                rs += row[x];
                rq += row[x] * row[x];
                sum[(y + 1) * iw + x + 1] = sum[y * iw + x + 1] + rs;
                sumSquares[(y + 1) * iw + x + 1] = sumSquares[y * iw + x + 1] + rq;
            }
        }
        int half = window / 2;
        for (int y = 0; y < height; y++)
        {
            int y0 = Math.Max(0, y - half), y1 = Math.Min(height, y + half + 1);
            var row = src.Slice(y * stride, width);
            for (int x = 0; x < width; x++)
            {
                int x0 = Math.Max(0, x - half), x1 = Math.Min(width, x + half + 1);
                long n = (long)(x1 - x0) * (y1 - y0);
                long s = sum[y1 * iw + x1] - sum[y0 * iw + x1] - sum[y1 * iw + x0] + sum[y0 * iw + x0];
                long q = sumSquares[y1 * iw + x1] - sumSquares[y0 * iw + x1] - sumSquares[y1 * iw + x0] + sumSquares[y0 * iw + x0];
                double m = (double)s / n;
                double sd = Math.Sqrt(Math.Max(0, (double)q / n - m * m));
                double t = m * (1 + k * (sd / r - 1));
                dst[y * width + x] = row[x] < t ? (byte)255 : (byte)0;
            }
        }
    }

    /// <summary>Bilinear rotation of the whole image by <paramref name="degrees"/> (counter-clockwise) about its centre; outside pixels become <paramref name="fill"/>.</summary>
    public static void Rotate(ReadOnlySpan<byte> src, int width, int height, int stride, double degrees, byte fill, Span<byte> dst)
    {
        if (dst.Length < width * height) throw new ArgumentException($"destination needs {width * height} bytes", nameof(dst));
        double a = degrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // Inverse map: the source point that lands on (x, y). Image y points down, so a
                // counter-clockwise turn on screen is a clockwise one in these coordinates.
                double dx = x - cx, dy = y - cy;
                double sx = c * dx - s * dy + cx;
                double sy = s * dx + c * dy + cy;
                dst[y * width + x] = Sample(src, width, height, stride, sx, sy, fill);
            }
        }
    }

    /// <summary>Bilinear sample at (<paramref name="x"/>, <paramref name="y"/>) with pixel centres on integers; <paramref name="fill"/> outside.</summary>
    public static byte Sample(ReadOnlySpan<byte> src, int width, int height, int stride, double x, double y, byte fill)
    {
        if (x < -0.5 || y < -0.5 || x > width - 0.5 || y > height - 0.5) return fill;
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        int x0 = (int)x, y0 = (int)y;
        int x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
        double fx = x - x0, fy = y - y0;
        double top = src[y0 * stride + x0] * (1 - fx) + src[y0 * stride + x1] * fx;
        double bot = src[y1 * stride + x0] * (1 - fx) + src[y1 * stride + x1] * fx;
        return (byte)(top * (1 - fy) + bot * fy + 0.5);
    }

    private static byte MaxOf(ReadOnlySpan<byte> s)
    {
        int i = 0;
        byte m = 0;
        if (Vector.IsHardwareAccelerated && s.Length >= Vector<byte>.Count)
        {
            var vm = Vector<byte>.Zero;
            for (; i <= s.Length - Vector<byte>.Count; i += Vector<byte>.Count) vm = Vector.Max(vm, new Vector<byte>(s[i..]));
            for (int k = 0; k < Vector<byte>.Count; k++) if (vm[k] > m) m = vm[k];
        }
        for (; i < s.Length; i++) if (s[i] > m) m = s[i];
        return m;
    }

    private static void CheckLength(int need, int have)
    {
        if (have < need) throw new ArgumentException($"destination holds {have} elements, needs {need}");
    }
}
