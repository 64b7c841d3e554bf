using EdgeDigits.Hardware;

namespace EdgeDigits.Hardware.Simulation;

/// <summary>A virtual clock for emulation: time starts at a fixed instant and moves only through <see cref="Advance"/> (which drivers call instead of sleeping); timers fire during the advance, in due order.</summary>
public sealed class ManualTimeProvider : TimeProvider, IVirtualClock
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = new();
    private long _ticks;
    private readonly DateTimeOffset _start;

    /// <summary>Creates a clock starting at <paramref name="start"/> (default 2026-01-01 UTC).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null) => _start = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Time elapsed since the clock was created.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _start + Elapsed;

    /// <inheritdoc />
    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward by <paramref name="delta"/>, firing due timers on the calling thread with the clock set to each timer's due time.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delta), "time cannot go backwards");
        var target = Interlocked.Read(ref _ticks) + delta.Ticks;
        while (true)
        {
            ManualTimer? next = null;
            lock (_gate)
            {
                foreach (var t in _timers)
                    if (t.DueTicks <= target && (next is null || t.DueTicks < next.DueTicks)) next = t;
                if (next is null) break;
                if (next.DueTicks > _ticks) Interlocked.Exchange(ref _ticks, next.DueTicks);
                if (next.PeriodTicks > 0) next.DueTicks += next.PeriodTicks;
                else _timers.Remove(next);
            }
            next.Fire();
        }
        lock (_gate)
        {
            if (target > _ticks) Interlocked.Exchange(ref _ticks, target);
        }
    }

    /// <summary>Advances to the next pending timer (if any is due within <paramref name="limit"/>) and fires it; returns false when none is.</summary>
    public bool AdvanceToNextTimer(TimeSpan limit)
    {
        long due;
        lock (_gate)
        {
            if (_timers.Count == 0) return false;
            due = _timers.Min(t => t.DueTicks);
        }
        var delta = TimeSpan.FromTicks(Math.Max(0, due - Interlocked.Read(ref _ticks)));
        if (delta > limit) return false;
        Advance(delta);
        return true;
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan) return;
            timer.DueTicks = _ticks + Math.Max(0, dueTime.Ticks);
            timer.PeriodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
            _timers.Add(timer);
        }
    }

    private void Unschedule(ManualTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks;
        public long PeriodTicks;
        private bool _disposed;

        public void Fire()
        {
            if (!_disposed) callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (_disposed) return false;
            owner.Schedule(this, dueTime, period);
            return true;
        }

        public void Dispose()
        {
            _disposed = true;
            owner.Unschedule(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
