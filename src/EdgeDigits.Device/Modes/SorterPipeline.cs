using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Modes;

/// <summary>The gate outputs the sorter pulses.</summary>
public interface IGateOutput
{
    /// <summary>Pulses gate <paramref name="gate"/> for <paramref name="ms"/> milliseconds (returns when the pulse has started).</summary>
    void Pulse(string gate, int ms);

    /// <summary>Puts every gate in its safe (off) state.</summary>
    void AllOff();
}

/// <summary>One processed parcel.</summary>
public sealed record SortEvent(long Id, DeviceReading Reading, SortDecision Decision, double LatencyMs);

/// <summary>
/// Sorter mode: trigger edges go into a bounded queue (further edges are dropped and counted, never blocking the
/// trigger callback); one worker captures, reads, decides with <see cref="SortRules"/> and pulses the gate, measuring
/// trigger → pulse latency per event.
/// </summary>
public sealed class SorterPipeline
{
    private readonly SorterOptions _options;
    private readonly SortRules _rules;
    private readonly Func<CancellationToken, Task<DeviceReading>> _captureAndRead;
    private readonly IGateOutput _gates;
    private readonly Channel<long> _queue;
    private long _nextId;

    /// <summary>Creates the pipeline; <paramref name="captureAndRead"/> grabs a frame and reads it.</summary>
    public SorterPipeline(SorterOptions options, Func<CancellationToken, Task<DeviceReading>> captureAndRead, IGateOutput gates)
    {
        _options = options;
        _rules = new SortRules(options);
        _captureAndRead = captureAndRead;
        _gates = gates;
        _queue = Channel.CreateBounded<long>(new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    }

    /// <summary>Trigger → gate pulse latency (ms).</summary>
    public LatencyStats Latency { get; } = new();

    /// <summary>Parcels sent to each gate.</summary>
    public ConcurrentDictionary<string, long> GateCounts { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Triggers dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    private long _dropped;

    /// <summary>Parcels that failed (camera or recognition error) and went to the reject gate.</summary>
    public long Errors => Interlocked.Read(ref _errors);
    private long _errors;

    /// <summary>Raised after each parcel's gate was pulsed.</summary>
    public event Action<SortEvent>? Sorted;

    /// <summary>Queues a trigger that happened at <paramref name="timestamp"/> (<see cref="Stopwatch.GetTimestamp"/>); false when the queue is full.</summary>
    public bool Trigger(long timestamp)
    {
        if (_queue.Writer.TryWrite(timestamp)) return true;
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Processes triggers until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var stamp in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                await ProcessAsync(stamp, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally { _gates.AllOff(); }
    }

    private async Task ProcessAsync(long stamp, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId);
        DeviceReading reading;
        SortDecision decision;
        try
        {
            reading = await _captureAndRead(ct).ConfigureAwait(false);
            decision = _rules.Decide(reading);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Increment(ref _errors);
            reading = new DeviceReading { Id = id, Time = DateTimeOffset.UtcNow, Mode = "sorter", Source = "camera" };
            decision = new SortDecision(_options.RejectGate, true, $"read failed: {ex.Message}");
        }
        try { _gates.Pulse(decision.Gate, _options.PulseMs); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A gate that cannot be driven must not stop the line: count it and carry on with the next parcel.
            Interlocked.Increment(ref _errors);
            decision = decision with { Reason = $"{decision.Reason}; gate {decision.Gate} failed: {ex.Message}" };
        }
        var latency = Stopwatch.GetElapsedTime(stamp).TotalMilliseconds;
        Latency.Add(latency);
        GateCounts.AddOrUpdate(decision.Gate, 1, (_, n) => n + 1);
        Sorted?.Invoke(new SortEvent(id, reading with { Outcome = $"gate {decision.Gate}: {decision.Reason}" }, decision, latency));
    }
}
