using EdgeDigits.Hardware.Simulation.Linux;
using System.Buffers.Binary;
using System.Net;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;
using EdgeDigits.Hardware;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace EdgeDigits.Device.Tests;

/// <summary>The kiosk on the kernel's drivers: touch from an evdev event device, pixels into a Linux framebuffer.</summary>
public class KioskFramebufferEvdevTests
{
    // A landscape-mounted resistive panel as ads7846 reports it: raw Y runs along the display's x, raw X along its y, inverted.
    private const double XMin = 300, XMax = 3750, YMin = 3800, YMax = 240;

    private const ushort EvSyn = 0, EvKey = 1, EvAbs = 3, SynReport = 0, BtnTouch = 0x14A, AbsX = 0, AbsY = 1, AbsPressure = 0x18;

    /// <summary>The raw values the panel reports at display pixel (x, y) of a <paramref name="width"/> x <paramref name="height"/> display.</summary>
    private static (int RawX, int RawY) Raw(double x, double y, int width, int height) =>
        ((int)Math.Round(YMin + y / (height - 1) * (YMax - YMin)), (int)Math.Round(XMin + x / (width - 1) * (XMax - XMin)));

    /// <summary>Appends one <c>struct input_event</c> as 64-bit Linux lays it out: tv_sec, tv_usec (8 bytes each), type, code (2 each), value (4), little-endian.</summary>
    private static void Event(List<byte> into, TimeSpan t, ushort type, ushort code, int value)
    {
        var e = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(e, (long)Math.Floor(t.TotalSeconds));
        BinaryPrimitives.WriteInt64LittleEndian(e.AsSpan(8), t.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond);
        BinaryPrimitives.WriteUInt16LittleEndian(e.AsSpan(16), type);
        BinaryPrimitives.WriteUInt16LittleEndian(e.AsSpan(18), code);
        BinaryPrimitives.WriteInt32LittleEndian(e.AsSpan(20), value);
        into.AddRange(e);
    }

    private static TimeSpan Now() => DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch;

    /// <summary>Writes what ads7846 sends for a stroke, one report per point: BTN_TOUCH on the first, X/Y/pressure, SYN_REPORT; then the release.</summary>
    private static async Task WriteStrokeAsync(FileStream device, IEnumerable<(double X, double Y)> points, int width, int height, Action? afterEach = null)
    {
        var first = true;
        foreach (var (x, y) in points)
        {
            var (rx, ry) = Raw(x, y, width, height);
            var ev = new List<byte>();
            var t = Now();
            if (first) Event(ev, t, EvKey, BtnTouch, 1);
            Event(ev, t, EvAbs, AbsX, rx);
            Event(ev, t, EvAbs, AbsY, ry);
            if (first) Event(ev, t, EvAbs, AbsPressure, 180);
            Event(ev, t, EvSyn, SynReport, 0);
            device.Write(ev.ToArray());
            first = false;
            afterEach?.Invoke();
            await Task.Delay(12);
        }
        var up = new List<byte>();
        var tu = Now();
        Event(up, tu, EvKey, BtnTouch, 0);
        Event(up, tu, EvAbs, AbsPressure, 0);
        Event(up, tu, EvSyn, SynReport, 0);
        await Task.Delay(20);
        device.Write(up.ToArray());
        afterEach?.Invoke();
    }

