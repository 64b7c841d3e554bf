using SkiaSharp;

namespace EdgeDigits.Hardware.Ili934x;

/// <summary>A 16-bit colour as the ILI9341 takes it in 16 bit/pixel mode: 5 bits red, 6 green, 5 blue, sent high byte first.</summary>
public readonly record struct Rgb565(ushort Value)
{
    /// <summary>Black.</summary>
    public static Rgb565 Black => new(0);

    /// <summary>White.</summary>
    public static Rgb565 White => new(0xFFFF);

    /// <summary>Packs 8-bit channels (truncating the low bits).</summary>
    public static Rgb565 FromRgb(byte r, byte g, byte b) => new((ushort)(((r & 0xF8) << 8) | ((g & 0xFC) << 3) | (b >> 3)));

    /// <summary>Packs a Skia colour (alpha ignored).</summary>
    public static Rgb565 FromColor(SKColor c) => FromRgb(c.Red, c.Green, c.Blue);

    /// <summary>Red expanded to 8 bits (top bits replicated into the low ones, so 31 maps to 255).</summary>
    public byte R => (byte)(((Value >> 11) & 0x1F) << 3 | ((Value >> 13) & 0x07));

    /// <summary>Green expanded to 8 bits.</summary>
    public byte G => (byte)(((Value >> 5) & 0x3F) << 2 | ((Value >> 9) & 0x03));

    /// <summary>Blue expanded to 8 bits.</summary>
    public byte B => (byte)((Value & 0x1F) << 3 | ((Value >> 2) & 0x07));

    /// <summary>The colour as an opaque Skia colour.</summary>
    public SKColor ToColor() => new(R, G, B);

    /// <summary>Converts RGBA8888 pixels to big-endian RGB565 bytes (2 per pixel).</summary>
    public static void FromRgba8888(ReadOnlySpan<byte> rgba, Span<byte> destination) => Convert(rgba, destination, 0, 2);

    /// <summary>Converts BGRA8888 pixels (Skia's native order on little-endian machines) to big-endian RGB565 bytes.</summary>
    public static void FromBgra8888(ReadOnlySpan<byte> bgra, Span<byte> destination) => Convert(bgra, destination, 2, 0);

    private static void Convert(ReadOnlySpan<byte> src, Span<byte> destination, int red, int blue)
    {
        var pixels = src.Length / 4;
        if (destination.Length < pixels * 2) throw new ArgumentException($"destination holds {destination.Length} bytes, {pixels * 2} needed", nameof(destination));
        destination = destination[..(pixels * 2)];
        for (int i = 0, o = 0; o < destination.Length; i += 4, o += 2)
        {
            var v = ((src[i + red] & 0xF8) << 8) | ((src[i + 1] & 0xFC) << 3) | (src[i + blue] >> 3);
            destination[o] = (byte)(v >> 8);
            destination[o + 1] = (byte)v;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"#{R:X2}{G:X2}{B:X2} (0x{Value:X4})";
}
