using SkiaSharp;

namespace EdgeDigits.Device.Recognition;

/// <summary>Reads and writes the 28x28 gray digit crops used by the self-test and the correction folders.</summary>
public static class CropImages
{
    /// <summary>Loads a PNG as 28x28 gray bytes (resized if needed); null when it cannot be decoded.</summary>
    public static byte[]? LoadGray28(string path)
    {
        using var bmp = SKBitmap.Decode(path);
        if (bmp is null) return null;
        using var gray = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(gray))
        {
            canvas.Clear(SKColors.Black);
            using var img = SKImage.FromBitmap(bmp);
            canvas.DrawImage(img, new SKRect(0, 0, 28, 28), new SKSamplingOptions(SKFilterMode.Linear));
        }
        var bytes = new byte[28 * 28];
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++)
                bytes[y * 28 + x] = gray.GetPixel(x, y).Red;
        return bytes;
    }

    /// <summary>Writes 28x28 gray bytes as a PNG, atomically (temp file, then rename).</summary>
    public static void SaveGray28(byte[] crop, string path)
    {
        if (crop.Length != 28 * 28) throw new ArgumentException($"crop has {crop.Length} bytes, expected 784", nameof(crop));
        using var bmp = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(crop, 0, bmp.GetPixels(), crop.Length);
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        EdgeDigits.Core.AtomicFile.WriteAllBytes(path, data.AsSpan());
    }
}
