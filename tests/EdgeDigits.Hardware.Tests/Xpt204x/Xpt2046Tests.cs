using System.Device.Gpio;
using System.Device.Spi;
using EdgeDigits.Hardware.Simulation.Xpt204x;
using EdgeDigits.Hardware.Tests.TestInfrastructure;
using EdgeDigits.Hardware.Xpt204x;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Hardware.Tests.Xpt204x;

public class Xpt2046Tests
{
    private sealed class Rig : IDisposable
    {
        public Board Board { get; } = new();
        public Xpt2046Emulator Chip { get; }
        public Xpt2046 Touch { get; }

        public Rig(bool wirePenIrq = true)
        {
            Chip = new Xpt2046Emulator(Board.Chip, wirePenIrq ? PinMap.Xpt2046PenIrq : -1);
            Touch = new Xpt2046(Chip, wirePenIrq ? PinMap.Xpt2046PenIrq : -1, Board.Gpio, shouldDispose: false, time: Board.Clock);
        }

        public void Dispose()
        {
            Touch.Dispose();
            Board.Dispose();
        }
    }

    [Fact]
    public void ReadRaw_PenDown_ReturnsPanelCountsAndPressure()
    {
        using var rig = new Rig();
        rig.Chip.Touch(100, 50, pressure: 0.8);
        var r = rig.Touch.ReadRaw();
        var (ex, ey) = rig.Chip.Panel.ToRaw(100, 50);
        Assert.True(r.IsTouched);
        Assert.InRange(r.RawX, ex - 12, ex + 12);
        Assert.InRange(r.RawY, ey - 12, ey + 12);
        Assert.InRange(r.ResistanceOhms, 800 * 0.85, 800 * 1.15); // pressure 0.8 -> 800 ohm in the panel model
        Assert.Equal(0, rig.Chip.UnexpectedModes);
        Assert.Equal(2 * 5 + 3, rig.Chip.Conversions);
        Assert.Equal(27, rig.Touch.BytesPerReading);
    }

    [Fact]
    public void ReadRaw_NoPen_IsNotTouched()
    {
        using var rig = new Rig();
        var r = rig.Touch.ReadRaw();
        Assert.False(r.IsTouched);
        Assert.Equal(0, r.Z1);
        Assert.Null(rig.Touch.ReadTouch());
    }

    [Fact]
    public void ReadRaw_FeatherPress_IsBelowThreshold()
    {
        using var rig = new Rig();
        rig.Chip.Touch(160, 120, pressure: 0.15); // 2750 ohm
        var r = rig.Touch.ReadRaw();
        Assert.False(r.IsTouched);
        Assert.True(r.ResistanceOhms > rig.Touch.PressureThresholdOhms);
    }

    [Theory]
    [InlineData(TouchFilter.Median)]
    [InlineData(TouchFilter.TrimmedMean)]
    public void ReadRaw_OneSpikeAmongFiveSamples_IsFilteredOut(TouchFilter filter)
    {
        using var rig = new Rig();
        rig.Chip.Noise = 0;
        rig.Touch.Filter = filter;
        rig.Chip.Touch(200, 100);
        rig.Chip.InjectSpikes(1);
        var r = rig.Touch.ReadRaw();
        var (ex, _) = rig.Chip.Panel.ToRaw(200, 100);
        Assert.True(r.IsTouched);
        Assert.Equal((int)Math.Round(ex), r.RawX);
    }

    [Fact]
    public void ReadRaw_ThreeSpikes_MarksReadingNoisyNotTouched()
    {
        using var rig = new Rig();
        rig.Chip.Noise = 0;
        rig.Chip.Touch(200, 100);
        rig.Chip.InjectSpikes(3);
        var r = rig.Touch.ReadRaw();
        Assert.True(r.IsNoisy);
        Assert.False(r.IsTouched);
    }

