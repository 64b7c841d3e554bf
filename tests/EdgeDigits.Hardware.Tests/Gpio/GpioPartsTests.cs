using System.Device.Gpio;
using EdgeDigits.Hardware.Gpio;
using EdgeDigits.Hardware.Simulation.Gpio;
using EdgeDigits.Hardware.Tests.TestInfrastructure;

namespace EdgeDigits.Hardware.Tests.Gpio;

public class GpioPartsTests
{
    [Fact]
    public void Gate_Pulse_DrivesPinHighForExactDuration()
    {
        using var board = new Board();
        using var gate = new Gate(PinMap.GateA, "gate A", gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        board.Advance(10);
        Assert.True(gate.Pulse(TimeSpan.FromMilliseconds(80)));
        board.Advance(200);

        var t = board.Chip.TransitionsOf(PinMap.GateA).Where(x => x.ByHost).ToArray();
        Assert.Equal(2, t.Length);
        Assert.Equal(PinValue.High, t[0].Value);
        Assert.Equal(PinValue.Low, t[1].Value);
        Assert.Equal(TimeSpan.FromMilliseconds(10), t[0].Time);
        Assert.Equal(TimeSpan.FromMilliseconds(80), t[1].Time - t[0].Time);
        Assert.False(gate.IsActive);
    }

    [Fact]
    public void Gate_SystemClockWhileThreadPoolIsStarved_PulseStillEndsOnTime()
    {
        // A solenoid must not stay energised because the thread pool is busy: block every pool thread (and
        // more, so the pool keeps injecting) for a second, then pulse 50 ms.
        var driver = new EmulatedGpioDriver(TimeProvider.System);
        using var gpio = new GpioController(driver);
        using var gate = new Gate(PinMap.GateA, "gate A", gpio: gpio, shouldDispose: false);
        var release = new ManualResetEventSlim(); // not disposed: queued blockers may start after the test
        var blockers = Math.Max(64, Environment.ProcessorCount * 8);
        for (var i = 0; i < blockers; i++) ThreadPool.UnsafeQueueUserWorkItem(_ => release.Wait(TimeSpan.FromSeconds(1.5)), null);
        try
        {
            Thread.Sleep(50);
            Assert.True(gate.Pulse(TimeSpan.FromMilliseconds(50)));
            Thread.Sleep(400);
            Assert.False(gate.IsActive, "the gate is still energised 400 ms into a 50 ms pulse");
            var t = driver.TransitionsOf(PinMap.GateA).Where(x => x.ByHost).ToArray();
            Assert.Equal([PinValue.High, PinValue.Low], t[^2..].Select(x => x.Value).ToArray());
            // Generous on a loaded machine; a pool-timed end took 400 ms and more here.
            Assert.InRange((t[^1].Time - t[^2].Time).TotalMilliseconds, 45, 250);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void Gate_PulseAfterDispose_Throws()
    {
        var driver = new EmulatedGpioDriver(TimeProvider.System);
        using var gpio = new GpioController(driver);
        var gate = new Gate(PinMap.GateA, "gate A", gpio: gpio, shouldDispose: false);
        gate.Dispose();
        Assert.Throws<ObjectDisposedException>(() => gate.Pulse(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(PinValue.Low, driver.GetLevel(PinMap.GateA));
    }

    [Fact]
    public void Gate_PulseWithinMinimumInterval_IsRefusedAndPinUntouched()
    {
        using var board = new Board();
        using var gate = new Gate(PinMap.GateB, "gate B", minimumInterval: TimeSpan.FromMilliseconds(300), gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        Assert.True(gate.Pulse(TimeSpan.FromMilliseconds(50)));
        board.Advance(100);
        Assert.False(gate.Pulse(TimeSpan.FromMilliseconds(50)));
        board.Advance(200);
        Assert.True(gate.Pulse(TimeSpan.FromMilliseconds(50)));
        board.Advance(100);

        Assert.Equal(1, gate.RefusedPulses);
        Assert.Equal(4, board.Chip.TransitionsOf(PinMap.GateB).Count);
    }

    [Fact]
    public void Gate_PulseLongerThanMaximum_ThrowsNamingGateAndPin()
    {
        using var board = new Board();
        using var gate = new Gate(PinMap.GateC, "gate C", maximumPulse: TimeSpan.FromMilliseconds(500), gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => gate.Pulse(TimeSpan.FromSeconds(5)));
        Assert.Contains("gate C (GPIO16)", ex.Message);
        Assert.Equal(PinValue.Low, board.Chip.GetLevel(PinMap.GateC));
    }

    [Fact]
    public void GateBank_AllOff_CancelsRunningPulses()
    {
        using var board = new Board();
        var a = new Gate(PinMap.GateA, "A", gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        var reject = new Gate(PinMap.GateReject, "reject", activeHigh: false, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        using var bank = new GateBank([a, reject]);
        Assert.Equal(PinValue.High, board.Chip.GetLevel(PinMap.GateReject)); // active-low relay idles high
        bank["A"].Pulse(TimeSpan.FromMilliseconds(500));
        bank["reject"].Pulse(TimeSpan.FromMilliseconds(500));
        Assert.Equal(PinValue.High, board.Chip.GetLevel(PinMap.GateA));
        Assert.Equal(PinValue.Low, board.Chip.GetLevel(PinMap.GateReject));
        board.Advance(20);
        bank.AllOff();
        Assert.Equal(PinValue.Low, board.Chip.GetLevel(PinMap.GateA));
        Assert.Equal(PinValue.High, board.Chip.GetLevel(PinMap.GateReject));
        board.Advance(1000);
        Assert.Equal(2, board.Chip.TransitionsOf(PinMap.GateA).Count); // on, off: the cancelled timer never fired
        Assert.Equal(3, board.Chip.TransitionsOf(PinMap.GateReject).Count); // idle high at open, on, off
        Assert.Throws<KeyNotFoundException>(() => bank["Z"]);
    }

    [Fact]
    public void Gate_MissingPin_ThrowsHardwareUnavailableNamingPin()
    {
        using var board = new Board();
        board.Chip.MarkMissing(PinMap.GateA);
        var ex = Assert.Throws<HardwareUnavailableException>(() => new Gate(PinMap.GateA, "gate A", gpio: board.Gpio, shouldDispose: false, time: board.Clock));
        Assert.Contains("gate A output pin GPIO12", ex.Message);
    }

    [Fact]
    public void TriggerInput_TwoMillisecondGlitch_IsRejected()
    {
        using var board = new Board();
        using var trigger = new TriggerInput(PinMap.Trigger, debounce: TimeSpan.FromMilliseconds(5), gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        var events = new List<TriggerEvent>();
        trigger.Triggered += events.Add;

        board.Advance(10);
        board.Chip.Drive(PinMap.Trigger, PinValue.Low);
        board.Advance(2);
        board.Chip.Drive(PinMap.Trigger, null);
        board.Advance(50);

        Assert.Empty(events);
        Assert.Equal(2, trigger.RawEdges);
        Assert.Equal(1, trigger.RejectedGlitches);
        Assert.False(trigger.IsActive);
    }

    [Fact]
    public void TriggerInput_BouncyBeamBreak_ReportsOneEventAtFirstEdge()
    {
        using var board = new Board();
        using var trigger = new TriggerInput(PinMap.Trigger, debounce: TimeSpan.FromMilliseconds(5), edges: TriggerEdges.Both, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        var events = new List<TriggerEvent>();
        trigger.Triggered += events.Add;
        var start = board.Clock.GetUtcNow();

        board.Advance(20);
        for (var i = 0; i < 3; i++) // contact bounce: 0.3 ms pieces
        {
            board.Chip.Drive(PinMap.Trigger, PinValue.Low);
            board.Advance(0.3);
            board.Chip.Drive(PinMap.Trigger, null);
            board.Advance(0.3);
        }
        board.Chip.Drive(PinMap.Trigger, PinValue.Low);
        board.Advance(40);
        board.Chip.Drive(PinMap.Trigger, null);
        board.Advance(40);

        Assert.Equal(2, events.Count);
        Assert.True(events[0].Active);
        Assert.Equal(TimeSpan.FromMilliseconds(20), events[0].At - start);
        Assert.False(events[1].Active);
        Assert.Equal(8, trigger.RawEdges);
    }

    [Fact]
    public void Led_BlinkThreeTimes_TogglesWithConfiguredTimesAndEndsOff()
    {
        using var board = new Board();
        using var led = new Led(PinMap.LedBusy, "busy LED", gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        led.Blink(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), count: 3);
        board.Advance(5000);
        var t = board.Chip.TransitionsOf(PinMap.LedBusy);
        Assert.Equal(6, t.Count);
        for (var i = 0; i < 6; i += 2)
        {
            Assert.Equal(PinValue.High, t[i].Value);
            Assert.Equal(TimeSpan.FromMilliseconds(100), t[i + 1].Time - t[i].Time);
            if (i + 2 < 6) Assert.Equal(TimeSpan.FromMilliseconds(400), t[i + 2].Time - t[i + 1].Time);
        }
        Assert.False(led.IsOn);
        Assert.False(led.IsBlinking);
    }

    [Fact]
    public void Led_OnDuringBlink_StopsBlinkAndStaysOn()
    {
        using var board = new Board();
        using var led = new Led(PinMap.LedOk, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        led.Blink(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        board.Advance(75);
        led.On();
        board.Advance(1000);
        Assert.Equal(PinValue.High, board.Chip.GetLevel(PinMap.LedOk));
        Assert.Equal(3, board.Chip.TransitionsOf(PinMap.LedOk).Count);
    }
}

public class GpioFaultTests
{
    [Fact]
    public void Gate_PinWriteFails_ThrowsHardwareFaultNamingGateAndPin()
    {
        using var board = new Board();
        using var gate = new Gate(PinMap.GateReject, "reject", gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        board.Chip.FailWrites(PinMap.GateReject);
        var ex = Assert.Throws<HardwareFaultException>(() => gate.Pulse(TimeSpan.FromMilliseconds(50)));
        Assert.StartsWith("reject output pin GPIO26: cannot switch on", ex.Message);
        board.Chip.FailWrites(PinMap.GateReject, false);
    }

    [Fact]
    public void GateBank_AllOffWithOneBrokenGate_StillSwitchesTheOthersOff()
    {
        using var board = new Board();
        var a = new Gate(PinMap.GateA, "A", gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        var b = new Gate(PinMap.GateB, "B", gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        using var bank = new GateBank([a, b]);
        a.Pulse(TimeSpan.FromMilliseconds(500));
        b.Pulse(TimeSpan.FromMilliseconds(500));
        board.Chip.FailWrites(PinMap.GateA);
        var ex = Assert.Throws<AggregateException>(() => bank.AllOff());
        Assert.Contains("A output pin GPIO12", ex.InnerExceptions[0].Message);
        Assert.Equal(System.Device.Gpio.PinValue.Low, board.Chip.GetLevel(PinMap.GateB));
        board.Chip.FailWrites(PinMap.GateA, false);
    }
}

public class GpioTimerFaultTests
{
    [Fact]
    public void Gate_PinFailsBeforePulseEnds_FaultRecordedNotThrownOnTimer()
    {
        using var board = new Board();
        using var gate = new Gate(PinMap.GateC, "C", gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        gate.Pulse(TimeSpan.FromMilliseconds(30));
        board.Chip.FailWrites(PinMap.GateC);
        board.Advance(100);
        Assert.NotNull(gate.LastFault);
        Assert.Contains("C output pin GPIO16: cannot switch off", gate.LastFault!.Message);
        board.Chip.FailWrites(PinMap.GateC, false);
    }

    [Fact]
    public void TriggerInput_HandlerThrows_FaultRecordedAndNextEdgeStillReported()
    {
        using var board = new Board();
        using var trigger = new TriggerInput(PinMap.Trigger, edges: TriggerEdges.Both, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        var n = 0;
        trigger.Triggered += _ => { n++; throw new InvalidOperationException("app bug"); };
        board.Chip.Drive(PinMap.Trigger, System.Device.Gpio.PinValue.Low);
        board.Advance(20);
        board.Chip.Drive(PinMap.Trigger, null);
        board.Advance(20);
        Assert.Equal(2, n);
        Assert.Equal("app bug", trigger.LastFault!.Message);
    }
}

public class EmulatedGpioDriverTests
{
    [Fact]
    public void Transitions_BeyondLimit_KeepsMostRecent()
    {
        using var board = new Board();
        board.Chip.MaxRecordedTransitions = 100;
        board.Gpio.OpenPin(PinMap.LedOk, System.Device.Gpio.PinMode.Output);
        for (var i = 0; i < 1000; i++)
        {
            board.Gpio.Write(PinMap.LedOk, i % 2 == 0 ? System.Device.Gpio.PinValue.High : System.Device.Gpio.PinValue.Low);
            board.Advance(1);
        }
        var t = board.Chip.Transitions;
        Assert.InRange(t.Count, 100, 200);
        Assert.Equal(TimeSpan.FromMilliseconds(999), t[^1].Time);
        Assert.Equal(1000 - t.Count, board.Chip.DroppedTransitions);
    }

    [Fact]
    public async Task WaitForEvent_FallingEdgeFromAnotherThread_Returns()
    {
        using var board = new Board();
        board.Gpio.OpenPin(PinMap.Trigger, System.Device.Gpio.PinMode.InputPullUp);
        var driver = Task.Run(async () =>
        {
            await Task.Delay(50);
            board.Chip.Drive(PinMap.Trigger, System.Device.Gpio.PinValue.Low);
        });
        var r = board.Gpio.WaitForEvent(PinMap.Trigger, System.Device.Gpio.PinEventTypes.Falling, TimeSpan.FromSeconds(10));
        Assert.False(r.TimedOut);
        Assert.Equal(System.Device.Gpio.PinEventTypes.Falling, r.EventTypes);
        await driver;
        var timeout = board.Gpio.WaitForEvent(PinMap.Trigger, System.Device.Gpio.PinEventTypes.Rising, TimeSpan.FromMilliseconds(50));
        Assert.True(timeout.TimedOut);
    }
}
