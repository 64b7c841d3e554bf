using System.Device.Gpio;

namespace EdgeDigits.Hardware.Tm16xx;

/// <summary>TM1637 LED driver for 4- or 6-digit 7-segment modules, bit-banged on two GPIO pins (CLK, DIO) with the chip's two-wire protocol: start, LSB-first bytes with an ACK after each, stop.</summary>
public sealed class Tm1637 : IDisposable
{
    private readonly object _gate = new();
    private readonly GpioController _gpio;
    private readonly bool _shouldDispose;
    private readonly TimeProvider _time;
    private readonly int[] _gridOfPosition;
    private byte[] _segments;

    /// <summary>Opens CLK and DIO (idle high).</summary>
    /// <param name="clockPin">CLK pin.</param>
    /// <param name="dataPin">DIO pin.</param>
    /// <param name="digits">4 or 6.</param>
    /// <param name="gridOfPosition">Grid address of each digit from the left; null for the common modules (4: 0,1,2,3; 6: 2,1,0,5,4,3).</param>
    /// <param name="bitDelay">Half clock period; default 5 us (100 kHz, well under the chip's 250 kHz and slow enough for long wires).</param>
    /// <param name="gpio">Controller; null opens the board's.</param>
    /// <param name="shouldDispose">Whether to dispose <paramref name="gpio"/>.</param>
    /// <param name="time">Clock for the bit timing; null for the system clock.</param>
    public Tm1637(int clockPin, int dataPin, int digits = 4, int[]? gridOfPosition = null, TimeSpan? bitDelay = null, GpioController? gpio = null, bool shouldDispose = true, TimeProvider? time = null)
    {
        if (clockPin < 0 || dataPin < 0) throw new ArgumentOutOfRangeException(nameof(clockPin), "TM1637: CLK and DIO pins are both required");
        if (digits is not (4 or 6)) throw new ArgumentOutOfRangeException(nameof(digits), $"TM1637: {digits} digits; modules have 4 or 6");
        ClockPin = clockPin;
        DataPin = dataPin;
        Digits = digits;
        _gridOfPosition = gridOfPosition ?? (digits == 4 ? [0, 1, 2, 3] : [2, 1, 0, 5, 4, 3]);
        if (_gridOfPosition.Length != digits || _gridOfPosition.Any(g => g is < 0 or > 5)) throw new ArgumentException($"TM1637: grid order needs {digits} addresses in 0..5", nameof(gridOfPosition));
        BitDelay = bitDelay ?? TimeSpan.FromMicroseconds(5);
        _time = time ?? TimeProvider.System;
        _segments = new byte[digits];
        Device = $"TM1637 on CLK GPIO{clockPin}/DIO GPIO{dataPin}";
        _shouldDispose = gpio is null || shouldDispose;
        _gpio = gpio ?? Buses.OpenGpio(Device);
        GpioPins.Open(_gpio, clockPin, PinMode.Output, Device, "CLK", PinValue.High);
        GpioPins.Open(_gpio, dataPin, PinMode.Output, Device, "DIO", PinValue.High);
    }

    /// <summary>Name used in errors.</summary>
    public string Device { get; }

    /// <summary>CLK pin.</summary>
    public int ClockPin { get; }

    /// <summary>DIO pin.</summary>
    public int DataPin { get; }

    /// <summary>Number of digits.</summary>
    public int Digits { get; }

    /// <summary>Half clock period.</summary>
    public TimeSpan BitDelay { get; }

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
        lock (_gate)
        {
            _segments = segments.ToArray();
            Flush();
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
            Transaction(DisplayControlByte);
        }
    }

    /// <summary>Switches the display on or off (registers kept).</summary>
    public void SetPower(bool on)
    {
        lock (_gate)
        {
            IsOn = on;
            Transaction(DisplayControlByte);
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
        GpioPins.Close(_gpio, ClockPin);
        GpioPins.Close(_gpio, DataPin);
        if (_shouldDispose) _gpio.Dispose();
    }

    private byte DisplayControlByte => (byte)(Tm1637Command.DisplayControl | (IsOn ? Tm1637Command.DisplayOnBit : 0) | Brightness);

    private void Flush()
    {
        // Grids in address order with auto increment: one address command, then grid 0..n-1.
        var grids = new byte[_gridOfPosition.Max() + 1];
        for (var i = 0; i < Digits; i++) grids[_gridOfPosition[i]] = _segments[i];
        Transaction(Tm1637Command.DataWriteAutoIncrement);
        var frame = new byte[grids.Length + 1];
        frame[0] = Tm1637Command.Address;
        grids.CopyTo(frame, 1);
        Transaction(frame);
        Transaction(DisplayControlByte);
    }

    private void Transaction(params byte[] bytes)
    {
        // A missing ACK is retried once (a glitch on long wires); twice means no chip answers.
        for (var attempt = 1; ; attempt++)
        {
            Start();
            var acked = true;
            foreach (var b in bytes)
            {
                if (!WriteByte(b))
                {
                    acked = false;
                    break;
                }
            }
            Stop();
            if (acked) return;
            if (attempt == 2) throw new HardwareFaultException(Device, $"no ACK for command 0x{bytes[0]:X2} (module not connected or not powered?)");
        }
    }

    private void Start()
    {
        // Start condition: DIO falls while CLK is high.
        _gpio.Write(DataPin, PinValue.High);
        _gpio.Write(ClockPin, PinValue.High);
        Delay();
        _gpio.Write(DataPin, PinValue.Low);
        Delay();
    }

    private void Stop()
    {
        // Stop condition: DIO rises while CLK is high.
        _gpio.Write(ClockPin, PinValue.Low);
        Delay();
        _gpio.Write(DataPin, PinValue.Low);
        Delay();
        _gpio.Write(ClockPin, PinValue.High);
        Delay();
        _gpio.Write(DataPin, PinValue.High);
        Delay();
    }

    private bool WriteByte(byte value)
    {
        for (var bit = 0; bit < 8; bit++)
        {
            // LSB first; DIO changes only while CLK is low, the chip samples on the rising edge.
            _gpio.Write(ClockPin, PinValue.Low);
            Delay();
            _gpio.Write(DataPin, ((value >> bit) & 1) != 0 ? PinValue.High : PinValue.Low);
            Delay();
            _gpio.Write(ClockPin, PinValue.High);
            Delay();
        }
        // ACK: after the 8th falling edge the chip pulls DIO low until the 9th falling edge. The Pi's
        // push-pull output must let go of DIO first, so it becomes an input with pull-up.
        _gpio.Write(ClockPin, PinValue.Low);
        _gpio.SetPinMode(DataPin, PinMode.InputPullUp);
        Delay();
        _gpio.Write(ClockPin, PinValue.High);
        Delay();
        var ack = _gpio.Read(DataPin) == PinValue.Low;
        _gpio.Write(ClockPin, PinValue.Low);
        Delay();
        _gpio.SetPinMode(DataPin, PinMode.Output);
        _gpio.Write(DataPin, PinValue.Low);
        return ack;
    }

    private void Delay() => HardwareClock.Wait(_time, BitDelay);
}
