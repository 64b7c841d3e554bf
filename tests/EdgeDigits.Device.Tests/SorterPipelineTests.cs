using System.Diagnostics;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;

namespace EdgeDigits.Device.Tests;

public class SorterPipelineTests
{
    [Fact]
    public async Task Trigger_QueueFull_DropsAndCountsThenProcessesQueued()
    {
        var o = SortRulesTests.Sorter();
        o.QueueCapacity = 2;
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var codes = new Queue<string>(["123", "250", "999"]);
        var gates = new GateSpy();
        var p = new SorterPipeline(o, async ct => { started.TrySetResult(); await release.Task; return MeterPlausibilityTests.Read(codes.Dequeue()); }, gates);
        using var cts = new CancellationTokenSource();
        var run = p.RunAsync(cts.Token);
        // The worker takes the first, two wait in the queue, the rest are dropped.
        Assert.True(p.Trigger(Stopwatch.GetTimestamp()));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(p.Trigger(Stopwatch.GetTimestamp()));
        Assert.True(p.Trigger(Stopwatch.GetTimestamp()));
        Assert.False(p.Trigger(Stopwatch.GetTimestamp()));
        Assert.Equal(1, p.Dropped);
        release.SetResult();
        await Eventually.UntilAsync(() => gates.Pulses.Count >= 3, TimeSpan.FromSeconds(5), pollMs: 10);
        Assert.Equal(["A", "B", "reject"], gates.Pulses.ToArray());
        Assert.Equal(3, p.Latency.Count);
        Assert.Equal(1, p.GateCounts["reject"]);
        cts.Cancel();
        await run;
        Assert.Equal(1, gates.AllOffCalls);
    }

    [Fact]
    public async Task Process_ReadThrows_RejectGateAndErrorCounted()
    {
        var gates = new GateSpy();
        var p = new SorterPipeline(SortRulesTests.Sorter(), _ => throw new IOException("camera gone"), gates);
        SortEvent? seen = null;
        p.Sorted += e => seen = e;
        using var cts = new CancellationTokenSource();
        var run = p.RunAsync(cts.Token);
        p.Trigger(Stopwatch.GetTimestamp());
        await Eventually.UntilAsync(() => seen is not null, TimeSpan.FromSeconds(5), pollMs: 10);
        Assert.Equal("reject", seen!.Decision.Gate);
        Assert.Contains("camera gone", seen.Decision.Reason);
        Assert.Equal(1, p.Errors);
        cts.Cancel();
        await run;
    }
}
