using System.Device.Gpio;
using IotTm1637 = Iot.Device.Tm16xx.Tm1637;

namespace EdgeDigits.Hardware.Tm16xx;

/// <summary>TM1637 LED driver for 4- or 6-digit 7-segment modules: an adapter over the ecosystem's binding (<see cref="IotTm1637"/> from Iot.Device.Bindings), which bit-bangs the chip's two-wire protocol (start, LSB-first bytes with an ACK after each, stop). This class adds text encoding, the module's grid order, a retry and errors that name the pins.</summary>
/// <remarks>The binding clocks at a fixed half period of <see cref="BindingHalfPeriod"/> and waits on the wall clock, so neither a slower clock nor a virtual one can be given (see <c>Tm16xx/README.md</c>).</remarks>
public sealed class Tm1637 : IDisposable
{
    /// <summary>The binding's half clock period (its <c>ClockWidthMicroseconds</c>); GPIO write latency comes on top.</summary>
    public static readonly TimeSpan BindingHalfPeriod = TimeSpan.FromMicroseconds(1);

    // The chip has six grid registers (C0H..C5H); the binding always writes all six.
    private const int Grids = 6;

    private readonly object _gate = new();
    private readonly GpioController _gpio;
    private readonly bool _shouldDispose;
    private readonly int[] _gridOfPosition;
    private readonly IotTm1637 _chip;
    private bool _stateSent;

    /// <summary>Opens CLK and DIO (idle high) through the binding.</summary>
    /// <param name="clockPin">CLK pin.</param>
    /// <param name="dataPin">DIO pin.</param>
    /// <param name="digits">4 or 6.</param>
    /// <param name="gridOfPosition">Grid address of each digit from the left; null for the common modules (4: 0,1,2,3; 6: 2,1,0,5,4,3).</param>
    /// <param name="bitDelay">Half clock period: only the binding's fixed <see cref="BindingHalfPeriod"/> (or null) is accepted.</param>
    /// <param name="gpio">Controller; null opens the board's.</param>
    /// <param name="shouldDispose">Whether to dispose <paramref name="gpio"/>.</param>
    /// <param name="time">Clock: null or a real one; a virtual clock (<see cref="IVirtualClock"/>) is refused because the binding waits on the wall clock.</param>
    public Tm1637(int clockPin, int dataPin, int digits = 4, int[]? gridOfPosition = null, TimeSpan? bitDelay = null, GpioController? gpio = null, bool shouldDispose = true, TimeProvider? time = null)
    {
        if (clockPin < 0 || dataPin < 0) throw new ArgumentOutOfRangeException(nameof(clockPin), "TM1637: CLK and DIO pins are both required");
        if (digits is not (4 or 6)) throw new ArgumentOutOfRangeException(nameof(digits), $"TM1637: {digits} digits; modules have 4 or 6");
        if (bitDelay is { } d && d != BindingHalfPeriod)
            throw new ArgumentOutOfRangeException(nameof(bitDelay), $"TM1637: the Iot.Device.Bindings driver clocks at a fixed {BindingHalfPeriod.TotalMicroseconds:0} us half period; {d.TotalMicroseconds:0.###} us cannot be set");
        if (time is IVirtualClock)
            throw new ArgumentException("TM1637: the Iot.Device.Bindings driver waits on the wall clock; a virtual clock would never advance", nameof(time));
        ClockPin = clockPin;
        DataPin = dataPin;
        Digits = digits;
        _gridOfPosition = gridOfPosition ?? (digits == 4 ? [0, 1, 2, 3] : [2, 1, 0, 5, 4, 3]);
        if (_gridOfPosition.Length != digits || _gridOfPosition.Any(g => g is < 0 or >= Grids)) throw new ArgumentException($"TM1637: grid order needs {digits} addresses in 0..5", nameof(gridOfPosition));
        Device = $"TM1637 on CLK GPIO{clockPin}/DIO GPIO{dataPin}";
        _shouldDispose = gpio is null || shouldDispose;
        _gpio = gpio ?? Buses.OpenGpio(Device);
        // Open the pins here first so that a missing or busy pin is reported with its role; the binding
        // opens them again itself, so they are handed over closed.
        GpioPins.Open(_gpio, clockPin, PinMode.Output, Device, "CLK", PinValue.High);
        GpioPins.Open(_gpio, dataPin, PinMode.Output, Device, "DIO", PinValue.High);
        GpioPins.Close(_gpio, clockPin);
        GpioPins.Close(_gpio, dataPin);
        _chip = new IotTm1637(clockPin, dataPin, _gpio, shouldDispose: false) { ThrowWhenIoError = true };
    }