    /// <summary>The framebuffer file read back as pixels: RGB565 (2 bytes, little-endian) or XRGB8888 (bytes B, G, R, X).</summary>
    private static SKBitmap ReadFramebuffer(string path, int width, int height, bool rgb565)
    {
        var bytes = File.ReadAllBytes(path);
        var bpp = rgb565 ? 2 : 4;
        Assert.Equal(width * height * bpp, bytes.Length);
        var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var o = (y * width + x) * bpp;
                if (rgb565)
                {
                    var v = bytes[o] | bytes[o + 1] << 8;
                    bmp.SetPixel(x, y, new SKColor((byte)((v >> 11) << 3), (byte)((v >> 5 & 0x3F) << 2), (byte)((v & 0x1F) << 3)));
                }
                else bmp.SetPixel(x, y, new SKColor(bytes[o + 2], bytes[o + 1], bytes[o]));
            }
        return bmp;
    }

    [Fact]
    public async Task Kiosk_EvdevEventsIntoEmulatedEventDevice_FramebufferFileShowsRecognizedNumber()
    {
        var dir = RepoPaths.NewTempDir("kiosk-fb");
        var fbPath = Path.Combine(dir, "fb1");
        var evPath = Path.Combine(dir, "event0");
        var frames = TestFrames.Folder("1");
        // Two strokes, one number: the pen-up pause (1.5 s) is far longer than the test's gap between the
        // strokes, so a slow, loaded machine cannot end the number after the first stroke.
        await using var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Kiosk:PenUpMs=1500",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}",
            "--EdgeDigits:Kiosk:Display=Framebuffer", $"--EdgeDigits:Kiosk:Framebuffer:Device={fbPath}",
            "--EdgeDigits:Kiosk:Touch=Evdev", $"--EdgeDigits:Kiosk:Evdev:Device={evPath}", "--EdgeDigits:Kiosk:Evdev:SwapXY=true",
            $"--EdgeDigits:Kiosk:Evdev:XMin={XMin}", $"--EdgeDigits:Kiosk:Evdev:XMax={XMax}", $"--EdgeDigits:Kiosk:Evdev:YMin={YMin}", $"--EdgeDigits:Kiosk:Evdev:YMax={YMax}");
        var hub = app.Service<ReadingHub>();
        var before = hub.Total;

        await using (var device = new FileStream(evPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            foreach (var stroke in (List<(double X, double Y)[]>)[.. TestInks.One(110), .. TestInks.Zero(210)])
            {
                await WriteStrokeAsync(device, stroke, 320, 240);
                await Task.Delay(100);
            }
        }

        var reading = await app.WaitForAsync(() => Task.FromResult(hub.Recent(50).FirstOrDefault(r => r.Mode == "kiosk" && r.Id > before)), TimeSpan.FromSeconds(10), "a kiosk reading");
        Assert.Equal("10", reading.Text);
        // The number is on the display before the reading is published: the file already holds it.
        using (var screen = ReadFramebuffer(fbPath, 320, 240, rgb565: true))
            Assert.True(KioskControllerTests.PanelShows(screen, "10", out var why), why);
        // The page's mirror is the framebuffer read back from the device file.
        using (var mirror = SKBitmap.Decode(await app.Client.GetByteArrayAsync("/api/lcd.png")))
            Assert.True(KioskControllerTests.PanelShows(mirror, "10", out var why), "mirror: " + why);
        Assert.Empty(app.Service<ModeRunner>().Board!.Part<FramebufferEmulator>()!.Violations);
    }

    [Fact]
    public async Task SimInk_EvdevKioskInSimulator_PageInkBecomesEventsAndFramebufferShowsIt()
    {
        var dir = RepoPaths.NewTempDir("kiosk-fb");
        var fbPath = Path.Combine(dir, "fb1");
        var frames = TestFrames.Folder("1");
        await using var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Kiosk:PenUpMs=300",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}", $"--EdgeDigits:Simulator:SamplesDir={RepoPaths.Samples}",
            "--EdgeDigits:Kiosk:Display=Framebuffer", $"--EdgeDigits:Kiosk:Framebuffer:Device={fbPath}", "--EdgeDigits:Kiosk:Framebuffer:Width=640",
            "--EdgeDigits:Kiosk:Framebuffer:Height=480", "--EdgeDigits:Kiosk:Framebuffer:Format=Xrgb8888",
            "--EdgeDigits:Kiosk:Touch=Evdev", $"--EdgeDigits:Kiosk:Evdev:Device={Path.Combine(dir, "event0")}", "--EdgeDigits:Kiosk:Evdev:XMin=4000", "--EdgeDigits:Kiosk:Evdev:XMax=100");
        var hub = app.Service<ReadingHub>();
        var before = hub.Total;
        Assert.Equal(HttpStatusCode.Accepted, (await app.Client.PostAsync("/api/sim/inks/7.json", null)).StatusCode);
        var reading = await app.WaitForAsync(() => Task.FromResult(hub.Recent(50).FirstOrDefault(r => r.Mode == "kiosk" && r.Id > before)), TimeSpan.FromSeconds(10), "a kiosk reading");
        Assert.Equal("7", reading.Text);
        Assert.True(app.Service<ModeRunner>().Board!.Part<EvdevTouchEmulator>()!.EventsWritten > 20);
        using var screen = ReadFramebuffer(fbPath, 640, 480, rgb565: false);
        Assert.True(KioskControllerTests.PanelShows(screen, "7", out var why, scale: 2), why);
    }

    [Fact]
    public async Task Step_EvdevOnLargeXrgbFramebuffer_InkAndNumberEnlargedTwiceAndCentred()
    {
        var dir = RepoPaths.NewTempDir("kiosk-fb");
        var o = new DeviceOptions
        {
            Modes = ["Kiosk"],
            Hardware = "Simulated",
            Displays = new DisplayOptions { Ili9341 = false },
            Pins = new PinOptions { LedOk = -1, LedBusy = -1, LedError = -1 },
            Kiosk = new KioskOptions
            {
                PenUpMs = 100,
                Display = "Framebuffer",
                Framebuffer = new FramebufferOptions { Device = Path.Combine(dir, "fb0"), Width = 800, Height = 480, Format = "Xrgb8888" },
                Touch = "Evdev",
                Evdev = new EvdevOptions { Device = Path.Combine(dir, "event1"), XMin = XMin, XMax = XMax, YMin = YMin, YMax = YMax, SwapXY = true },
            },
        };
        Assert.DoesNotContain(OptionsValidator.Validate(o, p => p), e => e.Contains("Kiosk", StringComparison.Ordinal));
        using var board = DeviceBoard.Open(o, NullLogger.Instance);
        var shown = new List<DeviceReading>();
        using var k = new KioskController(board, o.Kiosk, new RecognizerStub(new DeviceReading { Text = "47", Digits = [new("4", 0.99f, [0, 0, 1, 1]), new("7", 0.99f, [0, 0, 1, 1])] }).ReadInk, shown.Add, NullLogger.Instance);
        var touch = (EvdevKioskTouch)board.KioskTouch!;
        // 800x480 holds the 320x240 panel twice over, with 80-pixel margins left and right.
        var panel = Enumerable.Range(0, 9).Select(i => (X: 100.0 + i * 5, Y: 100.0)).ToArray();
        var display = panel.Select(p => (p.X * 2 + 80.5, p.Y * 2 + 0.5)).ToArray();
        long expected = 0;
        await using (var device = new FileStream(Path.Combine(dir, "event1"), FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
            await WriteStrokeAsync(device, display, 800, 480, () =>
            {
                expected++;
                var until = DateTime.UtcNow.AddSeconds(5);
                while (touch.Reports < expected && DateTime.UtcNow < until) Thread.Sleep(1);
                k.Step();
            });
        Assert.Equal(expected, touch.Reports);

        using (var ink = ReadFramebuffer(Path.Combine(dir, "fb0"), 800, 480, rgb565: false))
        {
            for (var x = 104; x <= 136; x += 4) Assert.True(ink.GetPixel(80 + 2 * x, 200).Red > 200, $"no ink at panel ({x},100) = display ({80 + 2 * x},200)");
            Assert.True(ink.GetPixel(80 + 2 * 120, 260).Red < 50, "ink where the pen never was");
            Assert.Equal(SKColors.Black, ink.GetPixel(40, 200));
        }
        Thread.Sleep(150);
        k.Step();
        Assert.Single(shown);
        using var screen = ReadFramebuffer(Path.Combine(dir, "fb0"), 800, 480, rgb565: false);
        Assert.True(KioskControllerTests.PanelShows(screen, "47", out var why, scale: 2, offsetX: 80), why);
        Assert.Equal(SKColors.Black, screen.GetPixel(79, 240));
        Assert.Equal(SKColors.Black, screen.GetPixel(720, 240));
    }

    [Fact]
    public void Step_EventDeviceGoesAway_ReportsFaultOnceNamingDevice()
    {
        var dir = RepoPaths.NewTempDir("kiosk-fb");
        var o = new DeviceOptions
        {
            Modes = ["Kiosk"], Hardware = "Simulated", Displays = new DisplayOptions { Ili9341 = false },
            Kiosk = new KioskOptions { Display = "Framebuffer", Framebuffer = new FramebufferOptions { Device = Path.Combine(dir, "fb1") }, Touch = "Evdev", Evdev = new EvdevOptions { Device = Path.Combine(dir, "event0") } },
        };
        using var board = DeviceBoard.Open(o, NullLogger.Instance);
        using var k = new KioskController(board, o.Kiosk, new RecognizerStub(new DeviceReading()).ReadInk, _ => { }, NullLogger.Instance);
        board.Part<EvdevTouchEmulator>()!.Dispose();
        HardwareFaultException? fault = null;
        for (var i = 0; i < 200 && fault is null; i++)
        {
            try { k.Step(); Thread.Sleep(10); }
            catch (HardwareFaultException ex) { fault = ex; }
        }
        Assert.NotNull(fault);
        Assert.Equal($"touch on {Path.Combine(dir, "event0")}: the device closed (unplugged?); touch input stopped", fault.Message);
        k.Step();
    }
}
