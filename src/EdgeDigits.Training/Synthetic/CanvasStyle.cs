using SkiaSharp;

namespace EdgeDigits.Training.Synthetic;

/// <summary>Random look of one rendered crop: polarity, background, ink level, blur and noise.</summary>
internal sealed record CanvasStyle(bool DarkOnLight, byte Background, byte Ink, float GradientAmplitude, float GradientAngle, float Blur, float NoiseSigma)
{
    public static CanvasStyle Random(Random rng)
    {
        var darkOnLight = rng.NextDouble() < 0.5;
        var contrast = 90 + rng.Next(150);
        int bg, ink;
        if (darkOnLight)
        {
            bg = 255 - rng.Next(Math.Max(1, 256 - contrast));
            ink = bg - contrast;
        }
        else
        {
            bg = rng.Next(Math.Max(1, 256 - contrast));
            ink = bg + contrast;
        }
        return new CanvasStyle(darkOnLight, (byte)Math.Clamp(bg, 0, 255), (byte)Math.Clamp(ink, 0, 255),
            (float)(rng.NextDouble() * 0.15 * contrast), (float)(rng.NextDouble() * 360), (float)(rng.NextDouble() < 0.5 ? 0 : rng.NextDouble() * 1.2),
            (float)(rng.NextDouble() * 0.05 * contrast));
    }

    public SKColor BackgroundColor => new(Background, Background, Background);

    public SKColor InkColor => new(Ink, Ink, Ink);

    /// <summary>A color between background and ink (for unlit 7-segment "ghost" segments).</summary>
    public SKColor Faint(double fraction)
    {
        var v = (byte)Math.Clamp(Background + (Ink - Background) * fraction, 0, 255);
        return new SKColor(v, v, v);
    }

    public void PaintBackground(SKCanvas canvas, int size)
    {
        canvas.Clear(BackgroundColor);
        if (GradientAmplitude < 1) return;
        var rad = GradientAngle * MathF.PI / 180;
        var dx = MathF.Cos(rad) * size / 2;
        var dy = MathF.Sin(rad) * size / 2;
        var delta = (int)GradientAmplitude * (DarkOnLight ? -1 : 1);
        var far = (byte)Math.Clamp(Background + delta, 0, 255);
        using var shader = SKShader.CreateLinearGradient(new SKPoint(size / 2f - dx, size / 2f - dy), new SKPoint(size / 2f + dx, size / 2f + dy),
            [BackgroundColor, new SKColor(far, far, far)], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        canvas.DrawRect(0, 0, size, size, paint);
    }

    public SKPaint InkPaint(SKColor color, float strokeWidth = 0)
    {
        var p = new SKPaint { Color = color, IsAntialias = true };
        if (strokeWidth > 0)
        {
            p.Style = SKPaintStyle.StrokeAndFill;
            p.StrokeWidth = strokeWidth;
        }
        if (Blur > 0.05f) p.MaskFilter = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, Blur);
        return p;
    }

    /// <summary>Reads the canvas as gray bytes and adds Gaussian sensor noise.</summary>
    public byte[] ReadGray(SKBitmap bitmap, Random rng)
    {
        var px = bitmap.GetPixelSpan();
        var gray = new byte[bitmap.Width * bitmap.Height];
        for (var i = 0; i < gray.Length; i++)
        {
            double v = px[4 * i];
            if (NoiseSigma > 0)
            {
                // Box-Muller.
                var u1 = 1.0 - rng.NextDouble();
                var u2 = rng.NextDouble();
                v += NoiseSigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
            gray[i] = (byte)Math.Clamp(Math.Round(v), 0, 255);
        }
        return gray;
    }
}
