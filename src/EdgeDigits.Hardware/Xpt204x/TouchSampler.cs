namespace EdgeDigits.Hardware.Xpt204x;

/// <summary>Kind of a <see cref="TouchEvent"/>.</summary>
public enum TouchEventKind
{
    /// <summary>The pen touched.</summary>
    Down,
    /// <summary>The pen moved while down.</summary>
    Move,
    /// <summary>The pen lifted (reported at the last good position).</summary>
    Up,
}

/// <summary>A pen event in display pixels (raw counts without a calibration).</summary>
/// <param name="Kind">Down, move or up.</param>
/// <param name="X">Display x.</param>
/// <param name="Y">Display y.</param>
/// <param name="Time">Time since the sampler started.</param>
public readonly record struct TouchEvent(TouchEventKind Kind, double X, double Y, TimeSpan Time);

/// <summary>Turns XPT2046 readings into pen-down / move / up events for drawing ink: samples at a fixed interval while the pen is down, ignores noisy readings, and reports a lift only after several empty readings in a row (a resistive panel drops contact for a sample now and then mid-stroke).</summary>
public sealed class TouchSampler
{
    private readonly Xpt2046 _touch;
    private readonly TimeProvider _time;
    private readonly long _start;
    private bool _down;
    private int _emptyReadings;
    private double _lastX, _lastY;

    /// <summary>Samples <paramref name="touch"/>; <paramref name="time"/> paces <see cref="RunAsync"/> and stamps events.</summary>
    public TouchSampler(Xpt2046 touch, TimeProvider? time = null)
    {
        _touch = touch ?? throw new ArgumentNullException(nameof(touch));
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
    }

    /// <summary>Time between readings while the pen is down (10 ms = 100 Hz, plenty for handwriting).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Empty readings in a row that count as a lift.</summary>
    public int ReleaseReadings { get; set; } = 3;

    /// <summary>Moves shorter than this (pixels) are not reported.</summary>
    public double MinimumMove { get; set; } = 0.5;

    /// <summary>Whether a stroke is in progress.</summary>
    public bool IsDown => _down;

    /// <summary>Takes one reading and returns the event it produced, if any.</summary>
    public TouchEvent? Step()
    {
        var r = _touch.ReadRaw();
        var now = _time.GetElapsedTime(_start);
        if (r.IsNoisy) return null;
        if (!r.IsTouched)
        {
            if (!_down) return null;
            if (++_emptyReadings < ReleaseReadings) return null;
            _down = false;
            return new TouchEvent(TouchEventKind.Up, _lastX, _lastY, now);
        }
        _emptyReadings = 0;
        var (x, y) = Map(r);
        if (!_down)
        {
            _down = true;
            (_lastX, _lastY) = (x, y);
            return new TouchEvent(TouchEventKind.Down, x, y, now);
        }
        if (Math.Abs(x - _lastX) < MinimumMove && Math.Abs(y - _lastY) < MinimumMove) return null;
        (_lastX, _lastY) = (x, y);
        return new TouchEvent(TouchEventKind.Move, x, y, now);
    }

    /// <summary>Samples until cancelled, calling <paramref name="onEvent"/> for each event; between strokes it only checks PENIRQ (or polls) at the same interval.</summary>
    public async Task RunAsync(Action<TouchEvent> onEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_down || _touch.IsPenDown)
            {
                if (Step() is { } e) onEvent(e);
            }
            try
            {
                await Task.Delay(Interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private (double X, double Y) Map(TouchReading r)
    {
        if (_touch.Calibration is not { } cal) return (r.RawX, r.RawY);
        var (x, y) = cal.Apply(r.RawX, r.RawY);
        return (Math.Clamp(x, 0, cal.Width - 1), Math.Clamp(y, 0, cal.Height - 1));
    }
}
