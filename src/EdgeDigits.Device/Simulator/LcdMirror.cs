using EdgeDigits.Device.Display;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Web;
using EdgeDigits.Hardware.Simulation.Ili934x;
using EdgeDigits.Hardware.Simulation.Linux;
using SkiaSharp;

namespace EdgeDigits.Device.Simulator;

/// <summary>
/// The page's LCD mirror: in the simulator what the emulated panel (ILI9341 or framebuffer) holds, read back after the real
/// driver wrote it; on a board the kiosk's (or the meter display's) own copy of its screen.
/// </summary>
public sealed class LcdMirror(ModeRunner runner) : ILcdMirror
{
    /// <inheritdoc />
    public byte[] SnapshotPng()
    {
        var board = runner.Board;
        if (board?.Part<FramebufferEmulator>() is { } fb)
        {
            lock (board.LcdLock)
            {
                using var bmp = fb.Render();
                return Png(bmp);
            }
        }
        if (board?.Part<Ili9341Emulator>() is { } emu)
        {
            lock (board.LcdLock)
            {
                using var bmp = emu.RenderScreen();
                return Png(bmp);
            }
        }
        return Kiosk?.ScreenPng() ?? MeterLcd?.ScreenPng() ?? throw new InvalidOperationException("no LCD content yet");
    }

    /// <inheritdoc />
    public long Version => Kiosk?.Version ?? MeterLcd?.Version ?? 0;

    private KioskController? Kiosk => runner.Mode<KioskMode>()?.Controller;

    /// <summary>Meter mode's reading on the LCD (<c>Meter:Display: Ili9341</c>; never beside the kiosk's).</summary>
    private Ili9341MeterDisplay? MeterLcd => runner.Board?.Part<Ili9341MeterDisplay>();

    private static byte[] Png(SKBitmap bmp)
    {
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
