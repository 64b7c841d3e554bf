using EdgeDigits.Device.Board;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Hardware.Simulation.Tm16xx;
using EdgeDigits.Hardware.Tm16xx;

namespace EdgeDigits.Device.Display;

/// <summary>
/// The TM1637 4-digit 7-segment module (CLK/DIO on GPIO) as a status display: the last four digits (<see cref="ShownDigits"/>: a meter's
/// tenth after the decimal point under <c>Meter:PublishTenth</c>), '-' for an uncertain digit. A rejected or refused meter reading keeps
/// the last published value (<see cref="LastGoodMeterValue"/>; blank before the first).
/// </summary>
public sealed class Tm1637StatusDisplay : IStatusDisplay
{
    private readonly Tm1637 _segments;
    private readonly LastGoodMeterValue _value = new();

    private Tm1637StatusDisplay(Tm1637 segments) => _segments = segments;

    /// <summary>Opens the module on <c>Pins:Tm1637Clk</c> / <c>Pins:Tm1637Dio</c> (with its emulator on the emulated pins), cleared; on dispose it is cleared.</summary>
    public static Tm1637StatusDisplay Open(DeviceBoard b)
    {
        var p = b.Options.Pins;
        b.Emulate(gpio => new Tm1637Emulator(gpio, p.Tm1637Clk, p.Tm1637Dio));
        var segments = b.Add(new Tm1637(p.Tm1637Clk, p.Tm1637Dio, gpio: b.Gpio, shouldDispose: false));
        segments.Clear();
        return b.Add(new Tm1637StatusDisplay(segments), segments.Clear);
    }

    /// <inheritdoc />
    public void Show(DeviceReading r)
    {
        var shown = _value.DigitsFor(r);
        var text = string.Concat(shown.Select(d => (d.Uncertain ? "-" : d.Digit.ToString()) + (d.PointAfter ? "." : "")));
        // Right-aligned on as many cells as the text needs, then its last ones: "00371458.6" on four digits is 458.6, the point
        // on the third digit's bit 7 (on clock modules only grid 1's bit 7 is wired, as the colon: there the point stays dark).
        var segments = SevenSegment.EncodeText(text, Math.Max(shown.Count, _segments.Digits));
        _segments.DisplaySegments(segments.AsSpan(segments.Length - _segments.Digits));
    }
}
