using System.Device.Gpio;
using System.Device.Spi;
using EdgeDigits.Hardware.Simulation.Gpio;
using EdgeDigits.Hardware.Xpt204x;

namespace EdgeDigits.Hardware.Simulation.Xpt204x;

/// <summary>How an emulated resistive panel maps display pixels to raw ADC counts: rawX = XFromX·x + XFromY·y + XOffset, likewise for rawY. The default is a landscape-mounted 2.8" module: raw X runs along the display's y axis, inverted, raw Y along x, with a slight skew; the ends never reach 0 or 4095.</summary>
/// <param name="XFromX">Raw X per display x.</param>
/// <param name="XFromY">Raw X per display y.</param>
/// <param name="XOffset">Raw X at display (0, 0).</param>
/// <param name="YFromX">Raw Y per display x.</param>
/// <param name="YFromY">Raw Y per display y.</param>
/// <param name="YOffset">Raw Y at display (0, 0).</param>
public sealed record TouchPanelModel(double XFromX, double XFromY, double XOffset, double YFromX, double YFromY, double YOffset)
{
    /// <summary>Landscape 320x240 module: raw X 3800 (top) .. 240 (bottom), raw Y 300 (left) .. 3750 (right), 0.5% skew.</summary>
    public static TouchPanelModel Landscape320x240 { get; } = new(0.55, -14.83, 3800, 10.78, 0.4, 300);

    /// <summary>Raw counts at a display position.</summary>
    public (double RawX, double RawY) ToRaw(double x, double y) => (XFromX * x + XFromY * y + XOffset, YFromX * x + YFromY * y + YOffset);
}

/// <summary>An XPT2046 on the emulated SPI bus: answers X/Y/Z1/Z2 conversions (16-clock overlapped framing) from a scripted pen position and pressure through a <see cref="TouchPanelModel"/>, with optional noise and spikes, and drives PENIRQ like the chip (low while touched and the last control byte enabled it).</summary>
public sealed class Xpt2046Emulator : SpiDeviceEmulator
{
    private readonly object _gate = new();
    private readonly EmulatedGpioDriver? _gpio;
    private readonly int _penIrqPin;
    private readonly Random _random;
    private bool _irqEnabled = true;
    private (double X, double Y, double Pressure)? _pen;
    private int _spikesLeft;

    /// <summary>Attaches the controller; PENIRQ goes to <paramref name="penIrqPin"/> on <paramref name="gpio"/> (-1 / null: not wired).</summary>
    public Xpt2046Emulator(EmulatedGpioDriver? gpio, int penIrqPin = -1, TouchPanelModel? panel = null, int busId = 0, int chipSelect = 1, int clockHz = 2_000_000, int seed = 1)
        : base(new SpiConnectionSettings(busId, chipSelect) { ClockFrequency = clockHz, Mode = SpiMode.Mode0 }, 4096)
    {
        _gpio = gpio;
        _penIrqPin = penIrqPin;
        Panel = panel ?? TouchPanelModel.Landscape320x240;
        _random = new Random(seed);
        UpdatePenIrq();
    }

    /// <summary>Display-to-raw mapping of the emulated glass.</summary>
    public TouchPanelModel Panel { get; }

    /// <summary>X plate resistance used to synthesise Z1/Z2.</summary>
    public double XPlateResistanceOhms { get; set; } = 400;

    /// <summary>Standard deviation of the noise on every conversion, in counts.</summary>
    public double Noise { get; set; } = 4;

    /// <summary>Conversions answered so far.</summary>
    public long Conversions { get; private set; }

    /// <summary>Control bytes that asked for 8-bit or single-ended mode (the driver should not).</summary>
    public int UnexpectedModes { get; private set; }

    /// <summary>Puts the pen down (or moves it) at display (<paramref name="x"/>, <paramref name="y"/>); <paramref name="pressure"/> 0..1 maps to 3200 Ω (feather) .. 200 Ω (firm).</summary>
    public void Touch(double x, double y, double pressure = 0.8)
    {
        lock (_gate) _pen = (x, y, Math.Clamp(pressure, 0, 1));
        UpdatePenIrq();
    }

    /// <summary>Lifts the pen.</summary>
    public void Lift()
    {
        lock (_gate) _pen = null;
        UpdatePenIrq();
    }

    /// <summary>The next <paramref name="count"/> position conversions return random full-scale values (a noisy panel).</summary>
    public void InjectSpikes(int count)
    {
        lock (_gate) _spikesLeft = count;
    }

    /// <inheritdoc />
    protected override void OnTransfer(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        if (miso.Length == 0) miso = new byte[mosi.Length];
        miso.Clear();
        for (var i = 0; i < mosi.Length; i++)
        {
            var b = mosi[i];
            if ((b & Xpt2046Control.Start) == 0) continue;
            lock (_gate)
            {
                if (Xpt2046Control.IsEightBit(b) || (b & 0x04) != 0) UnexpectedModes++;
                var value = Convert(Xpt2046Control.ChannelOf(b));
                Conversions++;
                // 12-bit result after one BUSY clock, MSB first: bits 14..3 of the next 16 clocks.
                var word = value << 3;
                if (i + 1 < miso.Length) miso[i + 1] |= (byte)(word >> 8);
                if (i + 2 < miso.Length) miso[i + 2] |= (byte)word;
                _irqEnabled = ((int)Xpt2046Control.PowerOf(b) & 1) == 0;
            }
            // Like the chip, PENIRQ follows each control byte: it goes high while a conversion
            // disables it and falls again when the last one re-enables it with the pen still down.
            UpdatePenIrq();
        }
    }

    private int Convert(Xpt2046Channel channel)
    {
        if (_pen is not { } pen)
        {
            // No contact: the sensing plate floats to the driven rail's opposite end.
            return channel switch { Xpt2046Channel.Z2 => 4095, _ => 0 };
        }
        var (rawX, rawY) = Panel.ToRaw(pen.X, pen.Y);
        if (channel is Xpt2046Channel.X or Xpt2046Channel.Y && _spikesLeft > 0)
        {
            _spikesLeft--;
            return _random.Next(0, 4096);
        }
        var touchOhms = 3200 - 3000 * pen.Pressure;
        // Invert datasheet eq. 3 (R = Rx · X/4096 · (Z2/Z1 − 1)) with Z2 pinned near the top of the range.
        var ratio = 1 + touchOhms * 4096 / (XPlateResistanceOhms * Math.Max(1, rawX));
        var z2 = 3600.0;
        var z1 = z2 / ratio;
        var v = channel switch
        {
            Xpt2046Channel.X => rawX,
            Xpt2046Channel.Y => rawY,
            Xpt2046Channel.Z1 => z1,
            Xpt2046Channel.Z2 => z2,
            _ => 2048,
        };
        return (int)Math.Clamp(Math.Round(v + Gaussian() * Noise), 0, 4095);
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private void UpdatePenIrq()
    {
        if (_gpio is null || _penIrqPin < 0) return;
        bool low;
        lock (_gate) low = _pen is not null && _irqEnabled;
        _gpio.Drive(_penIrqPin, low ? PinValue.Low : PinValue.High);
    }
}
