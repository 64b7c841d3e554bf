namespace EdgeDigits.Core.Imaging;

/// <summary>
/// Turns a crop of one digit (white ink on black, 0-255) into the 28x28 MNIST layout: crop to the
/// ink's bounding box, scale so the longer side is 20 px keeping the aspect ratio (anti-aliased
/// triangle-filter resampling), then place it in 28x28 so its centre of mass sits on (14, 14).
/// This is the one implementation shared by the trainer and the device, so both see bit-identical
/// inputs. An instance keeps its scratch buffers: after the largest crop has been seen it
/// allocates nothing. Not thread-safe; use one instance per thread.
/// </summary>
public sealed class DigitNormalizer
{
    /// <summary>Side of the output image (28).</summary>
    public const int Size = 28;

    /// <summary>Number of output pixels (784).</summary>
    public const int PixelCount = Size * Size;

    /// <summary>Side of the box the longer ink side is scaled to (20).</summary>
    public const int Box = 20;

    /// <summary>
    /// Where the centre of mass lands, in pixel-index coordinates (sum(i*v)/sum(v)). Measured on the
    /// MNIST test set: the mean centre of mass is (14.01, 13.99), so index 14 matches MNIST.
    /// </summary>
    public const int Centre = 14;

    [ThreadStatic] private static DigitNormalizer? s_perThread;

    private float[] _tmp = new float[Box * 64];
    private readonly float[] _weightsX = new float[Box * 8];
    private readonly float[] _weightsY = new float[Box * 8];
    private float[] _wx, _wy;
    private readonly int[] _startX = new int[Box], _countX = new int[Box];
    private readonly int[] _startY = new int[Box], _countY = new int[Box];
    private readonly byte[] _scaled = new byte[Box * Box];

    /// <summary>Creates a normalizer with small scratch buffers that grow on demand.</summary>
    public DigitNormalizer()
    {
        _wx = _weightsX;
        _wy = _weightsY;
    }

    /// <summary>Pixels at or below this value count as background when finding the ink's bounding box (default 0).</summary>
    public byte InkThreshold { get; init; }

    /// <summary>A normalizer for the calling thread (for callers that do not keep their own).</summary>
    public static DigitNormalizer ForCurrentThread => s_perThread ??= new DigitNormalizer();

    /// <summary>Normalizes the whole of <paramref name="crop"/> into a new 784-byte array.</summary>
    public static byte[] NormalizeToArray(GrayImage crop)
    {
        ArgumentNullException.ThrowIfNull(crop);
        var dst = new byte[PixelCount];
        ForCurrentThread.Normalize(crop, crop.Bounds, dst);
        return dst;
    }

    /// <summary>Normalizes <paramref name="region"/> of <paramref name="image"/> into <paramref name="destination"/> (784 bytes, row-major 28x28).</summary>
    public NormalizationResult Normalize(GrayImage image, PixelRect region, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (region.IsEmpty || region.X < 0 || region.Y < 0 || region.Right > image.Width || region.Bottom > image.Height)
            throw new ArgumentOutOfRangeException(nameof(region), $"region {region} is not inside the {image.Width}x{image.Height} image");
        int start = region.Y * image.Stride + region.X;
        int length = (region.Height - 1) * image.Stride + region.Width;
        return Normalize(image.Buffer.AsSpan(start, length), region.Width, region.Height, image.Stride, destination);
    }

