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
    public void Read_LastWheelRolling_CountsTheDigitItIsLeaving()
    {
        var (png, windows) = MeterFrames.Frame("0.0", "7.0", "6.4");
        using var reader = new WindowMeterReader(MeterModel, windows);
        var r = reader.Read([png]);
        Assert.Equal("076", r.Text);
        Assert.NotNull(r.Outcome);
        Assert.Contains("settled", r.Outcome);
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
}
