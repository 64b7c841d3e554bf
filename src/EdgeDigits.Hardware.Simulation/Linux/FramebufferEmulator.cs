using EdgeDigits.Hardware.Linux;
using SkiaSharp;

namespace EdgeDigits.Hardware.Simulation.Linux;

/// <summary>
/// A Linux framebuffer (<c>/dev/fbN</c>) stood in by a file with the same memory layout: created black at the size the device would
/// have, written by the real <see cref="FramebufferWriter"/>, read back as the pixels the panel would show. A write past the end of
/// the buffer (which a real device refuses with ENOSPC) is listed in <see cref="Violations"/>.
/// </summary>
public sealed class FramebufferEmulator
{
    /// <summary>Creates (or resets to black) the file at <paramref name="path"/> for a <paramref name="width"/> x <paramref name="height"/> buffer.</summary>
    public FramebufferEmulator(string path, int width, int height, FramebufferFormat format, int? stride = null)
    {
        Layout = new FramebufferLayout(width, height, format, stride, path);
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
        var tmp = Path + ".tmp";
        File.WriteAllBytes(tmp, new byte[Layout.Size]);
        File.Move(tmp, Path, overwrite: true);
    }

    /// <summary>The file standing in for the device node.</summary>
    public string Path { get; }

    /// <summary>The device's size, pixel format and row length (what sysfs would report).</summary>
    public FramebufferLayout Layout { get; }

    /// <summary>What a driver did that the device would refuse.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            var size = new FileInfo(Path).Length;
            return size == Layout.Size ? [] : [$"{Path}: buffer is {size} bytes, the device has {Layout.Size} (a write ran past the end)"];
        }
    }

    /// <summary>Opens the real driver on this buffer (the caller disposes it).</summary>
    public FramebufferWriter OpenWriter() => new(Path, Layout.Width, Layout.Height, Layout.Format, Layout.Stride);

    /// <summary>The pixels as the panel shows them now (RGB565 expanded to 8 bits per channel); the caller disposes the bitmap.</summary>
    public SKBitmap Render()
    {
        byte[] bytes;
        using (var f = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            bytes = new byte[f.Length];
            f.ReadExactly(bytes);
        }
        var (w, h, bpp) = (Layout.Width, Layout.Height, Layout.BytesPerPixel);
        var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var o = y * Layout.Stride + x * bpp;
                if (o + bpp <= bytes.Length) bmp.SetPixel(x, y, Decode(bytes.AsSpan(o, bpp)));
            }
        }
        return bmp;
    }

    /// <summary>One pixel as the panel shows it now.</summary>
    public SKColor GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Layout.Width || (uint)y >= (uint)Layout.Height) throw new ArgumentOutOfRangeException(nameof(x), $"({x},{y}) is outside {Layout.Width}x{Layout.Height}");
        var bpp = Layout.BytesPerPixel;
        Span<byte> px = stackalloc byte[4];
        using var f = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        f.Seek((long)y * Layout.Stride + (long)x * bpp, SeekOrigin.Begin);
        f.ReadExactly(px[..bpp]);
        return Decode(px[..bpp]);
    }

    private SKColor Decode(ReadOnlySpan<byte> p)
    {
        if (Layout.Format == FramebufferFormat.Rgb565)
        {
            var v = p[0] | p[1] << 8;
            int r = v >> 11 & 0x1F, g = v >> 5 & 0x3F, b = v & 0x1F;
            // Replicating the top bits into the low ones maps full scale to 255, as a panel's DAC does.
            return new SKColor((byte)(r << 3 | r >> 2), (byte)(g << 2 | g >> 4), (byte)(b << 3 | b >> 2));
        }
        return new SKColor(p[2], p[1], p[0]);
    }
}
