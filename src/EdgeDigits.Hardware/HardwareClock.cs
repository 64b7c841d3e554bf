using System.Diagnostics;

namespace EdgeDigits.Hardware;

/// <summary>A <see cref="TimeProvider"/> whose time only moves when told: drivers' datasheet waits advance it instead of sleeping, so emulators measure timings by timestamps.</summary>
public interface IVirtualClock
{
    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    void Advance(TimeSpan delta);
}

/// <summary>Datasheet waits (reset pulses, bit-bang half periods) on a <see cref="TimeProvider"/>.</summary>
public static class HardwareClock
{
    /// <summary>Waits at least <paramref name="delay"/>: advances a virtual clock, sleeps for whole milliseconds and spins for the sub-millisecond rest on a real one.</summary>
    public static void Wait(TimeProvider time, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero) return;
        if (time is IVirtualClock virtualClock)
        {
            virtualClock.Advance(delay);
            return;
        }

        // Thread.Sleep is only good to ~1 ms on Linux; microsecond waits (TM1637 half periods, the
        // ILI9341 10 us reset pulse) spin on the high-resolution timestamp instead.
        var start = Stopwatch.GetTimestamp();
        if (delay >= TimeSpan.FromMilliseconds(2)) Thread.Sleep(delay - TimeSpan.FromMilliseconds(1));
        while (Stopwatch.GetElapsedTime(start) < delay) Thread.SpinWait(20);
    }
}
