using EdgeDigits.Device.Board;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Hardware.Simulation.Ssd13xx;
using EdgeDigits.Hardware.Ssd13xx;
using SkiaSharp;

namespace EdgeDigits.Device.Display;

/// <summary>
/// The SSD1306 OLED (I2C) as a status display: the number as 7-segment digits (<see cref="ShownDigits"/>: a meter's tenth after a point
/// under <c>Meter:PublishTenth</c>), uncertain ones underlined. A rejected or refused meter reading keeps the last published value
/// (<see cref="LastGoodMeterValue"/>; blank before the first), drawn a line smaller above a status mark (<see cref="Mark"/>: <c>! REFUSED</c>,
/// <c>! REJECTED</c>) so a person sees the value is stale.
/// </summary>
public sealed class Ssd1306StatusDisplay : IStatusDisplay
{
    /// <summary>Rows under the digits kept for the underline of an uncertain digit.</summary>
    public const int UnderlineRows = 6;

    /// <summary>Rows of the status mark's line at the bottom: one line of the 5x8 font (<see cref="Ili9341MeterDisplay.LineHeight"/>).</summary>
    public static int MarkRows => Ili9341MeterDisplay.LineHeight;

    private readonly Ssd1306 _oled;
    private readonly LastGoodMeterValue _value = new();

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

    /// <summary>The area of the digits on a <paramref name="width"/> x <paramref name="height"/> panel: all but the underline's rows, and the mark's line when the value is <paramref name="stale"/>.</summary>
    public static SKRect ValueArea(int width, int height, bool stale) => new(0, 0, width, height - UnderlineRows - (stale ? MarkRows : 0));

    /// <summary>The status mark under a stale value: "!" and the reading's verdict in capitals (<c>! REFUSED</c>, <c>! REJECTED</c>).</summary>
    public static string Mark(DeviceReading r) => $"! {LastGoodMeterValue.Verdict(r).ToUpperInvariant()}";

    /// <summary>The left edge of <paramref name="mark"/> centred on a <paramref name="width"/>-pixel line (its top is <c>height - </c><see cref="MarkRows"/>).</summary>
    public static int MarkLeft(int width, string mark) => (width - (mark.Length * Ili9341MeterDisplay.CharAdvance - 1)) / 2;

    /// <inheritdoc />
    public void Show(DeviceReading r)
    {
        var stale = LastGoodMeterValue.IsStale(r);
        var digits = _value.DigitsFor(r);
        using var bmp = new SKBitmap(new SKImageInfo(_oled.Width, _oled.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bmp))
        {
            canvas.Clear(SKColors.Black);
            SevenSegmentRenderer.Draw(canvas, digits, ValueArea(_oled.Width, _oled.Height, stale), SKColors.White, SKColors.White);
            if (stale)
            {
                var mark = Mark(r);
                Ili9341MeterDisplay.DrawText(canvas, mark, MarkLeft(_oled.Width, mark), _oled.Height - MarkRows, 1, SKColors.White);
            }
        }
        _oled.DrawBitmap(bmp);
    }
}
