using EdgeDigits.Core.Imaging;
using SkiaSharp;

namespace EdgeDigits.Core.Synthesis;

/// <summary>
/// Renders numbers as a 7-segment LCD would show them, with the DSEG7 fonts (Debian fonts-dseg):
/// greenish-gray glass, faint unlit segments, dark lit segments, uneven light and noise; optionally a
/// backlit display (light digits on dark). Deterministic for a given <see cref="Random"/> seed.
/// </summary>
public static class SevenSegmentRenderer
{
    /// <summary>Folder of the DSEG fonts installed by fonts-dseg.</summary>
    public const string FontFolder = "/usr/share/fonts/truetype/dseg";

    private static readonly string[] s_fonts = ["DSEG7Classic-Regular.ttf", "DSEG7Classic-Bold.ttf", "DSEG7Modern-Regular.ttf", "DSEG7Modern-Bold.ttf"];

    /// <summary>Renders <paramref name="digits"/> (characters 0-9 only).</summary>
    /// <exception cref="FileNotFoundException">The DSEG fonts are not installed.</exception>
    public static GrayImage Render(string digits, Random rng, bool backlit = false)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentNullException.ThrowIfNull(rng);
        if (digits.Length == 0 || digits.Any(c => c is < '0' or > '9')) throw new ArgumentException($"'{digits}' is not a string of digits", nameof(digits));
        var fontPath = Path.Combine(FontFolder, s_fonts[rng.Next(s_fonts.Length)]);
        if (!File.Exists(fontPath)) throw new FileNotFoundException($"{fontPath}: DSEG font missing (install fonts-dseg)", fontPath);
        float size = 48 + (float)rng.NextDouble() * 50;
        using var typeface = SKTypeface.FromFile(fontPath) ?? throw new FileNotFoundException($"{fontPath}: not a loadable font", fontPath);
        using var font = new SKFont(typeface, size);
        float textWidth = font.MeasureText(new string('8', digits.Length));
        int margin = (int)(size * 0.4);
        int w = (int)Math.Ceiling(textWidth) + 2 * margin;
        int h = (int)Math.Ceiling(size * 1.1) + 2 * margin;

        double glass = backlit ? 20 + rng.NextDouble() * 30 : 150 + rng.NextDouble() * 50;
        double lit = backlit ? 200 + rng.NextDouble() * 55 : 15 + rng.NextDouble() * 45;
        double ghost = backlit ? glass + 8 + rng.NextDouble() * 10 : glass - 8 - rng.NextDouble() * 12;
        using var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bmp))
        {
            byte g = (byte)glass;
            // A greenish tint as on a real reflective LCD; the gray conversion keeps the luma.
            canvas.Clear(new SKColor((byte)(g * 0.92), g, (byte)(g * 0.85)));
            float baseline = margin + size;
            using var ghostPaint = new SKPaint { Color = new SKColor((byte)ghost, (byte)ghost, (byte)ghost), IsAntialias = true };
            canvas.DrawText(new string('8', digits.Length), margin, baseline, font, ghostPaint);
            using var litPaint = new SKPaint { Color = new SKColor((byte)lit, (byte)lit, (byte)lit), IsAntialias = true };
            canvas.DrawText(digits, margin, baseline, font, litPaint);
        }
        var img = new GrayImage(w, h);
        GrayImageCodec.RgbaToGray(bmp.GetPixelSpan(), img.Data);
        double gradient = rng.NextDouble() * 30, noise = 1 + rng.NextDouble() * 4;
        for (int y = 0; y < h; y++)
        {
            var row = img.Row(y);
            for (int x = 0; x < w; x++)
                row[x] = (byte)Math.Clamp(row[x] - gradient * x / w + DigitComposer.Gaussian(rng) * noise, 0, 255);
        }
        return img;
    }
}
