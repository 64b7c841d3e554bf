using System.Device.Gpio;

namespace EdgeDigits.Hardware.Simulation.Gpio;

/// <summary>One change of a pin's level, stamped with the virtual time it happened at.</summary>
/// <param name="Time">Time since the clock started.</param>
/// <param name="Pin">BCM pin number.</param>
/// <param name="Value">The new level.</param>
/// <param name="ByHost">True when the driver under test wrote it, false when an emulated chip or the test drove it.</param>
public readonly record struct PinTransition(TimeSpan Time, int Pin, PinValue Value, bool ByHost);

/// <summary>A GPIO chip emulator under <see cref="GpioController"/>: records every level change with a timestamp from a <see cref="TimeProvider"/>, raises edge callbacks, and lets emulated chips and tests drive inputs (open-drain lines with pull-ups are modelled as wired-AND).</summary>
public sealed class EmulatedGpioDriver : GpioDriver
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly int _pinCount;
    private readonly Dictionary<int, PinState> _pins = new();
    private readonly List<PinTransition> _transitions = new();
    private readonly HashSet<int> _missingPins = new();
    private readonly HashSet<int> _failingPins = new();

    /// <summary>Creates a chip with <paramref name="pinCount"/> lines (28 on a Raspberry Pi header) timed by <paramref name="time"/>.</summary>
    public EmulatedGpioDriver(TimeProvider time, int pinCount = 28)
    {
        _time = time;
        _pinCount = pinCount;
    }

    /// <summary>Raised after a pin's level changed (host write, mode change or external drive), before edge callbacks.</summary>
    public event Action<PinTransition>? LevelChanged;

    /// <summary>The clock transitions are stamped with.</summary>
    public TimeProvider Time => _time;

    /// <summary>Most transitions kept (oldest dropped first), so a long-running simulator does not grow without bound.</summary>
    public int MaxRecordedTransitions { get; set; } = 200_000;

    /// <summary>Level changes dropped because of <see cref="MaxRecordedTransitions"/>.</summary>
    public long DroppedTransitions { get; private set; }

    /// <summary>Every level change so far (up to <see cref="MaxRecordedTransitions"/> most recent), in order.</summary>
    public IReadOnlyList<PinTransition> Transitions
    {
        get { lock (_gate) return _transitions.ToArray(); }
    }

    /// <summary>The level changes of one pin.</summary>
    public IReadOnlyList<PinTransition> TransitionsOf(int pin)
    {
        lock (_gate) return _transitions.Where(t => t.Pin == pin).ToArray();
    }

    /// <summary>Makes opening <paramref name="pin"/> fail as it does when the line is missing or claimed by another process.</summary>
    public void MarkMissing(int pin)
    {
        lock (_gate) _missingPins.Add(pin);
    }

    /// <summary>Makes writes to <paramref name="pin"/> fail with an <see cref="IOException"/> (a chip that went away), or work again.</summary>
    public void FailWrites(int pin, bool fail = true)
    {
        lock (_gate)
        {
            if (fail) _failingPins.Add(pin);
            else _failingPins.Remove(pin);
        }
    }

    /// <summary>The level on the line now (what a scope would show).</summary>
    public PinValue GetLevel(int pin)
    {
        lock (_gate) return Level(State(pin));
    }

    /// <summary>The mode the host last set on the pin (Input if never opened).</summary>
    public PinMode GetMode(int pin)
    {
        lock (_gate) return State(pin).Mode;
    }

    /// <summary>Whether the host has the pin open.</summary>
    public bool IsOpen(int pin)
    {
        lock (_gate) return State(pin).Open;
    }

    /// <summary>Drives the line from outside (a chip's output, a sensor, an open-drain pull-down); null releases it to its pull resistor.</summary>
    public void Drive(int pin, PinValue? value)
    {
        Change(pin, s => s.External = value, byHost: false);
    }

    /// <inheritdoc />
    protected override int PinCount => _pinCount;

    /// <inheritdoc />
    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            if (pinNumber < 0 || pinNumber >= _pinCount) throw new IOException($"gpiochip0 has no line {pinNumber}");
            if (_missingPins.Contains(pinNumber)) throw new IOException($"Error while reserving pin {pinNumber}: Device or resource busy");
            State(pinNumber).Open = true;
        }
    }

    /// <inheritdoc />
    protected override void ClosePin(int pinNumber)
    {
        lock (_gate) State(pinNumber).Open = false;
    }

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode) => Change(pinNumber, s => s.Mode = mode, byHost: true);

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue) => Change(pinNumber, s =>
    {
        s.Output = initialValue;
        s.Mode = mode;
    }, byHost: true);

    /// <inheritdoc />
    protected override PinMode GetPinMode(int pinNumber) => GetMode(pinNumber);

    /// <inheritdoc />
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode is PinMode.Input or PinMode.Output or PinMode.InputPullUp or PinMode.InputPullDown;

    /// <inheritdoc />
    protected override PinValue Read(int pinNumber) => GetLevel(pinNumber);

    /// <inheritdoc />
    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            if (_failingPins.Contains(pinNumber)) throw new IOException($"Error 19 setting value of line {pinNumber}: No such device");
        }
        Change(pinNumber, s => s.Output = value, byHost: true);
    }

    /// <inheritdoc />
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        using var signal = new ManualResetEventSlim(false);
        PinEventTypes seen = PinEventTypes.None;
        void Handler(PinTransition t)
        {
            if (t.Pin != pinNumber) return;
            var type = t.Value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            if ((eventTypes & type) == 0) return;
            seen = type;
            signal.Set();
        }

        LevelChanged += Handler;
        try
        {
            signal.Wait(cancellationToken);
            return new WaitForEventResult { EventTypes = seen, TimedOut = false };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            LevelChanged -= Handler;
        }
    }

    /// <inheritdoc />
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate) State(pinNumber).Callbacks.Add((eventTypes, callback));
    }

    /// <inheritdoc />
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate) State(pinNumber).Callbacks.RemoveAll(c => c.Handler == callback);
    }

    private void Change(int pin, Action<PinState> change, bool byHost)
    {
        PinTransition transition;
        (PinEventTypes Types, PinChangeEventHandler Handler)[] callbacks;
        lock (_gate)
        {
            var state = State(pin);
            var before = Level(state);
            change(state);
            var after = Level(state);
            if (before == after) return;
            transition = new PinTransition(TimeSpan.FromTicks((long)(_time.GetTimestamp() * (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency)), pin, after, byHost);
            _transitions.Add(transition);
            if (_transitions.Count > MaxRecordedTransitions * 2L)
            {
                // Trim in halves so recording stays amortised O(1).
                var drop = _transitions.Count - MaxRecordedTransitions;
                _transitions.RemoveRange(0, drop);
                DroppedTransitions += drop;
            }
            callbacks = state.Callbacks.ToArray();
        }

        LevelChanged?.Invoke(transition);
        var type = transition.Value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        foreach (var (types, handler) in callbacks)
            if ((types & type) != 0) handler(this, new PinValueChangedEventArgs(type, pin));
    }

    private PinState State(int pin)
    {
        if (!_pins.TryGetValue(pin, out var s)) _pins[pin] = s = new PinState();
        return s;
    }

    private static PinValue Level(PinState s)
    {
        // Wired-AND: an external open-drain pull-down wins over anything; otherwise the host's
        // output, else the external drive (a module's own pull-up counts as one), else the pin's
        // pull resistor; a floating input reads low.
        if (s.External == PinValue.Low) return PinValue.Low;
        if (s.Mode == PinMode.Output) return s.Output;
        if (s.External is { } ext) return ext;
        return s.Mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
    }

    private sealed class PinState
    {
        public bool Open;
        public PinMode Mode = PinMode.Input;
        public PinValue Output = PinValue.Low;
        public PinValue? External;
        public readonly List<(PinEventTypes Types, PinChangeEventHandler Handler)> Callbacks = new();
    }
}
