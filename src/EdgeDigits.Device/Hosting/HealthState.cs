using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeDigits.Device.Hosting;

/// <summary>Liveness of the mode loops: each loop reports a heartbeat; the app is alive while none is stale.</summary>
public sealed class HealthState
{
    private readonly ConcurrentDictionary<string, long> _beats = new();
    private readonly ConcurrentDictionary<string, string> _errors = new();

    /// <summary>When the process started (for uptime).</summary>
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

    /// <summary>Records that loop <paramref name="name"/> is making progress.</summary>
    public void Beat(string name) => _beats[name] = Stopwatch.GetTimestamp();

    /// <summary>Stops watching loop <paramref name="name"/>.</summary>
    public void Forget(string name) => _beats.TryRemove(name, out _);

    /// <summary>Records (or clears, with null) the current error of a part.</summary>
    public void SetError(string part, string? error)
    {
        if (error is null) _errors.TryRemove(part, out _);
        else _errors[part] = error;
    }

    /// <summary>The current errors by part.</summary>
    public IReadOnlyDictionary<string, string> Errors => _errors;

    /// <summary>True when every watched loop beat within <paramref name="maxAge"/> (default 30 s).</summary>
    public bool IsAlive(TimeSpan? maxAge = null)
    {
        var limit = maxAge ?? TimeSpan.FromSeconds(30);
        return _beats.Values.All(t => Stopwatch.GetElapsedTime(t) < limit);
    }
}
