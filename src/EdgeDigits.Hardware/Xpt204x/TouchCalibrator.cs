namespace EdgeDigits.Hardware.Xpt204x;

/// <summary>The three-target calibration the app runs on first start or on request: shows a target, waits for a steady press, averages the raw readings, waits for release, then solves <see cref="TouchCalibration"/>.</summary>
public sealed class TouchCalibrator
{
    private readonly Xpt2046 _touch;
    private readonly TimeProvider _time;

    /// <summary>Calibrates <paramref name="touch"/>; <paramref name="time"/> paces the polling (null for the system clock).</summary>
    public TouchCalibrator(Xpt2046 touch, TimeProvider? time = null)
    {
        _touch = touch;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Longest wait for a press on one target.</summary>
    public TimeSpan TargetTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Polling interval while waiting and sampling.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Good readings averaged per target.</summary>
    public int ReadingsPerTarget { get; set; } = 16;

    /// <summary>The three target positions for a <paramref name="width"/> x <paramref name="height"/> display: spread out, not on one line, away from the edges where panels are least linear.</summary>
    public static IReadOnlyList<(int X, int Y)> TargetsFor(int width, int height) =>
        [((int)(width * 0.15), (int)(height * 0.15)), ((int)(width * 0.85), (int)(height * 0.5)), ((int)(width * 0.3), (int)(height * 0.85))];

    /// <summary>Runs the routine. <paramref name="showTarget"/> draws target i at (x, y) (and clears the previous one). Blocks; run it off the UI thread.</summary>
    /// <exception cref="TimeoutException">No press on a target within <see cref="TargetTimeout"/>.</exception>
    public TouchCalibration Run(int width, int height, Action<int, int, int> showTarget, CancellationToken cancellationToken = default)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"display size {width}x{height} is empty");
        var targets = TargetsFor(width, height);
        var points = new List<CalibrationPoint>();
        WaitForRelease(cancellationToken);
        for (var i = 0; i < targets.Count; i++)
        {
            var (tx, ty) = targets[i];
            showTarget(i, tx, ty);
            var start = _time.GetTimestamp();
            double sx = 0, sy = 0;
            var n = 0;
            while (n < ReadingsPerTarget)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_time.GetElapsedTime(start) > TargetTimeout)
                    throw new TimeoutException($"{_touch.Device}: no steady press on calibration target {i + 1} at ({tx},{ty}) within {TargetTimeout.TotalSeconds:0} s");
                var r = _touch.ReadRaw();
                if (r.IsTouched)
                {
                    sx += r.RawX;
                    sy += r.RawY;
                    n++;
                }
                HardwareClock.Wait(_time, PollInterval);
            }
            points.Add(new CalibrationPoint(tx, ty, sx / n, sy / n));
            WaitForRelease(cancellationToken); // the next target is shown only once the pen is up
        }
        return TouchCalibration.FromPoints(points, width, height);
    }

    private void WaitForRelease(CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();
        var quiet = 0;
        while (quiet < 3)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_time.GetElapsedTime(start) > TargetTimeout) throw new TimeoutException($"{_touch.Device}: the pen was not lifted within {TargetTimeout.TotalSeconds:0} s");
            quiet = _touch.ReadRaw().Z1 < _touch.MinimumZ1 ? quiet + 1 : 0;
            HardwareClock.Wait(_time, PollInterval);
        }
    }
}
