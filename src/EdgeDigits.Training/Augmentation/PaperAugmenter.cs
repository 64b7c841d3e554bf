namespace EdgeDigits.Training.Augmentation;

/// <summary>
/// What paper, a scanner or a camera does to a handwritten digit, applied on the fly to a 28x28
/// training crop (white ink on black, values in [0,1], MNIST layout) after <see cref="DigitAugmenter"/>'s
/// geometry: a thicker or thinner pen, binarisation, low resolution, a faint ruled line, uneven light,
/// paper texture and JPEG blocks. Each effect has its own probability; the whole pass runs with
/// <see cref="Probability"/> (<c>--domain-augment</c>). The pen, binarisation and resolution effects act on the
/// ink, which is then re-levelled to full scale as the loaders do; paper, light and JPEG come after. Never
/// mirrors. Allocates nothing per image.
/// </summary>
public sealed class PaperAugmenter
{
    /// <summary>Image side.</summary>
    public const int Side = 28;

    private const int N = Side * Side;
    private const float Centre = (Side - 1) / 2f;

    /// <summary>Probability that a crop gets the paper/scanner/camera pass at all; 0 turns it off.</summary>
    public float Probability { get; init; } = 0.3f;

    /// <summary>Probability of a thicker (3x3 grey dilation, once or twice) or thinner (erosion) pen, with <see cref="DigitAugmenter"/>'s morphology.</summary>
    public float PenProbability { get; init; } = 0.3f;

    /// <summary>Probability of binarisation at a random threshold (jagged edges, faint strokes lost, as a fax or a bilevel scanner does).</summary>
    public float BinarizeProbability { get; init; } = 0.2f;

    /// <summary>Probability of losing resolution: averaged down to <see cref="MinResolution"/>..<see cref="MaxResolution"/> pixels square, then interpolated back up.</summary>
    public float LowResolutionProbability { get; init; } = 0.3f;

    /// <summary>Probability of a faint ruled line crossing the crop at a random height.</summary>
    public float RuledLineProbability { get; init; } = 0.15f;

    /// <summary>Probability of uneven light: a linear gradient that lifts the background on the dim side and fades the ink on the bright side.</summary>
    public float UnevenLightProbability { get; init; } = 0.3f;

    /// <summary>Probability of paper texture: smooth blotches plus fine grain.</summary>
    public float PaperTextureProbability { get; init; } = 0.3f;

    /// <summary>Probability of JPEG compression artefacts (8x8 DCT blocks, quantised with the standard luminance table).</summary>
    public float JpegProbability { get; init; } = 0.3f;

    /// <summary>Smallest side the low-resolution effect averages down to.</summary>
    public int MinResolution { get; init; } = 12;

    /// <summary>Largest side the low-resolution effect averages down to.</summary>
    public int MaxResolution { get; init; } = 16;

    /// <summary>Lowest JPEG quality (1..100, the IJG scale).</summary>
    public int MinJpegQuality { get; init; } = 20;

    /// <summary>Highest JPEG quality.</summary>
    public int MaxJpegQuality { get; init; } = 70;

