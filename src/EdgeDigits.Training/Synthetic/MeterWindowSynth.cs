using EdgeDigits.Core.Meters;
using EdgeDigits.Training.Data;
using SkiaSharp;

namespace EdgeDigits.Training.Synthetic;

/// <summary>
/// Synthetic meter digit windows for the meter wheel model, to widen what the few real meter faces teach: rolling
/// counters in the training split's printed fonts (the digit and its neighbour on the wheel, shifted by the roll,
/// the edges of the next wheels at the sides) and LCD digits in the 7-segment fonts with faint unlit segments (an
/// LCD never rolls: label d.0). Light-on-dark and dark-on-light faces, gradients, blur and noise. Windows are
/// normalized exactly as real ones (<see cref="MeterWindowNormalizer"/>); labels are tenths 0 … 99.
/// </summary>
public sealed class MeterWindowSynth
{
    /// <summary>Canvas width: twice the 20-pixel width of the public set's windows.</summary>
    public const int Width = 40;

    /// <summary>Canvas height: twice the 32-pixel height of the public set's windows.</summary>
    public const int Height = 64;

    private readonly FontCatalog _fonts;

    /// <summary>Creates a generator over the fonts found on this machine.</summary>
    public MeterWindowSynth(FontCatalog? fonts = null) => _fonts = fonts ?? FontCatalog.Discover();

    /// <summary>Default <see cref="LcdFraction"/>.</summary>
    public const double DefaultLcdFraction = 0.3;

    /// <summary>Default <see cref="MaxGhost"/>.</summary>
    public const double DefaultMaxGhost = 0.18;

    /// <summary>Share of LCD windows (the rest are rolling counters), 0 … 1.</summary>
    public double LcdFraction { get; init; } = DefaultLcdFraction;

    /// <summary>Share of LCD windows that show their unlit segments (ghosts), 0 … 1.</summary>
    public double GhostProbability { get; init; } = 0.7;

    /// <summary>Faintest ghost: the unlit segments' contrast as a fraction of the lit ones'.</summary>
    public double MinGhost { get; init; } = 0.03;

    /// <summary>Strongest ghost: the unlit segments' contrast as a fraction of the lit ones' (real LCDs seen at an angle reach about half), ≥ <see cref="MinGhost"/> and &lt; 1.</summary>
    public double MaxGhost { get; init; } = DefaultMaxGhost;

    /// <summary>Generates <paramref name="count"/> windows of <paramref name="split"/>'s fonts; deterministic for the seed, independent of threads.</summary>
    /// <exception cref="InvalidOperationException">No printed or no 7-segment fonts of that split are installed.</exception>
    public DigitSet Generate(int count, SyntheticSplit split, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (LcdFraction is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(LcdFraction), LcdFraction, "the LCD share must be within 0 … 1");
        if (GhostProbability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(GhostProbability), GhostProbability, "the ghost probability must be within 0 … 1");
        if (MinGhost < 0 || MaxGhost < MinGhost || MaxGhost >= 1) throw new ArgumentOutOfRangeException(nameof(MaxGhost), MaxGhost, $"the ghost contrast must satisfy 0 ≤ {MinGhost} ≤ max < 1");
        var printed = _fonts.For(split, DigitStyle.Printed);
        var seven = _fonts.For(split, DigitStyle.SevenSegment);
        var pixels = new byte[count * MeterWindowNormalizer.Pixels];
        var labels = new int[count];
        Parallel.For(0, count, i =>
        {
            var rng = new Random(CropPipeline.SampleSeed(seed, split, i, 0x3E7E));
            var lcd = rng.NextDouble() < LcdFraction;
            var tenths = lcd ? rng.Next(10) * 10 : rng.Next(TenthsDecoder.Classes);
            labels[i] = tenths;
            var faces = lcd ? seven : printed;
            var gray = Render(faces[rng.Next(faces.Count)], tenths, lcd, rng);
            MeterWindowNormalizer.Normalize(gray, Width, Height, Width, new Core.Imaging.PixelRect(0, 0, Width, Height),
                pixels.AsSpan(i * MeterWindowNormalizer.Pixels, MeterWindowNormalizer.Pixels));
        });
        return new DigitSet(pixels, labels, TenthsDecoder.ClassLabels);
    }

    private byte[] Render(FontFace face, int tenths, bool lcd, Random rng)
    {
        var style = CanvasStyle.Random(rng);
        var typeface = _fonts.Typeface(face);
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            style.PaintBackground(canvas, Height);
            // The digit fills 55-85% of the window's height, as windows are cut around one wheel.
            var size = Height * (float)(0.6 + rng.NextDouble() * 0.35);
            using var font = new SKFont(typeface, size)
            {
                Edging = SKFontEdging.Antialias,
                ScaleX = (float)(0.75 + rng.NextDouble() * 0.45),
                SkewX = (float)((rng.NextDouble() * 2 - 1) * 0.08),
            };
            using var paint = style.InkPaint(style.InkColor, rng.NextDouble() < 0.3 ? (float)(rng.NextDouble() * 2.5) : 0f);
            font.MeasureText("8", out var box, paint);
            float cx = Width / 2f + (float)((rng.NextDouble() * 2 - 1) * 3), cy = Height / 2f + (float)((rng.NextDouble() * 2 - 1) * 2);
            int digit = tenths / 10;
            if (lcd)
            {
                if (rng.NextDouble() < GhostProbability)
                {
                    using var ghost = style.InkPaint(style.Faint(MinGhost + rng.NextDouble() * (MaxGhost - MinGhost)));
                    canvas.DrawText("8", cx - box.MidX, cy - box.MidY, SKTextAlign.Left, font, ghost);
                }
                canvas.DrawText(digit.ToString(), cx - box.MidX, cy - box.MidY, SKTextAlign.Left, font, paint);
            }
            else
            {
                // A wheel: digits one pitch apart, moved up by the roll; the next digit enters from below.
                var pitch = box.Height * (float)(1.25 + rng.NextDouble() * 0.35);
                var offset = tenths % 10 / 10f * pitch;
                for (int k = -1; k <= 2; k++)
                {
                    var d = ((digit + k) % 10 + 10) % 10;
                    canvas.DrawText(d.ToString(), cx - box.MidX, cy - box.MidY + k * pitch - offset, SKTextAlign.Left, font, paint);
                }
                // The edges of the neighbouring wheels at the sides of the cut.
                if (rng.NextDouble() < 0.5)
                {
                    var gap = box.Width * (float)(1.15 + rng.NextDouble() * 0.4);
                    foreach (var side in new[] { -1, 1 })
                        canvas.DrawText(rng.Next(10).ToString(), cx - box.MidX + side * gap, cy - box.MidY + (float)((rng.NextDouble() * 2 - 1) * pitch * 0.5), SKTextAlign.Left, font, paint);
                }
            }
            // A dark frame band at the top or bottom edge, as a meter's window frame often shows.
            if (rng.NextDouble() < 0.25)
            {
                using var band = new SKPaint { Color = style.DarkOnLight ? new SKColor(20, 20, 20) : new SKColor(5, 5, 5) };
                var h = (float)(rng.NextDouble() * 6);
                canvas.DrawRect(0, rng.NextDouble() < 0.5 ? 0 : Height - h, Width, h, band);
            }
        }
        return style.ReadGray(bitmap, rng);
    }
}
