using EdgeDigits.Device.Board;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Hardware.Simulation.Ssd13xx;
using EdgeDigits.Hardware.Ssd13xx;
using SkiaSharp;

namespace EdgeDigits.Device.Display;

/// <summary>The SSD1306 OLED (I2C) as a status display: the number as 7-segment digits (<see cref="ShownDigits"/>: a meter's tenth after a point under <c>Meter:PublishTenth</c>), uncertain ones underlined.</summary>
public sealed class Ssd1306StatusDisplay : IStatusDisplay
{
    private readonly Ssd1306 _oled;

    private Ssd1306StatusDisplay(Ssd1306 oled) => _oled = oled;

    /// <summary>Opens the OLED at <c>Pins:I2cBus</c> / <c>Pins:OledAddress</c> (or its emulator), blank; on dispose it is blanked and powered off.</summary>
    public static Ssd1306StatusDisplay Open(DeviceBoard b)
    {
        var p = b.Options.Pins;
        var i2c = b.I2c("SSD1306 OLED", p.I2cBus, p.OledAddress, () => new Ssd1306Emulator(p.I2cBus, p.OledAddress));
        var oled = b.Add(new Ssd1306(i2c, shouldDispose: false));
        oled.Initialize();
        oled.Update(new byte[oled.FrameBytes], force: true);
        return b.Add(new Ssd1306StatusDisplay(oled), () => { oled.Update(new byte[oled.FrameBytes], force: true); oled.SetPower(false); });
    }

    /// <inheritdoc />
    public void Show(DeviceReading r)
    {
        using var bmp = new SKBitmap(new SKImageInfo(_oled.Width, _oled.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bmp))
        {
            canvas.Clear(SKColors.Black);
            SevenSegmentRenderer.Draw(canvas, ShownDigits.Of(r), new SKRect(0, 0, _oled.Width, _oled.Height - 6), SKColors.White, SKColors.White);
        }
        _oled.DrawBitmap(bmp);
    }
}