    /// <summary>
    /// Applies the pass to <paramref name="image"/> (784 values in [0,1], white ink on black) in place with
    /// probability <see cref="Probability"/>; every choice comes from <paramref name="rng"/>.
    /// </summary>
    public void Apply(Span<float> image, ref SplitMix rng)
    {
        if (image.Length < N) throw new ArgumentException($"need {N} pixels", nameof(image));
        if (Probability <= 0 || !rng.Chance(Probability)) return;
        if (rng.Chance(PenProbability))
        {
            Span<float> scratch = stackalloc float[N];
            var thicken = rng.Chance(0.5f);
            var passes = thicken && rng.Chance(0.3f) ? 2 : 1;
            // Erosion at full strength breaks thin MNIST strokes into dots; a thin pen still leaves a line.
            var amount = thicken ? rng.Uniform(0.6f, 1f) : rng.Uniform(0.4f, 0.8f);
            for (var p = 0; p < passes; p++)
            {
                image[..N].CopyTo(scratch);
                DigitAugmenter.Morph(scratch, image, thicken, amount);
            }
        }
        if (rng.Chance(BinarizeProbability)) Binarize(image, rng.Uniform(0.25f, 0.5f));
        if (rng.Chance(LowResolutionProbability))
            LowResolution(image, MinResolution + (int)(rng.NextFloat() * (MaxResolution - MinResolution + 1)));
        // Loaders map a crop's brightest ink to full scale (FolderDataset.StretchFromBackground): the ink that
        // a thin pen or lost resolution dimmed is re-levelled so before paper and light are laid over it.
        Relevel(image);
        if (rng.Chance(RuledLineProbability))
            RuledLine(image, rng.Uniform(3f, Side - 4f), rng.Uniform(-0.04f, 0.04f), rng.Uniform(0.7f, 1.6f), rng.Uniform(0.15f, 0.45f));
        if (rng.Chance(UnevenLightProbability))
            UnevenLight(image, rng.Uniform(0f, 2 * MathF.PI), rng.Uniform(0.05f, 0.3f), rng.Uniform(0f, 0.4f));
        if (rng.Chance(PaperTextureProbability)) PaperTexture(image, rng.Uniform(0.03f, 0.12f), ref rng);
        if (rng.Chance(JpegProbability))
            Jpeg(image, MinJpegQuality + (int)(rng.NextFloat() * (MaxJpegQuality - MinJpegQuality + 1)), (int)(rng.NextFloat() * 8), (int)(rng.NextFloat() * 8));
        // Resampling and blending round a hair past 1; the network's input contract is [0,1].
        foreach (ref var v in image[..N]) v = Math.Clamp(v, 0f, 1f);
    }

    private static void Relevel(Span<float> image)
    {
        var max = 0f;
        foreach (var v in image[..N]) max = Math.Max(max, v);
        if (max is <= 0.05f or >= 1f) return;
        var gain = 1f / max;
        foreach (ref var v in image[..N]) v = Math.Min(v * gain, 1f);
    }

    /// <summary>
    /// Thresholds at <paramref name="threshold"/>: ink at or above it becomes 1, the rest 0. When no pixel
    /// reaches it (a faint crop) the threshold drops to half the brightest pixel, so some ink survives.
    /// </summary>
    public static void Binarize(Span<float> image, float threshold)
    {
        var img = image[..N];
        var max = 0f;
        foreach (var v in img) max = Math.Max(max, v);
        if (max <= 0) return;
        if (max < threshold) threshold = max * 0.5f;
        for (var i = 0; i < N; i++) img[i] = img[i] >= threshold ? 1f : 0f;
    }

    /// <summary>
    /// Averages the image down to <paramref name="side"/> x <paramref name="side"/> pixels (area weights, as a
    /// sensor's larger pixels would) and interpolates it back to 28x28 (bilinear, centre-aligned).
    /// </summary>
    public static void LowResolution(Span<float> image, int side)
    {
        if (side is < 2 or >= Side) throw new ArgumentOutOfRangeException(nameof(side), $"must be within 2..{Side - 1}");
        var img = image[..N];
        Span<float> rows = stackalloc float[Side * side];
        Span<float> small = stackalloc float[side * side];
        for (var y = 0; y < Side; y++) AreaDown(img[(y * Side)..], 1, Side, rows[(y * side)..], 1, side);
        for (var x = 0; x < side; x++) AreaDown(rows[x..], side, Side, small[x..], side, side);
        for (var x = 0; x < side; x++) LinearUp(small[x..], side, side, rows[x..], side, Side);
        for (var y = 0; y < Side; y++) LinearUp(rows[(y * side)..], 1, side, img[(y * Side)..], 1, Side);
    }

