using System.Device.Gpio;
using EdgeDigits.Hardware.Gpio;
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
