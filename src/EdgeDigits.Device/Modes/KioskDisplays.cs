using EdgeDigits.Hardware;
using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Linux;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace EdgeDigits.Device.Modes;

/// <summary>Where the kiosk's 320x240 panel image goes: the ILI9341 over SPI, or a Linux framebuffer.</summary>
public interface IKioskDisplay
{
    /// <summary>The device, for logs and errors.</summary>
    string Name { get; }

    /// <summary>Width of the whole display in its own pixels (what touch axis ranges span).</summary>
    int Width { get; }

    /// <summary>Height of the whole display in its own pixels.</summary>
    int Height { get; }

    /// <summary>Sends the <paramref name="region"/> of the kiosk's <paramref name="panel"/> image (320x240) to the display.</summary>
    void Draw(SKBitmap panel, SKRectI region);

    /// <summary>Blanks the whole display (on stop).</summary>
    void Clear();

    /// <summary>Maps a display pixel to kiosk panel coordinates (may fall outside 320x240 in a letterbox margin).</summary>
    (double X, double Y) ToPanel(double x, double y);

    /// <summary>Maps kiosk panel coordinates to the display pixel showing them.</summary>
    (double X, double Y) FromPanel(double x, double y);
}

/// <summary>The kiosk on the ILI9341 driver: the panel image is the LCD, pixel for pixel.</summary>
public sealed class Ili9341KioskDisplay(Ili9341 lcd) : IKioskDisplay
{
    /// <summary>The kiosk on the board's ILI9341 (opened by <c>Displays:Ili9341</c>).</summary>
    public static IKioskDisplay Open(Board.DeviceBoard b) =>
        new Ili9341KioskDisplay(b.Part<Ili9341>() ?? throw new InvalidOperationException("kiosk on the ILI9341, but Displays:Ili9341 is off"));

    /// <inheritdoc />
    public string Name => "ILI9341";

    /// <inheritdoc />
    public int Width => KioskController.Width;

    /// <inheritdoc />
    public int Height => KioskController.Height;

    /// <inheritdoc />
    public void Draw(SKBitmap panel, SKRectI region) => lcd.DrawBitmap(panel, region, region.Left, region.Top);

    /// <inheritdoc />
    public void Clear() => lcd.Clear(new Rgb565(0));

    /// <inheritdoc />
    public (double X, double Y) ToPanel(double x, double y) => (x, y);

    /// <inheritdoc />
    public (double X, double Y) FromPanel(double x, double y) => (x, y);
}

/// <summary>
/// The kiosk on a Linux framebuffer (an fbtft SPI panel, HDMI, DSI): the 320x240 panel image is enlarged by the largest whole factor
/// that fits (pixels repeated, so ink and segments stay crisp) and centred; the margins stay black.
/// </summary>
public sealed class FramebufferKioskDisplay : IKioskDisplay
{
    private readonly FramebufferWriter _fb;

    /// <summary>
    /// Opens <c>Kiosk:Framebuffer</c>: its size and format from sysfs, or as configured; in simulation a file emulating
    /// fbtft's fb_ili9341 in landscape (the same panel the SPI driver would drive). On dispose it is cleared.
    /// </summary>
    public static IKioskDisplay Open(Board.DeviceBoard b)
    {
        var f = b.Options.Kiosk.Framebuffer;
        FramebufferFormat? format = f.Format.Length > 0 ? Enum.Parse<FramebufferFormat>(f.Format, ignoreCase: true) : null;
        int? stride = f.Stride > 0 ? f.Stride : null;
        FramebufferWriter fb;
        if (b.Emulate(_ => new Hardware.Simulation.Linux.FramebufferEmulator(f.Device, f.Width > 0 ? f.Width : KioskController.Width,
                f.Height > 0 ? f.Height : KioskController.Height, format ?? FramebufferFormat.Rgb565, stride)) is { } emulator)
            fb = b.Add(emulator.OpenWriter());
        else if (f.Width == 0) fb = b.Add(FramebufferWriter.OpenDevice(f.Device));
        else fb = b.Add(new FramebufferWriter(f.Device, f.Width, f.Height, format ?? FramebufferFormat.Rgb565, stride));
        var display = new FramebufferKioskDisplay(fb);
        b.Add(display, () => { lock (b.LcdLock) display.Clear(); });
        b.Log.LogInformation("kiosk display: framebuffer {Device} {Width}x{Height} {Format}", fb.Path, fb.Width, fb.Height, fb.Format);
        return display;
    }

