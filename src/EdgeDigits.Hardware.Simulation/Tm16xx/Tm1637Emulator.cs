using System.Device.Gpio;
using System.Text;
using EdgeDigits.Hardware.Simulation.Gpio;
using EdgeDigits.Hardware.Tm16xx;

namespace EdgeDigits.Hardware.Simulation.Tm16xx;

/// <summary>A TM1637 module on two emulated GPIO lines: decodes start, LSB-first bytes, ACK and stop from the pin transitions (acknowledging by pulling DIO low like the chip), executes data/address/display-control commands, and checks the datasheet's pulse widths and setup time by timestamp.</summary>
public sealed class Tm1637Emulator
{
    private static readonly TimeSpan MinPulse = TimeSpan.FromTicks(4); // 400 ns
    private static readonly TimeSpan MinSetup = TimeSpan.FromTicks(1); // 100 ns

    private readonly EmulatedGpioDriver _gpio;
    private readonly int _clk;
    private readonly int _dio;
    private readonly int[] _gridOfPosition;
    private readonly byte[] _grids = new byte[6];
    private readonly List<byte> _frame = new();
    private readonly List<string> _violations = new();
    private bool _inFrame;
    private int _bit;
    private int _value;
    private bool _acking;
    private bool _autoIncrement = true;
    private TimeSpan _lastClkEdge;
    private TimeSpan _lastDioChange;
    private PinValue _clkLevel = PinValue.High;

    /// <summary>Attaches a module with <paramref name="digits"/> digits to CLK and DIO; the module's pull-ups hold both lines high.</summary>
    public Tm1637Emulator(EmulatedGpioDriver gpio, int clockPin, int dataPin, int digits = 4, int[]? gridOfPosition = null)
    {
        _gpio = gpio;
        _clk = clockPin;
        _dio = dataPin;
        Digits = digits;
        _gridOfPosition = gridOfPosition ?? (digits == 4 ? [0, 1, 2, 3] : [2, 1, 0, 5, 4, 3]);
        gpio.Drive(clockPin, PinValue.High);
        gpio.Drive(dataPin, PinValue.High);
        gpio.LevelChanged += OnLevel;
    }

    /// <summary>Digits on the module.</summary>
    public int Digits { get; }

    /// <summary>Display on.</summary>
    public bool DisplayOn { get; private set; }

    /// <summary>Brightness 0..7 from the last display control command.</summary>
    public int Brightness { get; private set; }

    /// <summary>Complete start…stop frames decoded.</summary>
    public int Frames { get; private set; }

    /// <summary>Bytes acknowledged.</summary>
    public int BytesAcknowledged { get; private set; }

    /// <summary>Shortest CLK high or low time seen.</summary>
    public TimeSpan ShortestClockPulse { get; private set; } = TimeSpan.MaxValue;

    /// <summary>Protocol and timing problems, one line each.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Segment bytes per digit from the left.</summary>
    public byte[] Segments => _gridOfPosition.Select(g => _grids[g]).ToArray();

    /// <summary>What the digits show, e.g. "12:34" (a lit point shows as '.', the colon of grid 1 on 4-digit modules as ':'; unknown patterns as '?'); empty when the display is off.</summary>
    public string Text
    {
        get
        {
            if (!DisplayOn) return "";
            var sb = new StringBuilder();
            var segs = Segments;
            for (var i = 0; i < segs.Length; i++)
            {
                sb.Append(SevenSegment.Decode(segs[i]) ?? '?');
                if ((segs[i] & SevenSegment.PointOrColon) != 0) sb.Append(Digits == 4 && _gridOfPosition[i] == 1 ? ':' : '.');
            }
            return sb.ToString();
        }
    }

    private void OnLevel(PinTransition t)
    {
        if (t.Pin == _clk) OnClock(t);
        else if (t.Pin == _dio && t.ByHost) OnData(t);
    }

    private void OnData(PinTransition t)
    {
        _lastDioChange = t.Time;
        if (_clkLevel != PinValue.High) return;
        if (t.Value == PinValue.Low)
        {
            // Start: DIO falls while CLK is high.
            if (_inFrame) _violations.Add($"{t.Time.TotalMicroseconds:F1} us: start inside a frame");
            _inFrame = true;
            _bit = 0;
            _value = 0;
            _frame.Clear();
        }
        else if (_inFrame)
        {
            _inFrame = false;
            // The CLK rise that precedes a stop looks like a first bit; more than that is a cut byte.
            if (_bit > 1) _violations.Add($"{t.Time.TotalMicroseconds:F1} us: stop after {_bit} bits of a byte");
            Frames++;
            Execute();
        }
    }

    private void OnClock(PinTransition t)
    {
        var width = t.Time - _lastClkEdge;
        if (_inFrame)
        {
            if (width < ShortestClockPulse) ShortestClockPulse = width;
            if (width < MinPulse) _violations.Add($"{t.Time.TotalMicroseconds:F3} us: CLK {(t.Value == PinValue.High ? "low" : "high")} for {width.TotalMicroseconds:F3} us (< 0.4 us)");
        }
        _lastClkEdge = t.Time;
        _clkLevel = t.Value;
        if (!_inFrame) return;
        if (t.Value == PinValue.High)
        {
            if (_bit < 8)
            {
                if (t.Time - _lastDioChange < MinSetup) _violations.Add($"{t.Time.TotalMicroseconds:F3} us: DIO set up only {(t.Time - _lastDioChange).TotalMicroseconds:F3} us before CLK rose (< 0.1 us)");
                if (_gpio.GetLevel(_dio) == PinValue.High) _value |= 1 << _bit;
            }
            _bit++;
            return;
        }
        // Falling edges: after the 8th the chip acknowledges, after the 9th it lets go.
        if (_bit == 8 && !_acking)
        {
            _acking = true;
            _frame.Add((byte)_value);
            BytesAcknowledged++;
            _gpio.Drive(_dio, PinValue.Low);
        }
        else if (_bit == 9 && _acking)
        {
            _acking = false;
            _gpio.Drive(_dio, PinValue.High);
            _bit = 0;
            _value = 0;
        }
    }

    private void Execute()
    {
        if (_frame.Count == 0) return;
        var cmd = _frame[0];
        switch (cmd & 0xC0)
        {
            case 0x40:
                _autoIncrement = (cmd & 0x04) == 0;
                if (_frame.Count > 1) _violations.Add($"data command 0x{cmd:X2} followed by {_frame.Count - 1} bytes in the same frame");
                break;
            case 0xC0:
                var address = cmd & 0x07;
                for (var i = 1; i < _frame.Count; i++)
                {
                    if (address > 5)
                    {
                        _violations.Add($"grid address {address} beyond C5H");
                        break;
                    }
                    _grids[address] = _frame[i];
                    if (_autoIncrement) address++;
                }
                break;
            case 0x80:
                DisplayOn = (cmd & Tm1637Command.DisplayOnBit) != 0;
                Brightness = cmd & 0x07;
                break;
            default:
                _violations.Add($"unknown command 0x{cmd:X2}");
                break;
        }
    }
}
