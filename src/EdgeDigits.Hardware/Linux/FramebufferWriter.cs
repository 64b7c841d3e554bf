using SkiaSharp;

namespace EdgeDigits.Hardware.Linux;

/// <summary>Pixel layouts of a Linux framebuffer.</summary>
public enum FramebufferFormat
{
    /// <summary>16 bpp, RGB565 little-endian in memory (fbtft panels, e.g. an ILI9341 under fb_ili9341).</summary>
    Rgb565,
    /// <summary>32 bpp, 0x00RRGGBB little-endian (bytes B, G, R, X): the HDMI/DSI console framebuffer.</summary>
    Xrgb8888,
}

/// <summary>Draws bitmaps, or regions of them, into a Linux framebuffer device (<c>/dev/fbN</c>) or any file with the same layout, seeking to each row so partial updates touch only their bytes.</summary>
public sealed class FramebufferWriter : IDisposable
{
    private readonly FileStream _file;

    /// <summary>Opens <paramref name="path"/> for a <paramref name="width"/> x <paramref name="height"/> buffer in <paramref name="format"/>; <paramref name="stride"/> defaults to width·bytes per pixel. A regular file is created if missing.</summary>
    public FramebufferWriter(string path, int width, int height, FramebufferFormat format, int? stride = null)
    {
        Layout = new FramebufferLayout(width, height, format, stride, path);
        Path = path;
        try
        {
            var isDevice = path.StartsWith("/dev/", StringComparison.Ordinal);
            _file = new FileStream(path, isDevice ? FileMode.Open : FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HardwareUnavailableException($"framebuffer {path}", "no such framebuffer device (is the display overlay loaded? see /sys/class/graphics)", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new HardwareUnavailableException($"framebuffer {path}", "permission denied (add the user to the 'video' group)", ex);
        }
    }

    /// <summary>Opens <c>/dev/fbN</c> with its geometry from <c>/sys/class/graphics/fbN</c> (virtual_size, bits_per_pixel, stride).</summary>
    public static FramebufferWriter OpenDevice(string devicePath = "/dev/fb0")
    {
        var name = System.IO.Path.GetFileName(devicePath);
        var sys = $"/sys/class/graphics/{name}";
        if (!File.Exists(devicePath) || !Directory.Exists(sys)) throw new HardwareUnavailableException($"framebuffer {devicePath}", $"no such framebuffer device ({sys} missing)");
        var size = File.ReadAllText(System.IO.Path.Combine(sys, "virtual_size")).Trim().Split(',');
        var bpp = int.Parse(File.ReadAllText(System.IO.Path.Combine(sys, "bits_per_pixel")).Trim());
        var stride = int.Parse(File.ReadAllText(System.IO.Path.Combine(sys, "stride")).Trim());
        var format = bpp switch
        {
            16 => FramebufferFormat.Rgb565,
            32 => FramebufferFormat.Xrgb8888,
            _ => throw new HardwareUnavailableException($"framebuffer {devicePath}", $"{bpp} bits per pixel is not supported (16 or 32)"),
        };
        return new FramebufferWriter(devicePath, int.Parse(size[0]), int.Parse(size[1]), format, stride);
    }

    /// <summary>Device or file path.</summary>
    public string Path { get; }

    /// <summary>Size, pixel format and row length.</summary>
    public FramebufferLayout Layout { get; }

    /// <summary>Width in pixels.</summary>
    public int Width => Layout.Width;

    /// <summary>Height in pixels.</summary>
    public int Height => Layout.Height;

    /// <summary>Pixel layout.</summary>
    public FramebufferFormat Format => Layout.Format;

    /// <summary>Bytes per pixel.</summary>
    public int BytesPerPixel => Layout.BytesPerPixel;

    /// <summary>Bytes per row (line_length).</summary>
    public int Stride => Layout.Stride;

    /// <summary>Draws a whole bitmap at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public void Draw(SKBitmap bitmap, int x = 0, int y = 0) => Draw(bitmap, new SKRectI(0, 0, bitmap.Width, bitmap.Height), x, y);

    /// <summary>Draws the <paramref name="source"/> region of a bitmap at (<paramref name="x"/>, <paramref name="y"/>), one seek+write per row.</summary>
    public void Draw(SKBitmap bitmap, SKRectI source, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (source.Left < 0 || source.Top < 0 || source.Right > bitmap.Width || source.Bottom > bitmap.Height || source.Width <= 0 || source.Height <= 0)
            throw new ArgumentOutOfRangeException(nameof(source), $"framebuffer {Path}: region {source} is not inside the {bitmap.Width}x{bitmap.Height} bitmap");
        if (x < 0 || y < 0 || x + source.Width > Width || y + source.Height > Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"framebuffer {Path}: {source.Width}x{source.Height} at ({x},{y}) is outside {Width}x{Height}");
        using var rgba = bitmap.ColorType == SKColorType.Rgba8888 ? null : bitmap.Copy(SKColorType.Rgba8888);
        var src = rgba ?? bitmap;
        var pixels = src.GetPixelSpan();
        var row = new byte[source.Width * BytesPerPixel];
        try
        {
            for (var r = 0; r < source.Height; r++)
            {
                var line = pixels.Slice((source.Top + r) * src.RowBytes + source.Left * 4, source.Width * 4);
                Convert(line, row);
                _file.Seek((long)(y + r) * Stride + (long)x * BytesPerPixel, SeekOrigin.Begin);
                _file.Write(row);
            }
            _file.Flush();
        }
        catch (IOException ex)
        {
            throw new HardwareFaultException($"framebuffer {Path}", $"write failed: {ex.Message}", ex);
        }
    }

    /// <summary>Closes the device.</summary>
    public void Dispose() => _file.Dispose();

    private void Convert(ReadOnlySpan<byte> rgba, Span<byte> dst)
    {
        var n = rgba.Length / 4;
        for (var i = 0; i < n; i++)
        {
            byte r = rgba[i * 4], g = rgba[i * 4 + 1], b = rgba[i * 4 + 2];
            if (Format == FramebufferFormat.Rgb565)
            {
                var v = ((r & 0xF8) << 8) | ((g & 0xFC) << 3) | (b >> 3);
                dst[i * 2] = (byte)v;
                dst[i * 2 + 1] = (byte)(v >> 8);
            }
            else
            {
                dst[i * 4] = b;
                dst[i * 4 + 1] = g;
                dst[i * 4 + 2] = r;
                dst[i * 4 + 3] = 0;
            }
        }
    }
}
