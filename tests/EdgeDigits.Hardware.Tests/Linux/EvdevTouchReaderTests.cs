using EdgeDigits.Hardware.Linux;
using EdgeDigits.Hardware.Xpt204x;

namespace EdgeDigits.Hardware.Tests.Linux;

public class EvdevTouchReaderTests
{
    // The event order the kernel's ads7846 driver produces for: pen down at (1200, 2400), a move
    // where only X changes, then release; with 64-bit timevals.
    private static byte[] Ads7846Stroke(int size, bool withDrop = false)
    {
        var t = TimeSpan.FromSeconds(1_700_000_000);
        var events = new List<InputEvent>
        {
            new(t, EvdevCodes.EvKey, EvdevCodes.BtnTouch, 1),
            new(t, EvdevCodes.EvAbs, EvdevCodes.AbsX, 1200),
            new(t, EvdevCodes.EvAbs, EvdevCodes.AbsY, 2400),
            new(t, EvdevCodes.EvAbs, EvdevCodes.AbsPressure, 180),
            new(t, EvdevCodes.EvSyn, EvdevCodes.SynReport, 0),
        };
        if (withDrop)
        {
            events.Add(new(t, EvdevCodes.EvSyn, EvdevCodes.SynDropped, 0));
            events.Add(new(t, EvdevCodes.EvAbs, EvdevCodes.AbsX, 9999));
            events.Add(new(t, EvdevCodes.EvSyn, EvdevCodes.SynReport, 0));
        }
        t += TimeSpan.FromMilliseconds(10);
        events.Add(new(t, EvdevCodes.EvAbs, EvdevCodes.AbsX, 1250));
        events.Add(new(t, EvdevCodes.EvSyn, EvdevCodes.SynReport, 0));
        t += TimeSpan.FromMilliseconds(10);
        events.Add(new(t, EvdevCodes.EvKey, EvdevCodes.BtnTouch, 0));
        events.Add(new(t, EvdevCodes.EvAbs, EvdevCodes.AbsPressure, 0));
        events.Add(new(t, EvdevCodes.EvSyn, EvdevCodes.SynReport, 0));
        var bytes = new byte[events.Count * size];
        for (var i = 0; i < events.Count; i++) events[i].WriteTo(bytes.AsSpan(i * size, size), size);
        return bytes;
    }

    [Theory]
    [InlineData(InputEvent.Size64)]
    [InlineData(InputEvent.Size32)]
    public void ReadReport_Ads7846StrokeInOddChunks_ReturnsDownMoveUp(int size)
    {
        using var reader = new EvdevTouchReader(new ChunkedStream(Ads7846Stroke(size), [7, 1, 30, 13]), eventSize: size);
        var down = reader.ReadReport();
        var move = reader.ReadReport();
        var up = reader.ReadReport();
        Assert.Null(reader.ReadReport());

        Assert.Equal(new EvdevTouchReport(1200, 2400, 180, true, TimeSpan.FromSeconds(1_700_000_000)), down);
        Assert.Equal(new EvdevTouchReport(1250, 2400, 180, true, TimeSpan.FromSeconds(1_700_000_000) + TimeSpan.FromMilliseconds(10)), move);
        Assert.False(up!.Value.Touching);
        Assert.Equal(0, up.Value.Pressure);
        Assert.Equal(10, reader.Events);
    }

    [Fact]
    public void ReadReport_SynDropped_DiscardsUntilNextReport()
    {
        using var reader = new EvdevTouchReader(new MemoryStream(Ads7846Stroke(24, withDrop: true)), eventSize: 24);
        var reports = new List<EvdevTouchReport>();
        while (reader.ReadReport() is { } r) reports.Add(r);
        Assert.Equal(3, reports.Count);
        Assert.DoesNotContain(reports, r => r.X == 9999);
        Assert.Equal(1, reader.DroppedReports);
    }

    [Fact]
    public async Task ReadReportsAsync_Stroke_YieldsAllReports()
    {
        using var reader = new EvdevTouchReader(new ChunkedStream(Ads7846Stroke(24), [5]), eventSize: 24);
        var n = 0;
        await foreach (var _ in reader.ReadReportsAsync()) n++;
        Assert.Equal(3, n);
    }

    [Fact]
    public void Map_WithCalibration_GivesDisplayPixels()
    {
        var cal = new TouchCalibration(0, 0.1, -20, -0.05, 0, 250, 320, 240);
        var (x, y) = new EvdevTouchReport(1200, 2400, 100, true, default).Map(cal);
        Assert.Equal(220, x, 6);
        Assert.Equal(190, y, 6);
    }

    [Fact]
    public void Open_MissingDevice_ThrowsNamingPath()
    {
        var ex = Assert.Throws<HardwareUnavailableException>(() => EvdevTouchReader.Open("/dev/input/event-nonexistent"));
        Assert.StartsWith("touch on /dev/input/event-nonexistent: no such input device", ex.Message);
    }
}

public class EvdevFaultTests
{
    private sealed class FailingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("No such device");
    }

    [Fact]
    public void ReadReport_DeviceGone_ThrowsHardwareFaultNamingDevice()
    {
        using var reader = new EvdevTouchReader(new FailingStream(), "touch on /dev/input/event3", 24);
        var ex = Assert.Throws<HardwareFaultException>(() => reader.ReadReport());
        Assert.StartsWith("touch on /dev/input/event3: read failed (device unplugged?)", ex.Message);
    }

    [Fact]
    public void Constructor_BadEventSize_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EvdevTouchReader(new MemoryStream(), eventSize: 20));
    }
}
