using System.Device.Gpio;
using System.Device.Spi;

namespace EdgeDigits.Hardware.Xpt204x;

/// <summary>XPT2046 (ADS7846-compatible) resistive touch controller on SPI: X, Y, Z1, Z2 conversions in one overlapped transfer per reading, pressure from Z1/Z2, median or trimmed-mean filtering, pen-down from PENIRQ or by polling, and an affine calibration to display pixels.</summary>
public sealed class Xpt2046 : IDisposable
{
    /// <summary>Highest DCLK the XPT2046 datasheet allows (2.5 MHz at 2.7 V).</summary>
    public const int MaxClockHz = 2_500_000;

    private readonly object _busLock = new();
    private readonly SpiDevice _spi;
    private readonly GpioController? _gpio;
    private readonly bool _shouldDispose;
    private readonly bool _ownsGpio;
    private readonly TimeProvider _time;
    private readonly int _penIrqPin;
    private int _samples = 5;
    private byte[] _tx = Array.Empty<byte>();
    private byte[] _rx = Array.Empty<byte>();
    private volatile bool _inTransfer;
    private long _lastTransferEnd = long.MinValue;
    private bool _watching;

    /// <summary>Creates the driver.</summary>
    /// <param name="spi">The SPI device (mode 0, at most <see cref="MaxClockHz"/>; 2 MHz is usual).</param>
    /// <param name="penIrqPin">PENIRQ pin (low while touched), -1 to poll pressure instead.</param>
    /// <param name="gpio">Controller for PENIRQ; null opens the board's when a pin is given.</param>
    /// <param name="shouldDispose">Whether to dispose <paramref name="spi"/> and <paramref name="gpio"/>.</param>
    /// <param name="time">Clock for polling waits; null for the system clock.</param>
    public Xpt2046(SpiDevice spi, int penIrqPin = -1, GpioController? gpio = null, bool shouldDispose = true, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(spi);
        _spi = spi;
        _penIrqPin = penIrqPin;
        _time = time ?? TimeProvider.System;
        _shouldDispose = shouldDispose;
        Device = $"XPT2046 on /dev/spidev{spi.ConnectionSettings.BusId}.{spi.ConnectionSettings.ChipSelectLine}";
        if (spi.ConnectionSettings.ClockFrequency > MaxClockHz)
            throw new ArgumentOutOfRangeException(nameof(spi), $"{Device}: SPI clock {spi.ConnectionSettings.ClockFrequency} Hz is above the XPT2046's {MaxClockHz} Hz");
        if (penIrqPin >= 0)
        {
            _ownsGpio = gpio is null || shouldDispose;
            _gpio = gpio ?? Buses.OpenGpio(Device);
            GpioPins.Open(_gpio, penIrqPin, PinMode.InputPullUp, Device, "PENIRQ");
        }
        BuildFrame();
    }

    /// <summary>Name used in errors.</summary>
    public string Device { get; }

    /// <summary>Position samples per reading (odd numbers make the median exact); default 5.</summary>
    public int SamplesPerReading
    {
        get => _samples;
        set
        {
            if (value is < 1 or > 32) throw new ArgumentOutOfRangeException(nameof(value), $"{Device}: samples per reading must be 1..32");
            _samples = value;
            BuildFrame();
        }
    }

    /// <summary>How position samples are combined.</summary>
    public TouchFilter Filter { get; set; } = TouchFilter.Median;

    /// <summary>X plate resistance of the panel (datasheet of the panel; 200–900 Ω is common).</summary>
    public double XPlateResistanceOhms { get; set; } = 400;

    /// <summary>Touches with a higher resistance than this (a feather-light or half-contact press) are ignored.</summary>
    public double PressureThresholdOhms { get; set; } = 2000;

    /// <summary>Z1 below this means no contact at all.</summary>
    public int MinimumZ1 { get; set; } = 50;

    /// <summary>Largest spread (raw counts) between the middle samples of a reading; beyond it the reading is noisy.</summary>
    public int MaximumSpread { get; set; } = 60;

    /// <summary>Calibration to display pixels; null leaves <see cref="ReadTouch"/> in raw counts.</summary>
    public TouchCalibration? Calibration { get; set; }

    /// <summary>Bytes clocked for one reading (1 dummy X, N X, N Y, Z1, Z2, 16 clocks each, overlapped).</summary>
    public int BytesPerReading => _tx.Length;

    /// <summary>Raised on a PENIRQ falling edge (after <see cref="StartWatching"/>), not for edges caused by the driver's own conversions.</summary>
    public event Action? PenDown;

    /// <summary>Theoretical readings per second at <paramref name="clockHz"/>: one reading is (2N+3) overlapped conversions, 8·(2·(2N+3)+1) clocks.</summary>
    public static double EstimateReadingsPerSecond(int clockHz, int samplesPerReading) => clockHz / (8.0 * FrameLength(samplesPerReading));

    /// <summary>True while the pen is down: PENIRQ low, or (no pin) a polled pressure reading above the threshold.</summary>
    public bool IsPenDown
    {
        get
        {
            if (_gpio is not null && !_inTransfer) return _gpio.Read(_penIrqPin) == PinValue.Low;
            return ReadRaw().IsTouched;
        }
    }

    /// <summary>Starts raising <see cref="PenDown"/> from PENIRQ edges (needs the pin).</summary>
    public void StartWatching()
    {
        if (_gpio is null) throw new InvalidOperationException($"{Device}: PenDown events need the PENIRQ pin; poll IsPenDown instead");
        if (_watching) return;
        _gpio.RegisterCallbackForPinValueChangedEvent(_penIrqPin, PinEventTypes.Falling, OnPenIrq);
        _watching = true;
    }

