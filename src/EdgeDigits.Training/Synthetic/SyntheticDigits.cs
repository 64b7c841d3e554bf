using EdgeDigits.Training.Data;
using SkiaSharp;

namespace EdgeDigits.Training.Synthetic;

/// <summary>
/// Renders printed and 7-segment digits from TTF fonts with random weight, size, slant, rotation,
/// position, background, polarity, blur and noise, then runs them through <see cref="CropPipeline"/>
/// to 28x28 MNIST-style crops. Deterministic for a given seed; test fonts and seeds are disjoint
/// from training ones.
/// </summary>
public sealed class SyntheticDigits
{
    /// <summary>Side of the square canvas a digit is rendered on.</summary>
    public const int CanvasSize = 64;

    private readonly FontCatalog _fonts;
    // One typeface per font file for the generator's lifetime. Lazy makes sure a race in GetOrAdd cannot
    // load a second SKTypeface that is then dropped and finalized while Parallel.For renders with it.

    /// <summary>Creates a generator over <paramref name="fonts"/> (default: <see cref="FontCatalog.Discover"/>).</summary>
    public SyntheticDigits(FontCatalog? fonts = null) => _fonts = fonts ?? FontCatalog.Discover();

    /// <summary>The font catalog in use.</summary>
    public FontCatalog Fonts => _fonts;

    /// <summary>Fraction of 7-segment digits when no style is forced (default 0.5).</summary>
    public double SevenSegmentFraction { get; init; } = 0.5;

    /// <summary>
    /// Generates <paramref name="count"/> digits of <paramref name="split"/>, labels cycling 0..9 (balanced),
    /// classes "0".."9". Deterministic for (<paramref name="seed"/>, split, count), independent of thread count.
    /// </summary>
    /// <param name="count">Number of images.</param>
    /// <param name="split">Train fonts or held-out test fonts (test also uses a disjoint seed stream).</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="style">Only printed or only 7-segment digits; null mixes per <see cref="SevenSegmentFraction"/>.</param>
    public DigitSet Generate(int count, SyntheticSplit split, int seed, DigitStyle? style = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var printed = style is null or DigitStyle.Printed ? _fonts.For(split, DigitStyle.Printed) : [];
        var seven = style is null or DigitStyle.SevenSegment ? _fonts.For(split, DigitStyle.SevenSegment) : [];
        var pixels = new byte[count * DigitSet.ImageSize];
        var labels = new int[count];
        Parallel.For(0, count, i =>
        {
            var digit = i % 10;
            labels[i] = digit;
            for (var attempt = 0; ; attempt++)
            {
                var rng = new Random(CropPipeline.SampleSeed(seed, split, i, attempt));
                var useSeven = style switch
                {
                    DigitStyle.SevenSegment => true,
                    DigitStyle.Printed => false,
                    _ => rng.NextDouble() < SevenSegmentFraction,
                };
                var faces = useSeven ? seven : printed;
                var face = faces[rng.Next(faces.Count)];
                if (Render(face, digit, rng, pixels.AsSpan(i * DigitSet.ImageSize, DigitSet.ImageSize))) break;
                if (attempt > 20) throw new InvalidOperationException($"font {face.Name} rendered no ink for '{digit}'");
            }
        });
        return new DigitSet(pixels, labels, DigitSet.DigitClasses.ToArray());
    }

    /// <summary>Renders one digit with <paramref name="face"/> into a 28x28 crop; false when nothing survived thresholding.</summary>
    internal bool Render(FontFace face, int digit, Random rng, Span<byte> destination) =>
        RenderCanvas(face, digit.ToString(), rng, clip: null, destination);

    /// <summary>Renders <paramref name="text"/>, optionally keeping only the part inside <paramref name="clip"/> (fractions of the glyph box), into 28x28.</summary>
    internal bool RenderCanvas(FontFace face, string text, Random rng, SKRect? clip, Span<byte> destination)
    {
        var style = CanvasStyle.Random(rng);
        var typeface = _fonts.Typeface(face);
        using var bitmap = new SKBitmap(new SKImageInfo(CanvasSize, CanvasSize, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            style.PaintBackground(canvas, CanvasSize);
            var seven = face.Style == DigitStyle.SevenSegment;
            using var font = new SKFont(typeface, (float)(30 + rng.NextDouble() * 14))
            {
                Edging = SKFontEdging.Antialias,
                Subpixel = true,
                SkewX = (float)((rng.NextDouble() * 2 - 1) * (seven ? 0.12 : 0.22)),
                ScaleX = (float)(0.8 + rng.NextDouble() * 0.4),
            };
            var stroke = rng.NextDouble() < 0.3 ? (float)(rng.NextDouble() * 2.2) : 0f;
            using var paint = style.InkPaint(style.InkColor, stroke);
            font.MeasureText(text, out var bounds, paint);
            canvas.Translate(CanvasSize / 2f + (float)((rng.NextDouble() * 2 - 1) * 6), CanvasSize / 2f + (float)((rng.NextDouble() * 2 - 1) * 6));
            canvas.RotateDegrees((float)((rng.NextDouble() * 2 - 1) * 7));
            canvas.Translate(-bounds.MidX, -bounds.MidY);
            if (clip is { } c)
                canvas.ClipRect(new SKRect(bounds.Left + c.Left * bounds.Width, bounds.Top + c.Top * bounds.Height, bounds.Left + c.Right * bounds.Width, bounds.Top + c.Bottom * bounds.Height));
            if (seven && rng.NextDouble() < 0.5)
            {
                // Unlit segments of an LCD show faintly behind the lit ones.
                using var ghost = style.InkPaint(style.Faint(0.06 + rng.NextDouble() * 0.16));
                canvas.DrawText("8", 0, 0, SKTextAlign.Left, font, ghost);
            }
            canvas.DrawText(text, 0, 0, SKTextAlign.Left, font, paint);
        }
        var gray = style.ReadGray(bitmap, rng);
        return CropPipeline.ToMnist(gray, CanvasSize, style.DarkOnLight, destination);
    }
}
