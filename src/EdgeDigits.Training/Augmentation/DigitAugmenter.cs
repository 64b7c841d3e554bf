namespace EdgeDigits.Training.Augmentation;

/// <summary>
/// Random distortions for 28x28 white-on-black digits, applied on the fly. Everything a pen, a
/// camera or a printer plausibly does — small rotation, shear, scale and shift (one affine warp
/// with bilinear sampling), thicker or thinner strokes, blur, noise, contrast and gamma — and
/// never a flip, which turns a 2 into a 5-like glyph or a 6 into a 9.
/// </summary>
public sealed class DigitAugmenter
{
    /// <summary>Image side.</summary>
    public const int Side = 28;

    /// <summary>Scales every magnitude and probability below; 0 turns augmentation off.</summary>
    public float Strength { get; init; } = 1f;

    /// <summary>Maximum rotation in degrees (at strength 1).</summary>
    public float MaxRotationDegrees { get; init; } = 12f;

    /// <summary>Maximum shear factor.</summary>
    public float MaxShear { get; init; } = 0.2f;

    /// <summary>Maximum relative scale change (0.12 = 88%..112%).</summary>
    public float MaxScale { get; init; } = 0.12f;

    /// <summary>Maximum shift in pixels.</summary>
    public float MaxShift { get; init; } = 2.5f;

    /// <summary>Maximum sideways shift in pixels when it differs from the vertical one (<see cref="MaxShift"/>); null = the same.</summary>
    public float? MaxShiftX { get; init; }

    /// <summary>Probability of thickening or thinning the strokes.</summary>
    public float StrokeProbability { get; init; } = 0.25f;

    /// <summary>Probability of a slight blur.</summary>
    public float BlurProbability { get; init; } = 0.15f;

    /// <summary>Probability of additive Gaussian noise.</summary>
    public float NoiseProbability { get; init; } = 0.15f;

    /// <summary>Probability of a random contrast and gamma change.</summary>
    public float ContrastProbability { get; init; } = 0.3f;

    /// <summary>
    /// Probability of swapping ink and background (1 - v) at the end. Off for handwriting crops, whose
    /// polarity is fixed by normalization; meter windows keep the face's polarity, and a meter with
    /// light digits on dark must read like one with dark digits on light.
    /// </summary>
    public float InvertProbability { get; init; }

    /// <summary>
    /// The paper/scanner/camera pass run after everything above (also when <see cref="Strength"/> is 0), or null
    /// for none. Null draws no random numbers, so runs without it are bit-identical to runs before it existed.
    /// </summary>
    public PaperAugmenter? Paper { get; init; }

    /// <summary>An augmenter that only converts bytes to floats.</summary>
    public static DigitAugmenter None { get; } = new() { Strength = 0 };