    [Fact]
    public void IsPenDown_FollowsPenIrqPin()
    {
        using var rig = new Rig();
        Assert.False(rig.Touch.IsPenDown);
        rig.Chip.Touch(10, 10);
        Assert.Equal(PinValue.Low, rig.Board.Chip.GetLevel(PinMap.Xpt2046PenIrq));
        Assert.True(rig.Touch.IsPenDown);
        rig.Chip.Lift();
        Assert.False(rig.Touch.IsPenDown);
    }

    [Fact]
    public void PenDown_EventRaisedOnPenIrqEdgeOnly()
    {
        using var rig = new Rig();
        var count = 0;
        rig.Touch.PenDown += () => count++;
        rig.Touch.StartWatching();
        rig.Chip.Touch(50, 50);
        for (var i = 0; i < 5; i++)
        {
            rig.Touch.ReadRaw(); // each reading toggles PENIRQ (disabled during conversions): not new touches
            rig.Board.Advance(10);
        }
        Assert.True(rig.Board.Chip.TransitionsOf(PinMap.Xpt2046PenIrq).Count >= 10);
        rig.Chip.Lift();
        rig.Chip.Touch(60, 60);
        Assert.Equal(2, count);
    }

    [Fact]
    public void WaitForPenDown_PollingWithoutPin_TimesOutInVirtualTimeThenSeesPen()
    {
        using var rig = new Rig(wirePenIrq: false);
        Assert.False(rig.Touch.WaitForPenDown(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(TimeSpan.FromMilliseconds(200), rig.Board.Clock.Elapsed);
        rig.Chip.Touch(5, 5);
        Assert.True(rig.Touch.WaitForPenDown(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void Calibrator_ThreeTargets_CalibratedTouchWithinTwoPixels()
    {
        using var rig = new Rig();
        var calibrator = new TouchCalibrator(rig.Touch, rig.Board.Clock);
        var shown = new List<(int, int)>();
        var cal = calibrator.Run(320, 240, (i, x, y) =>
        {
            shown.Add((x, y));
            // The user presses on the target 50 ms after it appears and lifts 400 ms later.
            rig.Board.Clock.CreateTimer(_ => rig.Chip.Touch(x, y, 0.7), null, TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
            rig.Board.Clock.CreateTimer(_ => rig.Chip.Lift(), null, TimeSpan.FromMilliseconds(450), Timeout.InfiniteTimeSpan);
        });
        Assert.Equal(3, shown.Count);
        rig.Touch.Calibration = cal;

        var rnd = new Random(7);
        for (var i = 0; i < 25; i++)
        {
            double x = rnd.Next(10, 310), y = rnd.Next(10, 230);
            rig.Chip.Touch(x, y);
            var p = rig.Touch.ReadTouch();
            Assert.NotNull(p);
            Assert.True(Math.Abs(p.Value.X - x) <= 2 && Math.Abs(p.Value.Y - y) <= 2, $"touch at ({x},{y}) read as ({p.Value.X:F1},{p.Value.Y:F1})");
        }
    }

    [Fact]
    public void Calibrator_NobodyTouches_TimesOutNamingTarget()
    {
        using var rig = new Rig();
        var calibrator = new TouchCalibrator(rig.Touch, rig.Board.Clock) { TargetTimeout = TimeSpan.FromSeconds(2) };
        var ex = Assert.Throws<TimeoutException>(() => calibrator.Run(320, 240, (_, _, _) => { }));
        Assert.Contains("XPT2046 on /dev/spidev0.1: no steady press on calibration target 1 at (48,36)", ex.Message);
    }

    [Fact]
    public void TouchCalibration_SaveLoad_RoundTripsAndMapsTargetsExactly()
    {
        var pts = new[] { new CalibrationPoint(48, 36, 3300, 820), new CalibrationPoint(272, 120, 2060, 3230), new CalibrationPoint(96, 204, 790, 1340) };
        var cal = TouchCalibration.FromPoints(pts, 320, 240);
        foreach (var p in pts)
        {
            var (x, y) = cal.Apply(p.RawX, p.RawY);
            Assert.Equal(p.DisplayX, x, 6);
            Assert.Equal(p.DisplayY, y, 6);
        }
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "touch.json");
        cal.Save(path);
        Assert.Equal(cal, TouchCalibration.Load(path));
        File.WriteAllText(path, "{\"A\":0}");
        var bad = Assert.Throws<FormatException>(() => TouchCalibration.Load(path));
        Assert.Contains(path, bad.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TouchCalibration_CollinearPoints_ThrowsClearError()
    {
        var pts = new[] { new CalibrationPoint(48, 36, 1000, 1000), new CalibrationPoint(272, 120, 2000, 2000), new CalibrationPoint(96, 204, 3000, 3000) };
        var ex = Assert.Throws<ArgumentException>(() => TouchCalibration.FromPoints(pts, 320, 240));
        Assert.Contains("on one line", ex.Message);
    }

    [Fact]
    public void ReadRaw_SpiFaultOnce_IsRetried_PersistentFault_ThrowsNamingDevice()
    {
        using var rig = new Rig();
        rig.Chip.Touch(100, 100);
        rig.Chip.InjectFailures(1);
        Assert.True(rig.Touch.ReadRaw().IsTouched);
        rig.Chip.InjectFailures(10);
        var ex = Assert.Throws<HardwareFaultException>(() => rig.Touch.ReadRaw());
        Assert.StartsWith("XPT2046 on /dev/spidev0.1: transfer failed 3 times", ex.Message);
    }

    [Fact]
    public void Constructor_ClockAboveDatasheetMaximum_Throws()
    {
        using var board = new TestInfrastructure.Board();
        var chip = new Xpt2046Emulator(board.Chip, clockHz: 4_000_000);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Xpt2046(chip));
        Assert.Contains("4000000 Hz is above", ex.Message);
    }

    [Theory]
    [InlineData(2_000_000, 5, 9259)]
    [InlineData(2_500_000, 5, 11574)]
    [InlineData(2_000_000, 1, 22727)]
    public void EstimateReadingsPerSecond_ClockAndSamples_GivesRate(int clock, int samples, int expected)
    {
        Assert.Equal(expected, (int)Xpt2046.EstimateReadingsPerSecond(clock, samples));
    }
}

public class TouchSamplerTests
{
    [Fact]
    public void Step_StrokeWithOneDropout_GivesDownMovesAndOneUp()
    {
        using var board = new Board();
        var chip = new Xpt2046Emulator(board.Chip, PinMap.Xpt2046PenIrq) { Noise = 0 };
        using var touch = new Xpt2046(chip, PinMap.Xpt2046PenIrq, board.Gpio, shouldDispose: false, time: board.Clock);
        touch.Calibration = CalibrationFor(chip);
        var sampler = new TouchSampler(touch, board.Clock);
        var events = new List<TouchEvent>();
        void Step()
        {
            if (sampler.Step() is { } e) events.Add(e);
            board.Advance(10);
        }

        for (var i = 0; i < 10; i++)
        {
            if (i == 5) chip.Lift(); // one sample without contact mid-stroke
            else chip.Touch(100 + i * 5, 120);
            Step();
        }
        chip.Lift();
        for (var i = 0; i < 5; i++) Step();

        Assert.Equal(TouchEventKind.Down, events[0].Kind);
        Assert.Equal(100, events[0].X, 0);
        Assert.Single(events, e => e.Kind == TouchEventKind.Up);
        Assert.Equal(TouchEventKind.Up, events[^1].Kind);
        Assert.Equal(145, events[^1].X, 0);
        Assert.Equal(8, events.Count(e => e.Kind == TouchEventKind.Move));
        Assert.Equal(TimeSpan.FromMilliseconds(120), events[^1].Time); // third empty reading after the lift at 100 ms
    }

    private static TouchCalibration CalibrationFor(Xpt2046Emulator chip) =>
        TouchCalibration.FromPoints(new[] { (48.0, 36.0), (272.0, 120.0), (96.0, 204.0) }.Select(p =>
        {
            var (rx, ry) = chip.Panel.ToRaw(p.Item1, p.Item2);
            return new CalibrationPoint(p.Item1, p.Item2, rx, ry);
        }).ToList(), 320, 240);
}
