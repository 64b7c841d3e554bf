using SkiaSharp;

namespace EdgeDigits.Core.Imaging;

/// <summary>
/// Decodes PNG/JPEG/BMP/WebP/GIF files into <see cref="GrayImage"/> (EXIF orientation applied,
/// transparency composited over white) and encodes gray images as PNG, using SkiaSharp.
/// </summary>
public static class GrayImageCodec
{
    /// <summary>Default pixel budget: 40 megapixels.</summary>
    public const long DefaultMaxPixels = 40_000_000;

    /// <summary>Decodes the image file at <paramref name="path"/>; refuses images over <paramref name="maxPixels"/>.</summary>
    /// <exception cref="ImageFormatException">The file is missing, corrupt, truncated, unsupported or too large.</exception>
    public static GrayImage Decode(string path, long maxPixels = DefaultMaxPixels)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageFormatException($"{path}: cannot read file ({e.Message})", e);
        }
        return Decode(bytes, path, maxPixels);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="name"/> labels error messages.</summary>
    /// <exception cref="ImageFormatException">The data is corrupt, truncated, unsupported or too large.</exception>
    public static GrayImage Decode(ReadOnlySpan<byte> encoded, string name = "image", long maxPixels = DefaultMaxPixels)
    {
        if (encoded.Length == 0) throw new ImageFormatException($"{name}: empty file (0 bytes)");
        using var data = SKData.CreateCopy(encoded);
        // The codec owns and disposes the stream.
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var createResult);
        if (codec is null)
            throw new ImageFormatException($"{name}: not a decodable image ({Describe(createResult)})");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
            throw new ImageFormatException($"{name}: zero-size image ({info.Width}x{info.Height})");
        long pixels = (long)info.Width * info.Height;
        if (pixels > maxPixels)
            throw new ImageFormatException($"{name}: {info.Width}x{info.Height} = {pixels / 1e6:0.#} MP exceeds the pixel budget of {maxPixels / 1e6:0.#} MP");

        var rgbaInfo = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[checked(rgbaInfo.BytesSize)];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* p = rgba)
                result = codec.GetPixels(rgbaInfo, (IntPtr)p);
        }
        // Truncated files decode partially; a partial frame would be read as digits, so refuse it.
        if (result != SKCodecResult.Success)
            throw new ImageFormatException($"{name}: {Describe(result)}");

        var gray = new GrayImage(info.Width, info.Height);
        RgbaToGray(rgba, gray.Data);
        var orientation = (ImageOrientation)(int)codec.EncodedOrigin;
        return orientation is ImageOrientation.TopLeft or < ImageOrientation.TopLeft or > ImageOrientation.LeftBottom
            ? gray
            : Orient(gray, orientation);
    }

    /// <summary>
    /// Converts unpremultiplied RGBA to gray with BT.601 luma (integer weights 77/150/29 of 256),
    /// compositing transparency over white so ink on a transparent canvas stays dark on light.
    /// </summary>
    public static void RgbaToGray(ReadOnlySpan<byte> rgba, Span<byte> gray)
    {
        if (rgba.Length / 4 > gray.Length) throw new ArgumentException($"destination holds {gray.Length} pixels, source {rgba.Length / 4}", nameof(gray));
        int n = rgba.Length / 4;
        for (int i = 0; i < n; i++)
        {
            int r = rgba[4 * i], g = rgba[4 * i + 1], b = rgba[4 * i + 2], a = rgba[4 * i + 3];
            int luma = (77 * r + 150 * g + 29 * b + 128) >> 8;
            gray[i] = a == 255 ? (byte)luma : (byte)((luma * a + 255 * (255 - a) + 127) / 255);
        }
    }

    /// <summary>Returns the displayed picture for pixels stored with EXIF <paramref name="orientation"/>.</summary>
    public static GrayImage Orient(GrayImage stored, ImageOrientation orientation)
    {
        ArgumentNullException.ThrowIfNull(stored);
        int w = stored.Width, h = stored.Height;
        bool swap = orientation >= ImageOrientation.LeftTop;
        var dst = swap ? new GrayImage(h, w) : new GrayImage(w, h);
        for (int y = 0; y < dst.Height; y++)
        {
            var row = dst.Row(y);
            for (int x = 0; x < dst.Width; x++)
            {
                (int sx, int sy) = orientation switch
                {
                    ImageOrientation.TopRight => (w - 1 - x, y),
                    ImageOrientation.BottomRight => (w - 1 - x, h - 1 - y),
                    ImageOrientation.BottomLeft => (x, h - 1 - y),
                    ImageOrientation.LeftTop => (y, x),
                    ImageOrientation.RightTop => (y, h - 1 - x),
                    ImageOrientation.RightBottom => (w - 1 - y, h - 1 - x),
                    ImageOrientation.LeftBottom => (w - 1 - y, x),
                    _ => (x, y),
                };
                row[x] = stored.Buffer[sy * stored.Stride + sx];
            }
        }
        return dst;
    }

    /// <summary>Encodes <paramref name="image"/> as an 8-bit grayscale PNG.</summary>
    public static byte[] EncodePng(GrayImage image) => Encode(image, "PNG", pixmap => pixmap.Encode(SKPngEncoderOptions.Default));

    /// <summary>Encodes <paramref name="image"/> as a grayscale JPEG of <paramref name="quality"/> (1 … 100), as a camera delivers frames.</summary>
    public static byte[] EncodeJpeg(GrayImage image, int quality = 85)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Encode(image, "JPEG", pixmap => pixmap.Encode(new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)));
    }

    private static byte[] Encode(GrayImage image, string format, Func<SKPixmap, SKData?> encode)
    {
        ArgumentNullException.ThrowIfNull(image);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var pixmap = new SKPixmap();
        unsafe
        {
            fixed (byte* p = image.Buffer)
            {
                pixmap.Reset(info, (IntPtr)p, image.Stride);
                using var encoded = encode(pixmap)
                    ?? throw new InvalidOperationException($"{format} encoding of a {image.Width}x{image.Height} gray image failed");
                return encoded.ToArray();
            }
        }
    }

    /// <summary>Writes <paramref name="image"/> as PNG to <paramref name="path"/> (temp file, then rename: never half-written).</summary>
    public static void SavePng(GrayImage image, string path)
    {
        var bytes = EncodePng(image);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "truncated file (incomplete image data)",
        SKCodecResult.ErrorInInput => "corrupt image data",
        SKCodecResult.InvalidInput => "invalid or unsupported image data",
        SKCodecResult.Unimplemented => "unsupported image format",
        SKCodecResult.InvalidConversion => "unsupported pixel format",
        SKCodecResult.CouldNotRewind => "truncated or unreadable stream",
        _ => $"decoder reported {result}",
    };
}
