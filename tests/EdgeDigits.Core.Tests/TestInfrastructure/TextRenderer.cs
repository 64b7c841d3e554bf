using EdgeDigits.Core.Imaging;
using SkiaSharp;

namespace EdgeDigits.Core.Tests.TestInfrastructure;

/// <summary>Draws text into gray images with SkiaSharp for synthetic test frames.</summary>
internal static class TextRenderer
{
    public const string DejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    public const string Dseg7 = "/usr/share/fonts/truetype/dseg/DSEG7Classic-Regular.ttf";
    public const string Dseg7Bold = "/usr/share/fonts/truetype/dseg/DSEG7Classic-Bold.ttf";

    /// <summary>Renders <paramref name="text"/> with its baseline at (x, y) onto a flat background; <paramref name="gradient"/> darkens the right side (uneven light).</summary>
    public static GrayImage Render(string text, string font, int width, int height, float size, float x, float y,
        byte ink = 30, byte paper = 220, float degrees = 0, int gradient = 0)
    {
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bmp))
        {
            canvas.Clear(new SKColor(paper, paper, paper));
            if (degrees != 0) canvas.RotateDegrees(-degrees, width / 2f, height / 2f);
            using var typeface = SKTypeface.FromFile(font) ?? throw new InvalidOperationException($"font {font} not found");
            using var skFont = new SKFont(typeface, size);
            using var paint = new SKPaint { Color = new SKColor(ink, ink, ink), IsAntialias = true };
            canvas.DrawText(text, x, y, skFont, paint);
        }
        var gray = new GrayImage(width, height);
        GrayImageCodec.RgbaToGray(bmp.GetPixelSpan(), gray.Data);
        if (gradient != 0)
            for (int yy = 0; yy < height; yy++)
            {
                var row = gray.Row(yy);
                for (int xx = 0; xx < width; xx++) row[xx] = (byte)Math.Max(0, row[xx] - gradient * xx / width);
            }
        return gray;
    }
}
