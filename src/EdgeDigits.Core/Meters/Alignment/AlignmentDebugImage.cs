using EdgeDigits.Core.Imaging;
using SkiaSharp;

namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>
/// The picture a person checks an alignment by: the frame with each digit window drawn where the alignment put it (green when
/// aligned, red when refused), the reference marks' boxes moved likewise (blue) and the centres where the marks were found (cross).
/// </summary>
public static class AlignmentDebugImage
{
    /// <summary>Draws <paramref name="layout"/> on <paramref name="frame"/> through <paramref name="result"/> (identity when null) and writes a PNG to <paramref name="path"/>.</summary>
    public static void Save(GrayImage frame, MeterLayout layout, AlignmentResult? result, string path)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(layout);
        var transform = result?.Transform ?? FrameTransform.Identity;
        using var bitmap = new SKBitmap(frame.Width, frame.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < frame.Height; y++)
        {
            var row = frame.Row(y);
            for (int x = 0; x < frame.Width; x++) bitmap.SetPixel(x, y, new SKColor(row[x], row[x], row[x]));
        }
        using (var canvas = new SKCanvas(bitmap))
        {
            bool ok = result is null || result.Aligned;
            using var windowPen = new SKPaint { Color = ok ? SKColors.LimeGreen : SKColors.Red, IsStroke = true, StrokeWidth = 2, IsAntialias = true };
            using var markPen = new SKPaint { Color = SKColors.DeepSkyBlue, IsStroke = true, StrokeWidth = 2, IsAntialias = true };
            foreach (var w in layout.Windows) canvas.DrawPath(Box(transform, w), windowPen);
            foreach (var m in layout.Marks) canvas.DrawPath(Box(transform, m), markPen);
            foreach (var c in result?.MarksFound ?? [])
            {
                canvas.DrawLine((float)c.X - 6, (float)c.Y, (float)c.X + 6, (float)c.Y, markPen);
                canvas.DrawLine((float)c.X, (float)c.Y - 6, (float)c.X, (float)c.Y + 6, markPen);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, data.ToArray());
    }

    private static SKPath Box(FrameTransform t, PixelRect r)
    {
        var path = new SKPath();
        var corners = new[] { t.Map(r.X - 0.5, r.Y - 0.5), t.Map(r.Right - 0.5, r.Y - 0.5), t.Map(r.Right - 0.5, r.Bottom - 0.5), t.Map(r.X - 0.5, r.Bottom - 0.5) };
        path.MoveTo((float)corners[0].X, (float)corners[0].Y);
        for (int i = 1; i < 4; i++) path.LineTo((float)corners[i].X, (float)corners[i].Y);
        path.Close();
        return path;
    }
}
