using System.Buffers.Binary;
using EdgeDigits.Hardware.Linux;
using EdgeDigits.Hardware.Simulation.Linux;
using EdgeDigits.Hardware.Xpt204x;
using EdgeDigits.Tests.Shared;
using SkiaSharp;

namespace EdgeDigits.Hardware.Tests.Linux;

public class LinuxDeviceEmulatorTests
{
    [Fact]
    public void FramebufferEmulator_WriterDrawsRgb565_RenderShowsThePixels()
    {
        var dir = RepoPaths.NewTempDir("fb");
        var emu = new FramebufferEmulator(Path.Combine(dir, "fb1"), 320, 240, FramebufferFormat.Rgb565);
        Assert.Equal(320 * 240 * 2, new FileInfo(emu.Path).Length);
        using var bmp = new SKBitmap(new SKImageInfo(20, 10, SKColorType.Rgba8888, SKAlphaType.Premul));
        bmp.Erase(new SKColor(255, 0, 255));
        using (var fb = emu.OpenWriter()) fb.Draw(bmp, 300, 230);

        // RGB565 magenta is F81F: the file holds it little-endian at row 230, column 300.
        var bytes = File.ReadAllBytes(emu.Path);
        var o = (230 * 320 + 300) * 2;
        Assert.Equal(0xF81F, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(o)));
        Assert.Equal(new SKColor(255, 0, 255), emu.GetPixel(319, 239));
        Assert.Equal(SKColors.Black, emu.GetPixel(299, 239));
        using var screen = emu.Render();
        Assert.Equal(new SKColor(255, 0, 255), screen.GetPixel(305, 235));
        Assert.Equal(SKColors.Black, screen.GetPixel(305, 229));
        Assert.Empty(emu.Violations);
    }

    [Fact]
    public void FramebufferEmulator_Xrgb8888WithStride_RenderReadsBgrxRows()
    {
        var dir = RepoPaths.NewTempDir("fb");
        var emu = new FramebufferEmulator(Path.Combine(dir, "fb0"), 8, 4, FramebufferFormat.Xrgb8888, stride: 40);
        using var bmp = new SKBitmap(new SKImageInfo(2, 2, SKColorType.Rgba8888, SKAlphaType.Premul));
        bmp.Erase(new SKColor(0x11, 0x22, 0x33));
        using (var fb = emu.OpenWriter()) fb.Draw(bmp, 6, 2);
        Assert.Equal(new SKColor(0x11, 0x22, 0x33), emu.GetPixel(7, 3));
        Assert.Equal(SKColors.Black, emu.GetPixel(5, 3));
        Assert.Equal(40 * 4, new FileInfo(emu.Path).Length);
    }

    [Fact]
    public void EvdevTouchEmulator_TouchMoveLift_RealReaderGetsAds7846Reports()
    {
        var dir = RepoPaths.NewTempDir("evdev");
        using var emu = new EvdevTouchEmulator(Path.Combine(dir, "event0"));
        using var reader = EvdevTouchReader.Open(emu.Path);
        emu.Touch(1200, 2400, 180);
        emu.Touch(1250, 2400, 180);
        emu.Lift();

        var down = reader.ReadReport()!.Value;
        var move = reader.ReadReport()!.Value;
        var up = reader.ReadReport()!.Value;
        Assert.Equal((1200, 2400, 180, true), (down.X, down.Y, down.Pressure, down.Touching));
        Assert.Equal((1250, 2400, true), (move.X, move.Y, move.Touching));
        Assert.Equal((false, 0), (up.Touching, up.Pressure));
        // Down: BTN_TOUCH, X, Y, pressure, SYN; move: X, SYN (unchanged values are not repeated); up: BTN_TOUCH, pressure, SYN.
        Assert.Equal(5 + 2 + 3, emu.EventsWritten);
        Assert.Equal(10, reader.Events);
        Assert.True(Math.Abs((DateTimeOffset.UnixEpoch + down.Time - DateTimeOffset.UtcNow).TotalSeconds) < 60, "event time is not CLOCK_REALTIME");
    }

    [Fact]
    public async Task EvdevTouchEmulator_OtherWriterClosesThenEmulatorDisposed_ReaderSeesEndOnlyAtDispose()
    {
        var dir = RepoPaths.NewTempDir("evdev");
        var emu = new EvdevTouchEmulator(Path.Combine(dir, "event0"));
        using var reader = EvdevTouchReader.Open(emu.Path);
        using (var w = new FileStream(emu.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
            w.Write(EvdevTouchEmulator.Encode([new(TimeSpan.FromSeconds(5), EvdevCodes.EvAbs, EvdevCodes.AbsX, 77), new(TimeSpan.FromSeconds(5), EvdevCodes.EvSyn, EvdevCodes.SynReport, 0)], InputEvent.NativeSize));
        Assert.Equal(77, reader.ReadReport()!.Value.X);
        var next = Task.Run(reader.ReadReport);
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(200)));
        emu.Dispose();
        Assert.Null(await next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(File.Exists(emu.Path));
    }

    [Fact]
    public void EvdevTouchEmulator_PathHoldsData_RefusesNamingPath()
    {
        var dir = RepoPaths.NewTempDir("evdev");
        var path = Path.Combine(dir, "event0");
        File.WriteAllText(path, "not a device");
        var ex = Assert.Throws<IOException>(() => new EvdevTouchEmulator(path));
        Assert.StartsWith($"{path}: something else is there", ex.Message);
        Assert.Equal("not a device", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromAxisRanges_EdgesMapToEdgePixelsAndToRawInverts(bool swap)
    {
        // Inverted Y (min > max), as a panel mounted upside down reports it.
        var cal = TouchCalibration.FromAxisRanges(300, 3750, 3800, 240, swap, 320, 240);
        var (rawAtLeft, rawAtRight, rawAtTop, rawAtBottom) = (300.0, 3750.0, 3800.0, 240.0);
        (double X, double Y) Map(double along, double across) => swap ? cal.Apply(across, along) : cal.Apply(along, across);
        Assert.Equal(0, Map(rawAtLeft, rawAtTop).X, 9);
        Assert.Equal(0, Map(rawAtLeft, rawAtTop).Y, 9);
        Assert.Equal(319, Map(rawAtRight, rawAtBottom).X, 9);
        Assert.Equal(239, Map(rawAtRight, rawAtBottom).Y, 9);
        Assert.Equal(159.5, Map((rawAtLeft + rawAtRight) / 2, (rawAtTop + rawAtBottom) / 2).X, 9);
        var (rx, ry) = cal.ToRaw(100, 50);
        var (x, y) = cal.Apply(rx, ry);
        Assert.Equal(100, x, 9);
        Assert.Equal(50, y, 9);
    }

    [Fact]
    public void FromAxisRanges_EmptyRange_ThrowsNamingAxis()
    {
        var ex = Assert.Throws<ArgumentException>(() => TouchCalibration.FromAxisRanges(100, 100, 0, 4095, false, 320, 240));
        Assert.StartsWith("touch axis range X 100..100 is empty", ex.Message);
    }
}
