namespace EdgeDigits.Hardware.Linux;

/// <summary>How a framebuffer's memory is laid out: visible size, pixel format and bytes per row (fb_var_screeninfo / fb_fix_screeninfo.line_length).</summary>
public sealed record FramebufferLayout
{
    /// <summary>Checks and records the layout; <paramref name="stride"/> defaults to width·bytes per pixel. Errors name <paramref name="device"/>.</summary>
    public FramebufferLayout(int width, int height, FramebufferFormat format, int? stride = null, string device = "framebuffer")
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"{device}: framebuffer size {width}x{height} is empty");
        Width = width;
        Height = height;
        Format = format;
        BytesPerPixel = format == FramebufferFormat.Rgb565 ? 2 : 4;
        Stride = stride ?? width * BytesPerPixel;
        if (Stride < width * BytesPerPixel) throw new ArgumentOutOfRangeException(nameof(stride), $"{device}: stride {Stride} is shorter than a row ({width * BytesPerPixel} bytes)");
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Pixel layout.</summary>
    public FramebufferFormat Format { get; }

    /// <summary>Bytes per pixel.</summary>
    public int BytesPerPixel { get; }

    /// <summary>Bytes per row (line_length).</summary>
    public int Stride { get; }

    /// <summary>Bytes of the whole buffer.</summary>
    public long Size => (long)Stride * Height;
}
