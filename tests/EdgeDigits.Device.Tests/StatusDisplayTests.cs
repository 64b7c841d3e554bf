using EdgeDigits.Hardware.Simulation.Tm16xx;
using EdgeDigits.Hardware.Simulation.Ssd13xx;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Display;
using EdgeDigits.Device.Recognition;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace EdgeDigits.Device.Tests;

public class StatusDisplayTests
{
    [Fact]
    public void ShowOnStatusDisplays_Reading_Tm1637AndOledShowTheNumber()
    {
        var o = new DeviceOptions { Hardware = "Simulated", Displays = new DisplayOptions { Ssd1306 = true, Tm1637 = true } };
        var board = DeviceBoard.Open(o, NullLogger.Instance);
        var r = new DeviceReading { Text = "3?1", Digits = [new("3", 0.9f, [0, 0, 1, 1]), new("?", 0.2f, [0, 0, 1, 1]) { Best = "8" }, new("1", 0.9f, [0, 0, 1, 1])] };
        board.ShowOnStatusDisplays(r);
        Assert.Equal(" 3-1", board.Part<Tm1637Emulator>()!.Text);
        var oled = board.Part<Ssd1306Emulator>()!;
        for (var i = 0; i < 3; i++)
        {
            var cell = SevenSegmentRenderer.Cell(i, 3, new SKRect(0, 0, 128, 58));
            var rects = SevenSegmentRenderer.SegmentRects(cell);
            var bits = SevenSegmentRenderer.SegmentsFor("381"[i]);
            for (var s = 0; s < 7; s++)
                Assert.Equal((bits & (1 << s)) != 0, oled.IsLit((int)rects[s].MidX, (int)rects[s].MidY));
        }
        Assert.Empty(board.Part<Tm1637Emulator>()!.Violations);
        Assert.Empty(oled.Violations);
        var emu = board.Part<Tm1637Emulator>()!;
        board.Dispose();
        Assert.True(string.IsNullOrWhiteSpace(emu.Text), $"TM1637 still shows '{emu.Text}'");
        Assert.False(oled.DisplayOn);
    }
}
