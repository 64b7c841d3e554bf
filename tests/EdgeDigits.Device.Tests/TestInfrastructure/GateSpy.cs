using System.Collections.Concurrent;
using EdgeDigits.Device.Modes;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>Records gate pulses (for pipeline tests that are about queueing, not GPIO).</summary>
internal sealed class GateSpy : IGateOutput
{
    public ConcurrentQueue<string> Pulses { get; } = new();
    public int AllOffCalls;
    public void Pulse(string gate, int ms) => Pulses.Enqueue(gate);
    public void AllOff() => Interlocked.Increment(ref AllOffCalls);
}
