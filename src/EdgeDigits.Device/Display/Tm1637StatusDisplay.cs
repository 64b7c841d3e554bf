using EdgeDigits.Device.Board;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Hardware.Simulation.Tm16xx;
using EdgeDigits.Hardware.Tm16xx;

namespace EdgeDigits.Device.Display;

/// <summary>The TM1637 4-digit 7-segment module (CLK/DIO on GPIO) as a status display: the last four characters, '-' for an uncertain digit.</summary>
public sealed class Tm1637StatusDisplay : IStatusDisplay
{
    private readonly Tm1637 _segments;

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
        var text = string.Concat(r.Digits.Select(d => d.Digit == "?" ? "-" : d.Digit));
        _segments.Display(text.Length > _segments.Digits ? text[^_segments.Digits..] : text.PadLeft(_segments.Digits));
    }
}