    /// <summary>
    /// Draws a ruled line of <paramref name="intensity"/> (fainter than the ink, which stays on top) across the
    /// crop: centre row <paramref name="y"/> at the middle column, tilted by <paramref name="slope"/> rows per
    /// column, <paramref name="width"/> pixels wide with anti-aliased edges.
    /// </summary>
    public static void RuledLine(Span<float> image, float y, float slope, float width, float intensity)
    {
        var img = image[..N];
        var half = width / 2;
        for (var x = 0; x < Side; x++)
        {
            var yc = y + slope * (x - Centre);
            for (var r = 0; r < Side; r++)
            {
                var cover = Math.Clamp(half + 0.5f - MathF.Abs(r - yc), 0f, 1f);
                if (cover > 0) img[r * Side + x] = Math.Max(img[r * Side + x], intensity * cover);
            }
        }
    }

    /// <summary>
    /// Light falling off along direction <paramref name="angle"/> (radians): on the dim side the paper turns
    /// grey (background lifted by up to <paramref name="lift"/>), on the bright side the ink washes out
    /// (scaled down by up to <paramref name="fade"/>); linear in between.
    /// </summary>
    public static void UnevenLight(Span<float> image, float angle, float lift, float fade)
    {
        var img = image[..N];
        float cos = MathF.Cos(angle), sin = MathF.Sin(angle);
        var reach = Centre * (MathF.Abs(cos) + MathF.Abs(sin));
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
            {
                // dim = 0 on the bright side, 1 on the dim side.
                var dim = 0.5f + 0.5f * ((x - Centre) * cos + (y - Centre) * sin) / reach;
                var i = y * Side + x;
                img[i] = Math.Clamp(lift * dim + img[i] * (1 - fade * (1 - dim)) * (1 - lift * dim), 0f, 1f);
            }
    }

    /// <summary>
    /// Paper texture of strength <paramref name="amplitude"/>: smooth blotches (a 5x5 grid of random values,
    /// interpolated) plus fine grain, added to the background and, half as strongly, to the ink.
    /// </summary>
    public static void PaperTexture(Span<float> image, float amplitude, ref SplitMix rng)
    {
        const int grid = 5;
        var img = image[..N];
        Span<float> coarse = stackalloc float[grid * grid];
        for (var i = 0; i < coarse.Length; i++) coarse[i] = rng.NextGaussian();
        Span<float> column = stackalloc float[Side * grid];
        Span<float> smooth = stackalloc float[N];
        for (var x = 0; x < grid; x++) LinearUp(coarse[x..], grid, grid, column[x..], grid, Side);
        for (var y = 0; y < Side; y++) LinearUp(column[(y * grid)..], 1, grid, smooth[(y * Side)..], 1, Side);
        for (var i = 0; i < N; i++)
        {
            var t = 0.7f * smooth[i] + 0.5f * rng.NextGaussian();
            img[i] = Math.Clamp(img[i] + amplitude * t * (1 - 0.5f * img[i]), 0f, 1f);
        }
    }

