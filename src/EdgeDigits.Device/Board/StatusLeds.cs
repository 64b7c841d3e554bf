using EdgeDigits.Hardware.Gpio;

namespace EdgeDigits.Device.Board;

/// <summary>The three status LEDs: busy while working, ok after a good result, error after a bad one.</summary>
public sealed class StatusLeds(Led? ok, Led? busy, Led? error) : IDisposable
{
    /// <summary>Shows "working".</summary>
    public void Busy() { busy?.On(); ok?.Off(); error?.Off(); }

    /// <summary>Shows "last result good".</summary>
    public void Ok() { busy?.Off(); ok?.On(); error?.Off(); }

    /// <summary>Shows "last result bad or uncertain".</summary>
    public void Error() { busy?.Off(); ok?.Off(); error?.On(); }

    /// <summary>All LEDs off.</summary>
    public void Off() { busy?.Off(); ok?.Off(); error?.Off(); }

    /// <summary>Switches off and releases the LEDs.</summary>
    public void Dispose()
    {
        Off();
        ok?.Dispose(); busy?.Dispose(); error?.Dispose();
    }
}