    /// <summary>Name used in errors.</summary>
    public string Device { get; }

    /// <summary>CLK pin.</summary>
    public int ClockPin { get; }

    /// <summary>DIO pin.</summary>
    public int DataPin { get; }

    /// <summary>Number of digits.</summary>
    public int Digits { get; }

    /// <summary>Half clock period: the binding's fixed <see cref="BindingHalfPeriod"/>.</summary>
    public TimeSpan BitDelay => BindingHalfPeriod;

    /// <summary>Brightness 0..7 (pulse width 1/16 .. 14/16).</summary>
    public int Brightness { get; private set; } = 7;

    /// <summary>Whether the display is switched on.</summary>
    public bool IsOn { get; private set; } = true;

    /// <summary>Shows text: digits, a few letters, '-', ' ', '.' (point of the previous digit) and ':' (the colon, e.g. "12:34"); right-aligned.</summary>
    public void Display(string text) => DisplaySegments(SevenSegment.EncodeText(text, Digits));

    /// <summary>Shows raw segment bytes, one per digit from the left.</summary>
    public void DisplaySegments(ReadOnlySpan<byte> segments)
    {
        if (segments.Length != Digits) throw new ArgumentException($"{Device}: {Digits} digits, got {segments.Length} segment bytes", nameof(segments));
        // Grids in address order: the binding writes 0x40, C0H + six grid bytes, then display control.
        var grids = new byte[Grids];
        for (var i = 0; i < Digits; i++) grids[_gridOfPosition[i]] = segments[i];
        lock (_gate)
        {
            Run(() =>
            {
                SendStateOnce();
                _chip.Display(grids);
            });
        }
    }

    /// <summary>Blanks all digits.</summary>
    public void Clear() => DisplaySegments(new byte[Digits]);

    /// <summary>Sets brightness 0..7.</summary>
    public void SetBrightness(int level)
    {
        if (level is < 0 or > 7) throw new ArgumentOutOfRangeException(nameof(level), $"{Device}: brightness {level} is not 0..7");
        lock (_gate)
        {
            Brightness = level;
            Run(SendState);
        }
    }

    /// <summary>Switches the display on or off (registers kept).</summary>
    public void SetPower(bool on)
    {
        lock (_gate)
        {
            IsOn = on;
            Run(SendState);
        }
    }

    /// <summary>Blanks the display (best effort) and releases the pins.</summary>
    public void Dispose()
    {
        try
        {
            SetPower(false);
        }
        catch (Exception ex) when (ex is HardwareFaultException or InvalidOperationException or ObjectDisposedException)
        {
        }
        _chip.Dispose();
        GpioPins.Close(_gpio, ClockPin);
        GpioPins.Close(_gpio, DataPin);
        if (_shouldDispose) _gpio.Dispose();
    }

    private void SendStateOnce()
    {
        // The binding builds its display-control byte only in SetScreen: a Display before the first
        // SetScreen ends with 0x00, which the chip does not know, and the display stays dark.
        if (!_stateSent) SendState();
    }

    private void SendState()
    {
        // Fixed-address rewrite of the last grid written, then 0x80 | on | brightness.
        _chip.SetScreen((byte)Brightness, IsOn);
        _stateSent = true;
    }

    private void Run(Action transaction)
    {
        // A missing ACK is retried once (a glitch on long wires); twice means no chip answers. The
        // binding throws at the missing ACK with DIO still an input and no stop sent: put both lines
        // back to idle high (a stop condition) before the retry.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                transaction();
                return;
            }
            catch (IOException ex)
            {
                _gpio.SetPinMode(DataPin, PinMode.Output);
                _gpio.Write(DataPin, PinValue.Low);
                _gpio.Write(ClockPin, PinValue.High);
                _gpio.Write(DataPin, PinValue.High);
                if (attempt == 2) throw new HardwareFaultException(Device, $"no ACK from the module (not connected or not powered?): {ex.Message}", ex);
            }
        }
    }
}