    /// <summary>Waits until the pen is down or <paramref name="timeout"/> passes: a PENIRQ edge when wired, else polling every <paramref name="pollInterval"/> (default 10 ms).</summary>
    public bool WaitForPenDown(TimeSpan timeout, CancellationToken cancellationToken = default, TimeSpan? pollInterval = null)
    {
        var start = _time.GetTimestamp();
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(10);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsPenDown) return true;
            if (_time.GetElapsedTime(start) >= timeout) return false;
            HardwareClock.Wait(_time, interval);
        }
    }

    /// <summary>One filtered reading in raw counts; throws <see cref="HardwareFaultException"/> after retries if SPI fails.</summary>
    public TouchReading ReadRaw()
    {
        lock (_busLock)
        {
            _inTransfer = true;
            try
            {
                BusRetry.Run(Device, () => _spi.TransferFullDuplex(_tx, _rx));
            }
            finally
            {
                Interlocked.Exchange(ref _lastTransferEnd, _time.GetTimestamp());
                _inTransfer = false;
            }
            Span<int> xs = stackalloc int[_samples];
            Span<int> ys = stackalloc int[_samples];
            // Result of conversion j comes in the 16 clocks after its control byte: bytes 2j+1 and
            // 2j+2, MSB first after one BUSY clock, so the 12 bits sit in bits 14..3.
            int Result(int j) => ((_rx[2 * j + 1] << 8) | _rx[2 * j + 2]) >> 3 & 0xFFF;
            for (var i = 0; i < _samples; i++)
            {
                xs[i] = Result(1 + i); // conversion 0 is a dummy X: the first sample after switching plates has not settled
                ys[i] = Result(1 + _samples + i);
            }
            var z1 = Result(1 + 2 * _samples);
            var z2 = Result(2 + 2 * _samples);
            var (x, spreadX) = Combine(xs);
            var (y, spreadY) = Combine(ys);
            // Datasheet eq. 3: R_touch = R_x-plate · X/4096 · (Z2/Z1 − 1).
            var resistance = z1 <= 0 ? double.PositiveInfinity : XPlateResistanceOhms * x / 4096.0 * (z2 / (double)z1 - 1);
            var pressed = z1 >= MinimumZ1 && resistance <= PressureThresholdOhms;
            var noisy = pressed && (spreadX > MaximumSpread || spreadY > MaximumSpread);
            return new TouchReading(x, y, z1, z2, resistance, pressed && !noisy, noisy);
        }
    }

    /// <summary>One reading mapped through <see cref="Calibration"/> (raw counts without one); null when not touched or noisy.</summary>
    public TouchPoint? ReadTouch()
    {
        var r = ReadRaw();
        if (!r.IsTouched) return null;
        if (Calibration is not { } cal) return new TouchPoint(r.RawX, r.RawY, r.ResistanceOhms, r);
        var (x, y) = cal.Apply(r.RawX, r.RawY);
        return new TouchPoint(Math.Clamp(x, 0, cal.Width - 1), Math.Clamp(y, 0, cal.Height - 1), r.ResistanceOhms, r);
    }

    /// <summary>Releases PENIRQ and, with shouldDispose, the SPI device and controller.</summary>
    public void Dispose()
    {
        if (_gpio is not null)
        {
            if (_watching)
            {
                try
                {
                    _gpio.UnregisterCallbackForPinValueChangedEvent(_penIrqPin, OnPenIrq);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
                {
                }
            }
            if (_ownsGpio)
            {
                GpioPins.Close(_gpio, _penIrqPin);
                _gpio.Dispose();
            }
        }
        if (_shouldDispose) _spi.Dispose();
    }

    private static int FrameLength(int samples) => 2 * (2 * samples + 3) + 1;

    private void BuildFrame()
    {
        // Control bytes on even offsets 0, 2, 4, ...: each conversion's 16 result clocks overlap the
        // next control byte (datasheet figure 13, "16 clocks per conversion"). The reference stays on
        // with PENIRQ off during the burst; the last conversion powers down with PENIRQ enabled again.
        var conversions = new List<Xpt2046Channel> { Xpt2046Channel.X };
        for (var i = 0; i < _samples; i++) conversions.Add(Xpt2046Channel.X);
        for (var i = 0; i < _samples; i++) conversions.Add(Xpt2046Channel.Y);
        conversions.Add(Xpt2046Channel.Z1);
        conversions.Add(Xpt2046Channel.Z2);
        _tx = new byte[FrameLength(_samples)];
        _rx = new byte[_tx.Length];
        for (var j = 0; j < conversions.Count; j++)
        {
            var last = j == conversions.Count - 1;
            _tx[2 * j] = Xpt2046Control.For(conversions[j], last ? Xpt2046PowerMode.PowerDownIrqEnabled : Xpt2046PowerMode.AdcOnIrqDisabled);
        }
    }

    private (int Value, int Spread) Combine(Span<int> samples)
    {
        samples.Sort();
        var n = samples.Length;
        var drop = n / 4;
        var middle = samples[drop..(n - drop)];
        var spread = middle[^1] - middle[0];
        if (Filter == TouchFilter.Median) return (n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2, spread);
        var sum = 0;
        foreach (var v in middle) sum += v;
        return ((int)Math.Round(sum / (double)middle.Length), spread);
    }

    private void OnPenIrq(object sender, PinValueChangedEventArgs e)
    {
        // PENIRQ is disabled during conversions and falls again at the end of a reading while the pen
        // is down; that edge (delivered late by the kernel's event thread) is not a new touch.
        if (_inTransfer) return;
        var last = Interlocked.Read(ref _lastTransferEnd);
        if (last != long.MinValue && _time.GetElapsedTime(last) < TimeSpan.FromMilliseconds(2)) return;
        PenDown?.Invoke();
    }
}
