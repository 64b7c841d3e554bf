using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Tests.TestInfrastructure;

namespace EdgeDigits.Device.Tests;

/// <summary>Meter mode's digit-window reader with the shipped meter wheel model, on a frame composed of the real windows in samples/meter-windows.</summary>
public sealed class WindowMeterReaderTests
{
    private static string MeterModel => Path.Combine(RepoPaths.Models, "meter-int8.onnx");

    [Fact]
    public void Read_FrameOfCleanRealWindows_ReadsTheMeterValue()
    {
        var (png, windows) = MeterFrames.Frame("0.0", "7.0", "9.0", "1.0");
        using var reader = new WindowMeterReader(MeterModel, windows);
        var r = reader.Read([png]);
        Assert.Equal("0791", r.Text);
        Assert.Equal(4, r.Digits.Count);
        Assert.Equal(new[] { 10, 14, 20, 32 }, r.Digits[0].Box);
        Assert.All(r.Digits, d => Assert.True(d.Confidence > 0.3f, $"{d.Digit} {d.Confidence}"));
    }

    [Fact]
    public void Read_LastWheelRolling_CountsTheFloorAndGivesItsRollAsThePosition()
    {
        var (png, windows) = MeterFrames.Frame("0.0", "7.0", "6.4");
        using var reader = new WindowMeterReader(MeterModel, windows);
        var r = reader.Read([png]);
        Assert.Equal("076", r.Text);
        Assert.InRange(r.Position!.Value, 76.3, 76.5);
    }

    [Fact]
    public void Read_WindowOutsideFrame_ThrowsNamingIt()
    {
        var (png, windows) = MeterFrames.Frame("0.0");
        windows.Add(new RectOptions { X = 150, Y = 40, Width = 20, Height = 32 });
        using var reader = new WindowMeterReader(MeterModel, windows);
        var ex = Assert.Throws<ArgumentException>(() => reader.Read([png]));
        Assert.Equal("window 150,40,20,32 reaches outside the 160x60 frame", ex.Message);
    }

    [Fact]
    public void Read_CorruptFrame_ThrowsImageFormatException()
    {
        using var reader = new WindowMeterReader(MeterModel, [new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 }]);
        Assert.Throws<ImageFormatException>(() => reader.Read([[0xFF, 0xD8, 0xFF, 0x00, 0x01]]));
    }

    [Fact]
    public void Create_WithDigitModel_RefusesIt()
    {
        var ex = Assert.Throws<ModelLoadException>(() => new WindowMeterReader(Path.Combine(RepoPaths.Models, "digits-int8.onnx"), [new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 }]));
        Assert.Contains("not a meter wheel model", ex.Message);
    }

    [Fact]
    public void Read_BurstOfThreeFrames_CombinesEachWheel()
    {
        var (png, windows) = MeterFrames.Frame("0.0", "7.0", "9.0", "1.0");
        using var reader = new WindowMeterReader(MeterModel, windows, burst: 3);
        Assert.Equal(3, reader.FramesPerReading);
        var r = reader.Read([png, png, png]);
        Assert.Equal("0791", r.Text);
    }

    private static string SampleValue => Core.Synthesis.MeterFace.SampleValues[0];

    [Theory]
    [InlineData("Marks", 11, -7, 3.0)]
    [InlineData("Marks", -6, 4, -2.5)]
    [InlineData("Registration", 8, 6, -2.5)]
    public void Read_RealFrameMovedByTheTest_AlignedAndRead(string mode, double dx, double dy, double degrees)
    {
        var windows = SampleMeter.Windows;
        using var reader = new WindowMeterReader(MeterModel, windows, aligner: SampleMeter.Alignment(mode).OpenAligner(windows, p => p));
        var r = reader.Read([SampleMeter.Moved(dx, dy, degrees, gain: 0.9)]);
        Assert.Equal(SampleValue, r.Text);
        Assert.Contains("aligned 0.", r.Outcome);
        // Each window is reported where it was cut: its reference box moved with the camera.
        var moved = Core.Meters.Alignment.FrameTransform.FromShiftRotation(dx, dy, degrees, 1, 319.5, 239.5);
        for (var i = 0; i < windows.Count; i++)
        {
            var shift = moved.ShiftAt(windows[i].X + windows[i].Width / 2.0, windows[i].Y + windows[i].Height / 2.0);
            Assert.InRange(r.Digits[i].Box[0] - windows[i].X - shift.X, -1.5, 1.5);
            Assert.InRange(r.Digits[i].Box[1] - windows[i].Y - shift.Y, -1.5, 1.5);
        }
    }

    [Fact]
    public void Read_ReferenceMarkCovered_RefusedWithTheReason()
    {
        var windows = SampleMeter.Windows;
        using var reader = new WindowMeterReader(MeterModel, windows, aligner: SampleMeter.Alignment().OpenAligner(windows, p => p));
        var ex = Assert.Throws<FrameRefusedException>(() => reader.Read([SampleMeter.Covered(SampleMeter.Layout.Marks[1])]));
        Assert.StartsWith("frame not aligned: reference mark 2 not found: score ", ex.Message);
        Assert.EndsWith(" < 0.60", ex.Message);
    }

    [Fact]
    public void Read_MovedFurtherThanTheSearchRadius_Refused()
    {
        // -4° about the centre and (-14, 9) carry mark 1 about 37 px away, beyond the layout's SearchRadius of 24.
        var windows = SampleMeter.Windows;
        using var reader = new WindowMeterReader(MeterModel, windows, aligner: SampleMeter.Alignment().OpenAligner(windows, p => p));
        var ex = Assert.Throws<FrameRefusedException>(() => reader.Read([SampleMeter.Moved(-14, 9, -4)]));
        Assert.StartsWith("frame not aligned: reference mark 1 not found: score ", ex.Message);
    }

    [Fact]
    public void Read_FrameOfAnotherSize_RefusedNamingBothSizes()
    {
        var windows = SampleMeter.Windows;
        using var reader = new WindowMeterReader(MeterModel, windows, aligner: SampleMeter.Alignment().OpenAligner(windows, p => p));
        var (small, _) = MeterFrames.Frame("0.0");
        var ex = Assert.Throws<FrameRefusedException>(() => reader.Read([small]));
        Assert.Equal("frame not aligned: frame is 160x60, the reference 640x480", ex.Message);
    }

    [Fact]
    public void Read_BurstWithOneFrameNotAligned_ReadsTheOthersAndSaysSo()
    {
        var windows = SampleMeter.Windows;
        using var reader = new WindowMeterReader(MeterModel, windows, burst: 2, aligner: SampleMeter.Alignment().OpenAligner(windows, p => p));
        var r = reader.Read([SampleMeter.Covered(SampleMeter.Layout.Marks[0]), SampleMeter.Moved(5, 3, 1)]);
        Assert.Equal(SampleValue, r.Text);
        Assert.Contains("1 of 2 frames not aligned (reference mark 1 not found", r.Outcome);
    }
}
