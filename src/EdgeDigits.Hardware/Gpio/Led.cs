using System.Device.Gpio;

namespace EdgeDigits.Hardware.Gpio;

/// <summary>A status LED on one GPIO output: on, off, toggle, blink (timed by a <see cref="TimeProvider"/> timer, so nothing blocks).</summary>
public sealed class Led : IDisposable
{
    private readonly object _gate = new();
    private readonly GpioController _gpio;
    private readonly bool _shouldDispose;
    private readonly TimeProvider _time;
    private readonly PinValue _onLevel;
    private ITimer? _blinkTimer;
    private bool _isOn;
    private int _blinkPhasesLeft;

    /// <summary>Opens <paramref name="pin"/> as an output, LED off. <paramref name="activeHigh"/> false for an LED wired from 3V3 to the pin.</summary>
    public Led(int pin, string name = "LED", bool activeHigh = true, GpioController? gpio = null, bool shouldDispose = true, TimeProvider? time = null)
    {
        if (pin < 0) throw new ArgumentOutOfRangeException(nameof(pin), $"{name}: an LED needs a pin");
        Pin = pin;
        Name = name;
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

    /// <summary>Whether the LED is lit now.</summary>
    public bool IsOn
    {
        get { lock (_gate) return _isOn; }
    }

    /// <summary>The error that stopped a blink on the timer thread, null if none.</summary>
    public HardwareFaultException? LastFault { get; private set; }

    /// <summary>Whether a blink is running.</summary>
    public bool IsBlinking
    {
        get { lock (_gate) return _blinkTimer is not null; }
    }

    private PinValue OffLevel => _onLevel == PinValue.High ? PinValue.Low : PinValue.High;

    /// <summary>Lights the LED (stops a blink).</summary>
    public void On()
    {
        lock (_gate)
        {
            StopBlinkLocked();
            Set(true);
        }
    }

    /// <summary>Switches the LED off (stops a blink).</summary>
    public void Off()
    {
        lock (_gate)
        {
            StopBlinkLocked();
            Set(false);
        }
    }

    /// <summary>Flips the LED (stops a blink).</summary>
    public void Toggle()
    {
        lock (_gate)
        {
            StopBlinkLocked();
            Set(!_isOn);
        }
    }

    /// <summary>Blinks: on for <paramref name="onTime"/>, off for <paramref name="offTime"/>, <paramref name="count"/> times (0 = until stopped); ends off.</summary>
    public void Blink(TimeSpan onTime, TimeSpan offTime, int count = 0)
    {
        if (onTime <= TimeSpan.Zero || offTime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(onTime), $"{Name}: blink times must be positive");
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), $"{Name}: blink count cannot be negative");
        lock (_gate)
        {
            StopBlinkLocked();
            _blinkPhasesLeft = count == 0 ? -1 : count * 2 - 1;
            Set(true);
            ITimer? timer = null;
            timer = _time.CreateTimer(_ =>
            {
                lock (_gate)
                {
                    if (!ReferenceEquals(_blinkTimer, timer)) return;
                    try
                    {
                        Set(!_isOn);
                    }
                    catch (HardwareFaultException ex)
                    {
                        // On a timer thread: stop blinking, keep the process alive, report through LastFault.
                        LastFault = ex;
                        StopBlinkLocked();
                        return;
                    }
                    if (_blinkPhasesLeft > 0) _blinkPhasesLeft--;
                    if (_blinkPhasesLeft == 0)
                    {
                        StopBlinkLocked();
                        return;
                    }
                    _blinkTimer!.Change(_isOn ? onTime : offTime, Timeout.InfiniteTimeSpan);
                }
            }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _blinkTimer = timer;
            timer.Change(onTime, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Switches off and releases the pin (and the controller when owned).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            StopBlinkLocked();
            try
            {
                Set(false);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
            }
        }
        GpioPins.Close(_gpio, Pin);
        if (_shouldDispose) _gpio.Dispose();
    }

    private void StopBlinkLocked()
    {
        _blinkTimer?.Dispose();
        _blinkTimer = null;
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
        _isOn = on;
    }
}
