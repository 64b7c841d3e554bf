using EdgeDigits.Training.Data;
using SkiaSharp;

namespace EdgeDigits.Training.Synthetic;

/// <summary>The kinds of "not a digit" crops the camera pipeline can hand the classifier.</summary>
public enum NotDigitKind
{
    /// <summary>One or a few dust specks.</summary>
    Speck,

    /// <summary>A straight line that is not near vertical (a near-vertical bar is a legitimate "1").</summary>
    Line,

    /// <summary>Part of a frame or border: an L corner or a thick bar along an edge.</summary>
    Border,

    /// <summary>A filled irregular blob (smudge, shadow).</summary>
    Blob,

    /// <summary>The top or bottom half of a printed or 7-segment digit.</summary>
    HalfDigit,

    /// <summary>Thresholded noise texture.</summary>
    Noise,
}

/// <summary>
/// Generates "not a digit" crops (class <see cref="DigitSet.NoneClass"/>) through the same canvas,
/// threshold and <see cref="CropPipeline"/> path as <see cref="SyntheticDigits"/>. Deterministic by seed;
/// half-digits use the split's fonts so held-out fonts stay held out.
/// </summary>
public sealed class NotDigitGenerator
{
    private const int Size = SyntheticDigits.CanvasSize;
    private readonly SyntheticDigits _digits;

    /// <summary>Creates a generator; <paramref name="digits"/> renders the half-digits (default: a new <see cref="SyntheticDigits"/>).</summary>
    public NotDigitGenerator(SyntheticDigits? digits = null) => _digits = digits ?? new SyntheticDigits();

    /// <summary>Generates <paramref name="count"/> crops, kinds cycling through <see cref="NotDigitKind"/>; classes ["none"].</summary>
    public DigitSet Generate(int count, SyntheticSplit split, int seed)
    {
        var (set, _) = GenerateWithKinds(count, split, seed);
        return set;
    }

    /// <summary>As <see cref="Generate"/>, also returning the kind of each crop.</summary>
    public (DigitSet Set, NotDigitKind[] Kinds) GenerateWithKinds(int count, SyntheticSplit split, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var kinds = Enum.GetValues<NotDigitKind>();
        var pixels = new byte[count * DigitSet.ImageSize];
        var kindOf = new NotDigitKind[count];
        Parallel.For(0, count, i =>
        {
            var kind = kinds[i % kinds.Length];
            kindOf[i] = kind;
            for (var attempt = 0; ; attempt++)
            {
                var rng = new Random(CropPipeline.SampleSeed(seed, split, i, 1000 + attempt));
                if (Render(kind, split, rng, pixels.AsSpan(i * DigitSet.ImageSize, DigitSet.ImageSize))) break;
                if (attempt > 50) throw new InvalidOperationException($"could not render a '{kind}' crop");
            }
        });
        return (new DigitSet(pixels, new int[count], [DigitSet.NoneClass]), kindOf);
    }

