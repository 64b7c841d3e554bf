using System.Drawing;
using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Simulation.Ili934x;
using EdgeDigits.Hardware.Tests.TestInfrastructure;

namespace EdgeDigits.Hardware.Tests.Ili934x;

/// <summary>Why our <see cref="Ili9341"/> stays ours: the Iot.Device.Bindings 4.2.0 ILI9341 run against the same emulated panel. If a later binding passes, these fail and the decision in Ili934x/README.md is due again.</summary>
public class Ili9341BindingTests
{
    [Fact]
    public void BindingConstructor_OnEmulatedPanel_BreaksResetTimingsAndWritesOutsideThePanel()
    {
        // The binding resets and draws in its constructor, waiting on the wall clock: stamp real time.
        using var board = new Board(wallClock: true);
        var panel = new Ili9341Emulator(board.Chip, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, PinMap.Ili9341Backlight);

        using var binding = new Iot.Device.Ili934x.Ili9341(panel, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, PinMap.Ili9341Backlight, 4096, board.Gpio, shouldDispose: false);

        // Display Off straight after SWRESET (datasheet: 5 ms), Sleep Out ~10 ms after it (120 ms).
        Assert.Contains(panel.Violations, v => v.Contains("command 0x28 ") && v.Contains("after reset (datasheet: wait 5 ms)"));
        Assert.Contains(panel.Violations, v => v.Contains("Sleep Out") && v.Contains("after reset (datasheet: wait 120 ms)"));
        // Its full-frame write sets CASET 0..240 / PASET 0..320: one column and one row too many.
        Assert.Contains(panel.Violations, v => v.Contains("column window 0..240 is outside the panel"));
        // Portrait only (MADCTL 0x48): the kiosk runs the panel in landscape.
        Assert.Equal(MemoryAccess.MX | MemoryAccess.Bgr, panel.MemoryAccess);
    }

    [Fact]
    public void BindingSendBitmapPixelData_Window_IsTheSameBytesAsOurs()
    {
        // Its raw window write is right (CASET/PASET/RAMWR + pixels), but is only reachable after the
        // constructor above has run.
        using var board = new Board(wallClock: true);
        var panel = new Ili9341Emulator(board.Chip, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, PinMap.Ili9341Backlight);
        using var binding = new Iot.Device.Ili934x.Ili9341(panel, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, PinMap.Ili9341Backlight, 4096, board.Gpio, shouldDispose: false);
        var pixels = new byte[20 * 10 * 2];
        for (var i = 0; i < pixels.Length; i += 2) (pixels[i], pixels[i + 1]) = (0xF8, 0x00); // red, big-endian
        var before = panel.BytesWritten;

        binding.SendBitmapPixelData(pixels, new Rectangle(5, 6, 20, 10));

        Assert.Equal(Ili9341.WindowOverheadBytes + pixels.Length, panel.BytesWritten - before);
        Assert.Equal(new Rgb565(0xF800), panel.GetPixel(5, 6));
        Assert.Equal(new Rgb565(0xF800), panel.GetPixel(24, 15));
        Assert.NotEqual(new Rgb565(0xF800), panel.GetPixel(25, 15));
    }
}
