using System.Device.Gpio;
using System.Diagnostics;

namespace EdgeDigits.Hardware.Gpio;

/// <summary>A sorting gate (relay or solenoid driver) on one GPIO output: pulses of a bounded length with a minimum interval between pulse starts, off by default and after dispose.</summary>
public sealed class Gate : IDisposable
{
    private readonly object _gate = new();
    private readonly GpioController _gpio;
    private readonly bool _shouldDispose;
    private readonly TimeProvider _time;
    private readonly PinValue _onLevel;
    private ITimer? _offTimer;
    private long? _lastPulseStart;
    private bool _isOpen;
    // With the system clock the pulse end is timed by a dedicated thread, not a thread-pool timer: a busy or
    // starved pool could hold a solenoid open for hundreds of milliseconds. Stopwatch timestamp; null when idle.
    private long? _offAt;
    private Thread? _pulseThread;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> as an output in the off state.</summary>
    /// <param name="pin">BCM pin.</param>
    /// <param name="name">Name used in errors and logs ("gate A").</param>
    /// <param name="minimumInterval">Shortest time between two pulse starts (mechanics need to return); a pulse asked for sooner is refused.</param>
    /// <param name="maximumPulse">Longest pulse accepted, so a bad config cannot leave a solenoid energised.</param>
    /// <param name="activeHigh">False for relay boards that switch on a low input.</param>
    /// <param name="gpio">Controller to use; null opens the board's.</param>
    /// <param name="shouldDispose">Whether to dispose <paramref name="gpio"/> with the gate.</param>
    /// <param name="time">Clock for pulse lengths; null for the system clock.</param>
    public Gate(int pin, string name = "gate", TimeSpan? minimumInterval = null, TimeSpan? maximumPulse = null, bool activeHigh = true, GpioController? gpio = null, bool shouldDispose = true, TimeProvider? time = null)
    {
        if (pin < 0) throw new ArgumentOutOfRangeException(nameof(pin), $"{name}: a gate needs a pin");
        Pin = pin;
        Name = name;
        MinimumInterval = minimumInterval ?? TimeSpan.FromMilliseconds(100);
        MaximumPulse = maximumPulse ?? TimeSpan.FromSeconds(2);
        _onLevel = activeHigh ? PinValue.High : PinValue.Low;
        _time = time ?? TimeProvider.System;
        _shouldDispose = gpio is null || shouldDispose;
        _gpio = gpio ?? Buses.OpenGpio(name);
        GpioPins.Open(_gpio, pin, PinMode.Output, name, "output", OffLevel);
    }

    /// <summary>The BCM pin.</summary>
    public int Pin { get; }

    /// <summary>The name used in errors and logs.</summary>
    public string Name { get; }

    /// <summary>Shortest time between two pulse starts.</summary>
    public TimeSpan MinimumInterval { get; }

    /// <summary>Longest pulse accepted.</summary>
    public TimeSpan MaximumPulse { get; }

    /// <summary>Pulses refused because they came within <see cref="MinimumInterval"/> of the previous one.</summary>
    public int RefusedPulses { get; private set; }

    /// <summary>The error of a pulse end that failed on the timer thread (the pin could not be switched off), null if none.</summary>
    public HardwareFaultException? LastFault { get; private set; }

    /// <summary>Whether the output is energised now.</summary>
    public bool IsActive
    {
        get { lock (_gate) return _isOpen; }
    }

    private PinValue OffLevel => _onLevel == PinValue.High ? PinValue.Low : PinValue.High;

    /// <summary>Energises the gate for <paramref name="duration"/> (returns at once; a timer switches it off). Returns false, leaving the gate alone, when the previous pulse started less than <see cref="MinimumInterval"/> ago.</summary>
    public bool Pulse(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero || duration > MaximumPulse)
            throw new ArgumentOutOfRangeException(nameof(duration), $"{Name} (GPIO{Pin}): pulse {duration.TotalMilliseconds} ms is outside 0..{MaximumPulse.TotalMilliseconds} ms");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetTimestamp();
            if (_lastPulseStart is { } last && _time.GetElapsedTime(last, now) < MinimumInterval)
            {
                RefusedPulses++;
                return false;
            }
            _lastPulseStart = now;
            _offTimer?.Dispose();
            _offTimer = null;
            Set(true);
            if (ReferenceEquals(_time, TimeProvider.System))
            {
                _offAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
                EnsurePulseThread();
                Monitor.PulseAll(_gate);
                return true;
            }
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                lock (_gate)
                {
                    if (!ReferenceEquals(timer, _offTimer)) return;
                    _offTimer?.Dispose();
                    _offTimer = null;
                    SwitchOffFromTimer();
                }
            }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _offTimer = timer;
            timer.Change(duration, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    private void SwitchOffFromTimer()
    {
        try
        {
            Set(false);
        }
        catch (HardwareFaultException ex)
        {
            // On a timer thread: keep the process alive, report through LastFault.
            LastFault = ex;
        }
    }

    /// <summary>Starts the thread that ends pulses (caller holds the lock).</summary>
    private void EnsurePulseThread()
    {
        if (_pulseThread is not null) return;
        _pulseThread = new Thread(PulseLoop) { IsBackground = true, Name = $"{Name} pulse", Priority = ThreadPriority.AboveNormal };
        _pulseThread.Start();
    }

    private void PulseLoop()
    {
        lock (_gate)
        {
            while (!_disposed)
            {
                if (_offAt is not { } offAt)
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), offAt);
                if (left > TimeSpan.Zero)
                {
                    Monitor.Wait(_gate, left);
                    continue;
                }
                _offAt = null;
                SwitchOffFromTimer();
            }
        }
    }

    /// <summary>De-energises now, cancelling a running pulse (the safe state).</summary>
    public void Off()
    {
        lock (_gate)
        {
            _offTimer?.Dispose();
            _offTimer = null;
            _offAt = null;
            Set(false);
        }
    }

    /// <summary>Switches off and releases the pin.</summary>
    public void Dispose()
    {
        try
        {
            Off();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
        }
        Thread? pulser;
        lock (_gate)
        {
            _disposed = true;
            pulser = _pulseThread;
            Monitor.PulseAll(_gate);
        }
        pulser?.Join(TimeSpan.FromSeconds(1));
        GpioPins.Close(_gpio, Pin);
        if (_shouldDispose) _gpio.Dispose();
    }

    private void Set(bool on)
    {
        try
        {
            _gpio.Write(Pin, on ? _onLevel : OffLevel);
        }
        catch (IOException ex)
        {
            throw new HardwareFaultException($"{Name} output pin GPIO{Pin}", $"cannot switch {(on ? "on" : "off")}: {ex.Message}", ex);
        }
        _isOpen = on;
    }
}