    private bool Render(NotDigitKind kind, SyntheticSplit split, Random rng, Span<byte> destination)
    {
        if (kind == NotDigitKind.HalfDigit)
        {
            // Halves that read as a digit are left out: any half of 1 or 7 (a bar), closed loops (top of 8/9,
            // bottom of 6/8 look like a 0 once normalized) and the bottom of a 7-segment 4 (one bar).
            (int Digit, bool Top)[] halves = [(0, true), (0, false), (2, true), (2, false), (3, true), (3, false), (4, true), (5, true), (5, false), (6, true), (9, false)];
            var style = rng.NextDouble() < 0.5 ? DigitStyle.Printed : DigitStyle.SevenSegment;
            var faces = _digits.Fonts.For(split, style);
            var face = faces[rng.Next(faces.Count)];
            var (digit, top) = halves[rng.Next(halves.Length)];
            var cut = (float)(0.38 + rng.NextDouble() * 0.1);
            var clip = top ? new SKRect(-0.2f, -0.2f, 1.2f, cut) : new SKRect(-0.2f, 1 - cut, 1.2f, 1.2f);
            return _digits.RenderCanvas(face, digit.ToString(), rng, clip, destination);
        }
        var look = CanvasStyle.Random(rng);
        using var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            look.PaintBackground(canvas, Size);
            using var paint = look.InkPaint(look.InkColor);
            switch (kind)
            {
                case NotDigitKind.Speck:
                    for (int s = 0, n = 1 + rng.Next(3); s < n; s++)
                        canvas.DrawOval(Rand(rng, 12, 52), Rand(rng, 12, 52), Rand(rng, 0.8f, 3f), Rand(rng, 0.8f, 3f), paint);
                    break;
                case NotDigitKind.Line:
                {
                    // Angles within 30° of horizontal, or diagonals 30-60°, never near vertical.
                    var angle = Rand(rng, -60, 60) * MathF.PI / 180;
                    var len = Rand(rng, 20, 50);
                    paint.Style = SKPaintStyle.Stroke;
                    paint.StrokeWidth = Rand(rng, 1.5f, 6);
                    paint.StrokeCap = rng.NextDouble() < 0.5 ? SKStrokeCap.Round : SKStrokeCap.Butt;
                    float cx = Rand(rng, 24, 40), cy = Rand(rng, 24, 40);
                    var dx = MathF.Cos(angle) * len / 2;
                    var dy = MathF.Sin(angle) * len / 2;
                    canvas.DrawLine(cx - dx, cy - dy, cx + dx, cy + dy, paint);
                    if (rng.NextDouble() < 0.3) canvas.DrawLine(cx - dx, cy - dy + 8, cx + dx, cy + dy + 8, paint);
                    break;
                }
                case NotDigitKind.Border:
                {
                    var w = Rand(rng, 3, 9);
                    if (rng.NextDouble() < 0.5)
                    {
                        // An L-shaped frame corner; the "top + right" corner is left out (it reads as a 7-segment 7).
                        float x0 = Rand(rng, 8, 20), y0 = Rand(rng, 8, 20), x1 = Rand(rng, 44, 58), y1 = Rand(rng, 44, 58);
                        switch (rng.Next(3))
                        {
                            case 0: canvas.DrawRect(x0, y0, w, y1 - y0, paint); canvas.DrawRect(x0, y1 - w, x1 - x0, w, paint); break;
                            case 1: canvas.DrawRect(x0, y0, x1 - x0, w, paint); canvas.DrawRect(x0, y0, w, y1 - y0, paint); break;
                            default: canvas.DrawRect(x1 - w, y0, w, y1 - y0, paint); canvas.DrawRect(x0, y1 - w, x1 - x0, w, paint); break;
                        }
                    }
                    else
                    {
                        // A crop that caught a thick piece of the display frame along its top or bottom edge.
                        var h = w * 2;
                        var y = rng.NextDouble() < 0.5 ? 0 : Size - h;
                        canvas.DrawRect(0, y, Size, h, paint);
                    }
                    break;
                }
                case NotDigitKind.Blob:
                {
                    using var path = new SKPath();
                    float cx = Rand(rng, 24, 40), cy = Rand(rng, 24, 40), r = Rand(rng, 6, 18);
                    var n = 7 + rng.Next(5);
                    for (var k = 0; k < n; k++)
                    {
                        var a = k * 2 * MathF.PI / n;
                        var rr = r * Rand(rng, 0.6f, 1.4f);
                        var p = new SKPoint(cx + rr * MathF.Cos(a) * Rand(rng, 0.7f, 1.5f), cy + rr * MathF.Sin(a));
                        if (k == 0) path.MoveTo(p); else path.LineTo(p);
                    }
                    path.Close();
                    canvas.DrawPath(path, paint);
                    break;
                }
                case NotDigitKind.Noise:
                {
                    var cell = 2 + rng.Next(4);
                    var density = Rand(rng, 0.1f, 0.4f);
                    for (var y = 0; y < Size; y += cell)
                        for (var x = 0; x < Size; x += cell)
                            if (rng.NextDouble() < density) canvas.DrawRect(x, y, cell, cell, paint);
                    break;
                }
            }
        }
        var gray = look.ReadGray(bitmap, rng);
        return CropPipeline.ToMnist(gray, Size, look.DarkOnLight, destination, dropSpecks: kind != NotDigitKind.Speck && kind != NotDigitKind.Noise);
    }

    private static float Rand(Random rng, float lo, float hi) => (float)(lo + rng.NextDouble() * (hi - lo));
}