    /// <summary>
    /// Normalizes a <paramref name="width"/> x <paramref name="height"/> crop whose rows start every
    /// <paramref name="stride"/> bytes of <paramref name="source"/> into <paramref name="destination"/>
    /// (at least 784 bytes; the first 784 are written). Returns <see cref="NormalizationResult.Empty"/>
    /// (and an all-zero output) when no pixel exceeds <see cref="InkThreshold"/>.
    /// </summary>
    public NormalizationResult Normalize(ReadOnlySpan<byte> source, int width, int height, int stride, Span<byte> destination)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"crop size {width}x{height} must be positive");
        if (stride < width) throw new ArgumentOutOfRangeException(nameof(stride), $"stride {stride} is smaller than width {width}");
        if ((long)(height - 1) * stride + width > source.Length)
            throw new ArgumentException($"source of {source.Length} bytes is too small for {width}x{height} with stride {stride}", nameof(source));
        if (destination.Length < PixelCount)
            throw new ArgumentException($"destination holds {destination.Length} bytes, needs {PixelCount}", nameof(destination));

        var dst = destination[..PixelCount];
        dst.Clear();
        var ink = FindInk(source, width, height, stride, InkThreshold);
        if (ink.IsEmpty) return NormalizationResult.Empty;

        int longer = Math.Max(ink.Width, ink.Height);
        int sw = Math.Max(1, (int)Math.Round(ink.Width * (double)Box / longer, MidpointRounding.AwayFromZero));
        int sh = Math.Max(1, (int)Math.Round(ink.Height * (double)Box / longer, MidpointRounding.AwayFromZero));

        var src = source[(ink.Y * stride + ink.X)..];
        Resample(src, ink.Width, ink.Height, stride, sw, sh);

        // Centre of mass of the scaled ink, in exact integer sums so trainer and device agree bit for bit.
        long mass = 0, mx = 0, my = 0;
        for (int y = 0; y < sh; y++)
        {
            for (int x = 0; x < sw; x++)
            {
                int v = _scaled[y * sw + x];
                mass += v;
                mx += (long)v * x;
                my += (long)v * y;
            }
        }
        if (mass == 0) return NormalizationResult.Empty with { InkBox = ink };

        // Integer shift (as MNIST did): a sub-pixel shift would blur the strokes a second time.
        int ox = Centre - RoundDiv(mx, mass);
        int oy = Centre - RoundDiv(my, mass);
        // Keep the whole digit inside the field even when its mass is far off-centre (a '7' top bar).
        ox = Math.Clamp(ox, 0, Size - sw);
        oy = Math.Clamp(oy, 0, Size - sh);
        for (int y = 0; y < sh; y++)
            _scaled.AsSpan(y * sw, sw).CopyTo(dst.Slice((oy + y) * Size + ox, sw));
        return new NormalizationResult(false, ink, sw, sh, ox, oy);
    }

    /// <summary>
    /// Writes the 28x28 digit <paramref name="source"/> moved by (<paramref name="dx"/>, <paramref name="dy"/>) pixels (right,
    /// down; fractions interpolated bilinearly, paper beyond the edge) into <paramref name="destination"/>: the moved cuts of
    /// test-time averaging. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is shorter than <see cref="PixelCount"/>.</exception>
    public static void Shift(ReadOnlySpan<byte> source, float dx, float dy, Span<byte> destination)
    {
        if (source.Length < PixelCount) throw new ArgumentException($"source holds {source.Length} bytes, needs {PixelCount}", nameof(source));
        if (destination.Length < PixelCount) throw new ArgumentException($"destination holds {destination.Length} bytes, needs {PixelCount}", nameof(destination));
        // Output pixel (x, y) samples the source at (x - dx, y - dy).
        int ix = (int)MathF.Floor(-dx), iy = (int)MathF.Floor(-dy);
        float fx = -dx - ix, fy = -dy - iy;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                int sx = x + ix, sy = y + iy;
                float v = (1 - fy) * ((1 - fx) * At(source, sx, sy) + fx * At(source, sx + 1, sy))
                    + fy * ((1 - fx) * At(source, sx, sy + 1) + fx * At(source, sx + 1, sy + 1));
                destination[y * Size + x] = (byte)Math.Min(255, (int)(v + 0.5f));
            }
    }

    private static float At(ReadOnlySpan<byte> image, int x, int y) => (uint)x < Size && (uint)y < Size ? image[y * Size + x] : 0;

    /// <summary>Bounding box of pixels above <paramref name="threshold"/>, or an empty rectangle.</summary>
    public static PixelRect FindInk(ReadOnlySpan<byte> source, int width, int height, int stride, byte threshold = 0)
    {
        int top = -1, bottom = -1, left = width, right = -1;
        for (int y = 0; y < height; y++)
        {
            var row = source.Slice(y * stride, width);
            int first = IndexOfAbove(row, threshold);
            if (first < 0) continue;
            int last = LastIndexOfAbove(row, threshold);
            if (top < 0) top = y;
            bottom = y;
            if (first < left) left = first;
            if (last > right) right = last;
        }
        return top < 0 ? default : new PixelRect(left, top, right - left + 1, bottom - top + 1);
    }

    private static int IndexOfAbove(ReadOnlySpan<byte> row, byte threshold) =>
        threshold == 255 ? -1 : row.IndexOfAnyInRange((byte)(threshold + 1), (byte)255);

    private static int LastIndexOfAbove(ReadOnlySpan<byte> row, byte threshold) =>
        threshold == 255 ? -1 : row.LastIndexOfAnyInRange((byte)(threshold + 1), (byte)255);

    private static int RoundDiv(long num, long den) => (int)((2 * num + den) / (2 * den));

    /// <summary>Separable triangle-filter resampling of the ink box into <c>_scaled</c> (sw x sh).</summary>
    private void Resample(ReadOnlySpan<byte> src, int w, int h, int stride, int sw, int sh)
    {
        int tapsX = BuildWeights(w, sw, ref _wx, _startX, _countX);
        int tapsY = BuildWeights(h, sh, ref _wy, _startY, _countY);

        // Horizontal pass over every source row of the box: h x sw floats.
        int tmpNeed = h * sw;
        if (_tmp.Length < tmpNeed) _tmp = new float[Math.Max(tmpNeed, _tmp.Length * 2)];
        var tmp = _tmp.AsSpan(0, tmpNeed);
        for (int y = 0; y < h; y++)
        {
            var row = src.Slice(y * stride, w);
            for (int o = 0; o < sw; o++)
            {
                int s = _startX[o], n = _countX[o];
                var wts = _wx.AsSpan(o * tapsX, n);
                float acc = 0;
                for (int k = 0; k < n; k++) acc += wts[k] * row[s + k];
                tmp[y * sw + o] = acc;
            }
        }

        for (int o = 0; o < sh; o++)
        {
            int s = _startY[o], n = _countY[o];
            var wts = _wy.AsSpan(o * tapsY, n);
            for (int x = 0; x < sw; x++)
            {
                float acc = 0;
                for (int k = 0; k < n; k++) acc += wts[k] * tmp[(s + k) * sw + x];
                int v = (int)(acc + 0.5f);
                _scaled[o * sw + x] = (byte)Math.Clamp(v, 0, 255);
            }
        }
    }

    /// <summary>
    /// Triangle filter weights mapping <paramref name="inSize"/> samples onto <paramref name="outSize"/>;
    /// when shrinking, the filter widens by the shrink factor so every source pixel contributes
    /// (the anti-aliasing). Returns the row length (taps) of the weight table.
    /// </summary>
    private static int BuildWeights(int inSize, int outSize, ref float[] weights, int[] start, int[] count)
    {
        double scale = (double)outSize / inSize;
        double filterScale = Math.Max(1.0, 1.0 / scale);
        double support = filterScale;
        int taps = (int)Math.Ceiling(support) * 2 + 2;
        if (weights.Length < taps * outSize) weights = new float[taps * outSize];
        for (int o = 0; o < outSize; o++)
        {
            double centre = (o + 0.5) / scale;
            int lo = Math.Max(0, (int)Math.Floor(centre - support));
            int hi = Math.Min(inSize, (int)Math.Ceiling(centre + support));
            double sum = 0;
            int n = 0;
            for (int i = lo; i < hi && n < taps; i++, n++)
            {
                double t = 1.0 - Math.Abs(i + 0.5 - centre) / filterScale;
                double wgt = t > 0 ? t : 0;
                weights[o * taps + n] = (float)wgt;
                sum += wgt;
            }
            if (sum > 0)
                for (int k = 0; k < n; k++) weights[o * taps + k] = (float)(weights[o * taps + k] / sum);
            start[o] = lo;
            count[o] = n;
        }
        return taps;
    }
}