    /// <summary>
    /// Writes a distorted copy of <paramref name="src"/> (784 bytes) into <paramref name="dst"/>
    /// (784 floats in [0,1]); the distortion is fixed by <paramref name="rng"/>.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> src, Span<float> dst, ref SplitMix rng)
    {
        const int n = Side * Side;
        if (src.Length < n || dst.Length < n) throw new ArgumentException("need 784 pixels in and out");
        var s = Strength;
        if (s <= 0)
        {
            for (var i = 0; i < n; i++) dst[i] = src[i] * (1f / 255f);
            Paper?.Apply(dst, ref rng);
            return;
        }
        Span<float> img = stackalloc float[n];
        for (var i = 0; i < n; i++) img[i] = src[i] * (1f / 255f);

        // One inverse affine map about the centre: out(p) = in(A^-1 (p - c - t) + c).
        var angle = rng.Uniform(-1, 1) * MaxRotationDegrees * s * MathF.PI / 180f;
        var shear = rng.Uniform(-1, 1) * MaxShear * s;
        var scaleX = 1f + rng.Uniform(-1, 1) * MaxScale * s;
        var scaleY = scaleX * (1f + rng.Uniform(-0.5f, 0.5f) * MaxScale * s);
        var tx = rng.Uniform(-1, 1) * (MaxShiftX ?? MaxShift) * s;
        var ty = rng.Uniform(-1, 1) * MaxShift * s;
        float cos = MathF.Cos(angle), sin = MathF.Sin(angle);
        // Forward A = R * Sh * S; invert the 2x2 explicitly.
        float a00 = cos * scaleX, a01 = (cos * shear - sin) * scaleY, a10 = sin * scaleX, a11 = (sin * shear + cos) * scaleY;
        var det = a00 * a11 - a01 * a10;
        float i00 = a11 / det, i01 = -a01 / det, i10 = -a10 / det, i11 = a00 / det;
        const float c = 13.5f;
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
            {
                float px = x - c - tx, py = y - c - ty;
                var sx = i00 * px + i01 * py + c;
                var sy = i10 * px + i11 * py + c;
                dst[y * Side + x] = Bilinear(img, sx, sy);
            }

        if (rng.Chance(StrokeProbability * s))
        {
            dst.CopyTo(img);
            var thicken = rng.Chance(0.5f);
            Morph(img, dst, thicken, rng.Uniform(0.4f, 1f));
        }
        if (rng.Chance(BlurProbability * s))
        {
            dst.CopyTo(img);
            Blur(img, dst, rng.Uniform(0.2f, 0.6f));
        }
        if (rng.Chance(ContrastProbability * s))
        {
            var gain = rng.Uniform(0.6f, 1.2f);
            var gamma = MathF.Exp(rng.Uniform(-0.5f, 0.5f));
            for (var i = 0; i < n; i++) dst[i] = Math.Min(1f, MathF.Pow(dst[i], gamma) * gain);
        }
        if (rng.Chance(NoiseProbability * s))
        {
            var sigma = rng.Uniform(0.02f, 0.1f);
            for (var i = 0; i < n; i++) dst[i] = Math.Clamp(dst[i] + sigma * rng.NextGaussian(), 0f, 1f);
        }
        // Drawn only when enabled, so the random stream (and every existing recipe's result) is unchanged otherwise.
        if (InvertProbability > 0 && rng.Chance(InvertProbability))
            for (var i = 0; i < n; i++) dst[i] = 1f - dst[i];
        Paper?.Apply(dst, ref rng);
    }

    private static float Bilinear(ReadOnlySpan<float> img, float x, float y)
    {
        var x0 = (int)MathF.Floor(x);
        var y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        return (1 - fy) * ((1 - fx) * At(img, x0, y0) + fx * At(img, x0 + 1, y0))
             + fy * ((1 - fx) * At(img, x0, y0 + 1) + fx * At(img, x0 + 1, y0 + 1));
    }

    private static float At(ReadOnlySpan<float> img, int x, int y) =>
        (uint)x < Side && (uint)y < Side ? img[y * Side + x] : 0f;

    /// <summary>Grey dilation (thicken) or erosion (thin) over a 3x3 cross, blended by <paramref name="amount"/>.</summary>
    internal static void Morph(ReadOnlySpan<float> img, Span<float> dst, bool thicken, float amount)
    {
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
            {
                var v = At(img, x, y);
                float m = v;
                foreach (var (dx, dy) in Cross)
                {
                    var u = At(img, x + dx, y + dy);
                    m = thicken ? Math.Max(m, u) : Math.Min(m, u);
                }
                dst[y * Side + x] = v + (m - v) * amount;
            }
    }

    private static readonly (int, int)[] Cross = [(1, 0), (-1, 0), (0, 1), (0, -1)];

    /// <summary>3x3 blur: centre weight 1, neighbours <paramref name="w"/> (normalized).</summary>
    private static void Blur(ReadOnlySpan<float> img, Span<float> dst, float w)
    {
        float wc = 1f, we = w, wd = w * w;
        var norm = 1f / (wc + 4 * we + 4 * wd);
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
            {
                var sum = wc * At(img, x, y)
                    + we * (At(img, x - 1, y) + At(img, x + 1, y) + At(img, x, y - 1) + At(img, x, y + 1))
                    + wd * (At(img, x - 1, y - 1) + At(img, x + 1, y - 1) + At(img, x - 1, y + 1) + At(img, x + 1, y + 1));
                dst[y * Side + x] = sum * norm;
            }
    }
}
