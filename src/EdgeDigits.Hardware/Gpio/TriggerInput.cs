using System.Device.Gpio;

namespace EdgeDigits.Hardware.Gpio;

/// <summary>Which changes of a <see cref="TriggerInput"/> are reported.</summary>
[Flags]
public enum TriggerEdges
{
    /// <summary>The input became active (the beam was broken).</summary>
    Activated = 1,
    /// <summary>The input became inactive.</summary>
    Released = 2,
    /// <summary>Both.</summary>
    Both = Activated | Released,
}

/// <summary>A debounced change of a trigger input.</summary>
/// <param name="Active">True when the input became active.</param>
/// <param name="At">When the edge happened (the first edge of the settled change, not the end of the debounce wait).</param>
public readonly record struct TriggerEvent(bool Active, DateTimeOffset At);

/// <summary>A light barrier or switch on a GPIO input, debounced: a change is reported only once the level has stayed put for the debounce time, stamped with the time of its first edge.</summary>
public sealed class TriggerInput : IDisposable
{
    private readonly object _gate = new();
    private readonly GpioController _gpio;
    private readonly bool _shouldDispose;
    private readonly TimeProvider _time;
    private readonly bool _activeLow;
    private readonly TriggerEdges _edges;
    private readonly ITimer _settleTimer;
    private PinValue _stable;
    private DateTimeOffset _firstEdgeAt;
    private bool _pending;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> as an input and starts watching it.</summary>
    /// <param name="pin">BCM pin.</param>
    /// <param name="name">Name used in errors and logs.</param>
    /// <param name="debounce">How long a new level must hold before it counts (a shorter glitch is rejected).</param>
    /// <param name="edges">Which changes raise <see cref="Triggered"/>.</param>
    /// <param name="activeLow">True for an open-collector barrier that pulls the line low when broken.</param>
    /// <param name="mode">Input mode; the default enables the internal pull-up.</param>
    /// <param name="gpio">Controller to use; null opens the board's.</param>
    /// <param name="shouldDispose">Whether to dispose <paramref name="gpio"/>.</param>
    /// <param name="time">Clock for the debounce; null for the system clock.</param>
    public TriggerInput(int pin, string name = "trigger", TimeSpan? debounce = null, TriggerEdges edges = TriggerEdges.Activated, bool activeLow = true, PinMode mode = PinMode.InputPullUp, GpioController? gpio = null, bool shouldDispose = true, TimeProvider? time = null)
    {
        if (pin < 0) throw new ArgumentOutOfRangeException(nameof(pin), $"{name}: a trigger needs a pin");
        if (mode == PinMode.Output) throw new ArgumentOutOfRangeException(nameof(mode), $"{name}: a trigger is an input");
        Pin = pin;
        Name = name;
        Debounce = debounce ?? TimeSpan.FromMilliseconds(5);
        _edges = edges;
        _activeLow = activeLow;
        _time = time ?? TimeProvider.System;
        _shouldDispose = gpio is null || shouldDispose;
        _gpio = gpio ?? Buses.OpenGpio(name);
        GpioPins.Open(_gpio, pin, mode, name, "input");
        _stable = _gpio.Read(pin);
        _settleTimer = _time.CreateTimer(_ => Settle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            _gpio.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising | PinEventTypes.Falling, OnEdge);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new HardwareUnavailableException($"{name} input pin GPIO{pin}", $"cannot watch edges: {ex.Message}", ex);
        }
    }

    /// <summary>Raised (on the timer's thread) for each debounced change selected by the edges option.</summary>
    public event Action<TriggerEvent>? Triggered;

    /// <summary>The BCM pin.</summary>
    public int Pin { get; }

    /// <summary>The name used in errors and logs.</summary>
    public string Name { get; }

    /// <summary>How long a level must hold.</summary>
    public TimeSpan Debounce { get; }

    /// <summary>Edges seen on the pin, including rejected glitches.</summary>
    public int RawEdges { get; private set; }

    /// <summary>Changes rejected as glitches.</summary>
    public int RejectedGlitches { get; private set; }

    /// <summary>The last error on the debounce timer thread (pin read or a <see cref="Triggered"/> handler), null if none.</summary>
    public Exception? LastFault { get; private set; }

    /// <summary>The debounced state: true while active.</summary>
    public bool IsActive
    {
        get { lock (_gate) return IsActiveLevel(_stable); }
    }

    /// <summary>Waits for the next reported change.</summary>
    public Task<TriggerEvent> WaitAsync(CancellationToken cancellationToken = default)
    {
        var tcs = new TaskCompletionSource<TriggerEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(TriggerEvent e) => tcs.TrySetResult(e);
        Triggered += Handler;
        var reg = cancellationToken.Register(() => tcs.TrySetCanceled(cancellationToken));
        return tcs.Task.ContinueWith(t =>
        {
            Triggered -= Handler;
            reg.Dispose();
            return t;
        }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Stops watching and releases the pin.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        _settleTimer.Dispose();
        try
        {
            _gpio.UnregisterCallbackForPinValueChangedEvent(Pin, OnEdge);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
        }
        GpioPins.Close(_gpio, Pin);
        if (_shouldDispose) _gpio.Dispose();
    }

    private bool IsActiveLevel(PinValue v) => _activeLow ? v == PinValue.Low : v == PinValue.High;

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        lock (_gate)
        {
            if (_disposed) return;
            RawEdges++;
            if (!_pending) _firstEdgeAt = _time.GetUtcNow();
            _pending = true;
            // Every edge restarts the wait: the level must be quiet for the whole debounce time.
            _settleTimer.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void Settle()
    {
        TriggerEvent? report = null;
        lock (_gate)
        {
            if (_disposed || !_pending) return;
            _pending = false;
            PinValue level;
            try
            {
                level = _gpio.Read(Pin);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
            {
                LastFault = ex;
                return;
            }
            if (level == _stable)
            {
                RejectedGlitches++;
                return;
            }
            _stable = level;
            var active = IsActiveLevel(level);
            if ((_edges & (active ? TriggerEdges.Activated : TriggerEdges.Released)) != 0) report = new TriggerEvent(active, _firstEdgeAt);
        }
        if (report is not { } r) return;
        try
        {
            Triggered?.Invoke(r);
        }
        catch (Exception ex)
        {
            // A handler's failure must not take down the timer thread (and the process).
            LastFault = ex;
        }
    }
}