    /// <summary>Wraps an open framebuffer; throws <see cref="HardwareUnavailableException"/> when it is smaller than the panel. Clears it.</summary>
    public FramebufferKioskDisplay(FramebufferWriter fb)
    {
        _fb = fb;
        if (fb.Width < KioskController.Width || fb.Height < KioskController.Height)
            throw new HardwareUnavailableException($"framebuffer {fb.Path}", $"{fb.Width}x{fb.Height} is smaller than the kiosk's {KioskController.Width}x{KioskController.Height}");
        Scale = Math.Min(fb.Width / KioskController.Width, fb.Height / KioskController.Height);
        OffsetX = (fb.Width - KioskController.Width * Scale) / 2;
        OffsetY = (fb.Height - KioskController.Height * Scale) / 2;
        Clear();
    }

    /// <inheritdoc />
    public string Name => $"framebuffer {_fb.Path}";

    /// <inheritdoc />
    public int Width => _fb.Width;

    /// <inheritdoc />
    public int Height => _fb.Height;

    /// <summary>Display pixels per panel pixel.</summary>
    public int Scale { get; }

    /// <summary>Left margin in display pixels.</summary>
    public int OffsetX { get; }

    /// <summary>Top margin in display pixels.</summary>
    public int OffsetY { get; }

    /// <inheritdoc />
    public void Draw(SKBitmap panel, SKRectI region)
    {
        if (Scale == 1)
        {
            _fb.Draw(panel, region, OffsetX + region.Left, OffsetY + region.Top);
            return;
        }
        if (panel.ColorType != SKColorType.Rgba8888) throw new ArgumentException($"{Name}: the panel image must be RGBA8888, not {panel.ColorType}", nameof(panel));
        using var big = new SKBitmap(new SKImageInfo(region.Width * Scale, region.Height * Scale, SKColorType.Rgba8888, SKAlphaType.Premul));
        var src = panel.GetPixelSpan();
        var dst = big.GetPixelSpan();
        for (var y = 0; y < big.Height; y++)
        {
            var srcRow = src.Slice((region.Top + y / Scale) * panel.RowBytes + region.Left * 4, region.Width * 4);
            var dstRow = dst.Slice(y * big.RowBytes, big.Width * 4);
            for (var x = 0; x < region.Width; x++)
                for (var k = 0; k < Scale; k++) srcRow.Slice(x * 4, 4).CopyTo(dstRow.Slice((x * Scale + k) * 4, 4));
        }
        _fb.Draw(big, OffsetX + region.Left * Scale, OffsetY + region.Top * Scale);
    }

    /// <inheritdoc />
    public void Clear()
    {
        // One black band drawn down the screen: a whole-screen bitmap would be 8 MB on a 1080p console.
        const int Band = 16;
        using var black = new SKBitmap(new SKImageInfo(_fb.Width, Band, SKColorType.Rgba8888, SKAlphaType.Premul));
        black.Erase(SKColors.Black);
        for (var y = 0; y < _fb.Height; y += Band)
            _fb.Draw(black, new SKRectI(0, 0, _fb.Width, Math.Min(Band, _fb.Height - y)), 0, y);
    }

    /// <inheritdoc />
    public (double X, double Y) ToPanel(double x, double y) => ((x - OffsetX - (Scale - 1) / 2.0) / Scale, (y - OffsetY - (Scale - 1) / 2.0) / Scale);

    /// <inheritdoc />
    public (double X, double Y) FromPanel(double x, double y) => (x * Scale + OffsetX + (Scale - 1) / 2.0, y * Scale + OffsetY + (Scale - 1) / 2.0);
}