    /// <summary>
    /// JPEG at <paramref name="quality"/> (IJG scale 1..100) on the paper as photographed (dark ink on light
    /// paper, 0..255): 8x8 DCT blocks on a grid shifted by (<paramref name="offsetX"/>, <paramref name="offsetY"/>)
    /// (0..7; a frame's grid does not line up with a digit), coefficients quantised with the standard luminance
    /// table, inverse DCT. Gives block edges, ringing beside strokes and lost fine detail.
    /// </summary>
    public static void Jpeg(Span<float> image, int quality, int offsetX, int offsetY)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), "must be within 1..100");
        if ((uint)offsetX > 7 || (uint)offsetY > 7) throw new ArgumentOutOfRangeException(nameof(offsetX), "grid offsets must be within 0..7");
        var img = image[..N];
        var scale = quality < 50 ? 5000f / quality : 200f - 2 * quality;
        Span<float> q = stackalloc float[64];
        for (var i = 0; i < 64; i++) q[i] = Math.Clamp(MathF.Floor((LuminanceTable[i] * scale + 50) / 100), 1f, 255f);
        Span<float> block = stackalloc float[64];
        Span<float> tmp = stackalloc float[64];
        for (var by = -offsetY; by < Side; by += 8)
            for (var bx = -offsetX; bx < Side; bx += 8)
            {
                for (var v = 0; v < 8; v++)
                    for (var u = 0; u < 8; u++)
                    {
                        int x = bx + u, y = by + v;
                        // Outside the crop is more paper (white, 255, once the ink is dark again).
                        var ink = (uint)x < Side && (uint)y < Side ? img[y * Side + x] : 0f;
                        block[v * 8 + u] = (1 - ink) * 255f - 128f;
                    }
                Transform(block, tmp, inverse: false);
                for (var i = 0; i < 64; i++) block[i] = MathF.Round(block[i] / q[i]) * q[i];
                Transform(block, tmp, inverse: true);
                for (var v = 0; v < 8; v++)
                    for (var u = 0; u < 8; u++)
                    {
                        int x = bx + u, y = by + v;
                        if ((uint)x < Side && (uint)y < Side)
                            img[y * Side + x] = Math.Clamp(1 - (block[v * 8 + u] + 128f) / 255f, 0f, 1f);
                    }
            }
    }

    /// <summary>2D 8x8 DCT-II (or its inverse) in place as B = C X C^T (inverse C^T X C), with the orthonormal basis.</summary>
    private static void Transform(Span<float> block, Span<float> tmp, bool inverse)
    {
        // Rows first, then columns; for the inverse the basis is transposed.
        for (var r = 0; r < 8; r++)
            for (var k = 0; k < 8; k++)
            {
                var s = 0f;
                for (var n = 0; n < 8; n++) s += block[r * 8 + n] * (inverse ? Basis[n * 8 + k] : Basis[k * 8 + n]);
                tmp[r * 8 + k] = s;
            }
        for (var c = 0; c < 8; c++)
            for (var k = 0; k < 8; k++)
            {
                var s = 0f;
                for (var n = 0; n < 8; n++) s += tmp[n * 8 + c] * (inverse ? Basis[n * 8 + k] : Basis[k * 8 + n]);
                block[k * 8 + c] = s;
            }
    }

    /// <summary>Orthonormal DCT-II basis, <c>Basis[k*8+n] = c(k) cos((2n+1)k pi/16)</c>.</summary>
    private static readonly float[] Basis = BuildBasis();

    private static float[] BuildBasis()
    {
        var b = new float[64];
        for (var k = 0; k < 8; k++)
            for (var n = 0; n < 8; n++)
                b[k * 8 + n] = (k == 0 ? MathF.Sqrt(1f / 8) : MathF.Sqrt(2f / 8)) * MathF.Cos((2 * n + 1) * k * MathF.PI / 16);
        return b;
    }

    // ITU-T T.81 Annex K, table K.1 (luminance), row-major.
    private static readonly float[] LuminanceTable =
    [
        16, 11, 10, 16, 24, 40, 51, 61,
        12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56,
        14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77,
        24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101,
        72, 92, 95, 98, 112, 100, 103, 99,
    ];

    /// <summary>Averages <paramref name="n"/> samples (every <paramref name="srcStride"/>th) down to <paramref name="m"/>, each output the mean over its share of the input.</summary>
    private static void AreaDown(ReadOnlySpan<float> src, int srcStride, int n, Span<float> dst, int dstStride, int m)
    {
        var step = (float)n / m;
        for (var j = 0; j < m; j++)
        {
            float a = j * step, b = a + step, sum = 0;
            for (var i = (int)a; i < n && i < b; i++)
                sum += src[i * srcStride] * (Math.Min(b, i + 1) - Math.Max(a, i));
            dst[j * dstStride] = sum / step;
        }
    }

    /// <summary>Interpolates <paramref name="m"/> samples up to <paramref name="n"/> (linear, pixel centres aligned, edges held).</summary>
    private static void LinearUp(ReadOnlySpan<float> src, int srcStride, int m, Span<float> dst, int dstStride, int n)
    {
        var step = (float)m / n;
        for (var i = 0; i < n; i++)
        {
            var x = Math.Clamp((i + 0.5f) * step - 0.5f, 0f, m - 1);
            var x0 = Math.Min((int)x, m - 2);
            var f = x - x0;
            dst[i * dstStride] = src[x0 * srcStride] * (1 - f) + src[(x0 + 1) * srcStride] * f;
        }
    }
}
