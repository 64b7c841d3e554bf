using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Tests.TestInfrastructure;

namespace EdgeDigits.Device.Tests;

internal static class OptionsExtensions
{
    public static DeviceOptions WithSorterCamera(this DeviceOptions o)
    {
        o.Sorter.Camera = new CameraOptions { Kind = "Mjpeg", Command = "ffmpeg -i x -f mjpeg -" };
        return o;
    }
}

public class OptionsValidatorTests
{
    private static readonly string Model = Path.Combine(RepoPaths.NewTempDir(), "m.onnx");

    private static DeviceOptions Valid()
    {
        File.WriteAllText(Model, "x");
        return new DeviceOptions
        {
            Modes = ["Kiosk", "Sorter"],
            Model = new ModelOptions { Path = Model },
            Displays = new DisplayOptions { Ili9341 = true },
            Sorter = SortRulesTests.Sorter(),
        }.WithSorterCamera();
    }

    private static List<string> Check(DeviceOptions o) => OptionsValidator.Validate(o, p => p);

    [Fact]
    public void Validate_DefaultPinMap_NoProblems() => Assert.Empty(Check(Valid()));

    [Fact]
    public void Validate_PinUsedTwice_NamesBothUses()
    {
        var o = Valid();
        o.Sorter.Gates[0].Pin = 25;
        var e = Assert.Single(Check(o));
        Assert.Equal("EdgeDigits:Pins: GPIO25 is used twice (LCD DC, gate A)", e);
    }

    [Fact]
    public void Validate_InkModelMissing_NamesFileAndTheWayOut()
    {
        var o = Valid();
        o.Model.InkModel = "/nope/seq.onnx";
        var e = Assert.Single(Check(o));
        Assert.StartsWith("EdgeDigits:Model:InkModel: ink model file '/nope/seq.onnx' not found", e);
        Assert.Contains("empty = the image model alone", e);
    }

    [Fact]
    public void Validate_ModelMissing_NamesFile()
    {
        var o = Valid();
        o.Model.Path = "/nope/x.onnx";
        Assert.Contains(Check(o), e => e.StartsWith("EdgeDigits:Model:Path: model file '/nope/x.onnx' not found", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_GateWithoutPin_Reported()
    {
        var o = Valid();
        o.Sorter.Gates.Add(new GateOptions { Name = "D" });
        Assert.Contains("EdgeDigits:Sorter:Gates: gate 'D' has no pin (set Pin to a BCM number)", Check(o));
    }

    [Fact]
    public void Validate_BadRoiAndUnknownGate_Reported()
    {
        var o = Valid();
        o.Modes.Add("Meter");
        o.Meter.Camera = new CameraOptions { Kind = "Mjpeg", Command = "x" };
        o.Meter.Rois.Add(new RectOptions { X = 0, Y = 0, Width = 0, Height = 10 });
        o.Sorter.Rules.Add(new SortRuleOptions { Prefix = "9", Gate = "Z" });
        var errors = Check(o);
        Assert.Contains("EdgeDigits:Meter:Rois:0 (0,0,0,10) must have X,Y ≥ 0 and Width,Height > 0", errors);
        Assert.Contains("EdgeDigits:Sorter:Rules:3 names gate 'Z', which is not one of the gates", errors);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080", null, true)]
    [InlineData("http://*:5080", null, true)]
    [InlineData("http://192.168.1.5:5080", null, true)]
    [InlineData("http://0.0.0.0:5080", "a-long-enough-token", false)]
    [InlineData("http://127.0.0.1:5080", null, false)]
    [InlineData("http://localhost:5080", null, false)]
    [InlineData("http://[::1]:5080", null, false)]
    public void Validate_HttpBeyondLoopback_NeedsToken(string url, string? token, bool error)
    {
        var o = Valid();
        o.Http = new HttpOptions { Url = url, Token = token };
        Assert.Equal(error, Check(o).Any(e => e.Contains("listens beyond loopback", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("Display", "hdmi", "EdgeDigits:Kiosk:Display 'hdmi' must be Ili9341 or Framebuffer")]
    [InlineData("Touch", "mouse", "EdgeDigits:Kiosk:Touch 'mouse' must be Xpt2046 or Evdev")]
    public void Validate_KioskDeviceUnknown_NamesOptionAndChoices(string option, string value, string expected)
    {
        var o = Valid();
        if (option == "Display") o.Kiosk.Display = value; else o.Kiosk.Touch = value;
        Assert.Equal(expected, Assert.Single(Check(o)));
    }

    [Fact]
    public void Validate_FramebufferAndEvdevPathsEmpty_OneLineEach()
    {
        var o = Valid();
        o.Displays.Ili9341 = false;
        o.Kiosk = new KioskOptions { Display = "framebuffer", Framebuffer = new FramebufferOptions { Device = "" }, Touch = "evdev", Evdev = new EvdevOptions { Device = " " } };
        var errors = Check(o);
        Assert.Contains("EdgeDigits:Kiosk:Framebuffer:Device is empty (the device node, e.g. /dev/fb1)", errors);
        Assert.Contains("EdgeDigits:Kiosk:Evdev:Device is empty (the device node, e.g. /dev/input/event0)", errors);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Validate_SimulatorGivenRealDeviceNodes_Refused()
    {
        var o = Valid();
        o.Hardware = "Simulated";
        o.Kiosk = new KioskOptions { Display = "Framebuffer", Touch = "Evdev" };
        var errors = Check(o);
        Assert.Contains("EdgeDigits:Kiosk:Framebuffer:Device '/dev/fb1': the simulator emulates this device in a file of its own; give a path outside /dev (e.g. var/fb1)", errors);
        Assert.Contains("EdgeDigits:Kiosk:Evdev:Device '/dev/input/event0': the simulator emulates this device in a file of its own; give a path outside /dev (e.g. var/event0)", errors);
    }

    [Fact]
    public void Validate_BadFramebufferGeometryAndEmptyAxisRange_Reported()
    {
        var o = Valid();
        o.Hardware = "Real";
        o.Kiosk = new KioskOptions
        {
            Display = "Framebuffer", Framebuffer = new FramebufferOptions { Device = "/tmp/screen.raw", Width = 320, Height = 0, Format = "Bgr24" },
            Touch = "Evdev", Evdev = new EvdevOptions { XMin = 200, XMax = 200 }, TouchCalibration = [1, 0, 0, 0, 1, 0],
        };
        var errors = Check(o);
        Assert.Contains("EdgeDigits:Kiosk:Framebuffer:Format 'Bgr24' must be Rgb565 or Xrgb8888", errors);
        Assert.Contains("EdgeDigits:Kiosk:Framebuffer: set both Width and Height, or neither", errors);
        Assert.Contains("EdgeDigits:Kiosk:Evdev: XMin 200 and XMax 200 must differ (the raw values at the display's left and right edges)", errors);
        Assert.Contains("EdgeDigits:Kiosk:TouchCalibration is for the XPT2046 driver; with Touch Evdev set EdgeDigits:Kiosk:Evdev:XMin/XMax/YMin/YMax/SwapXY", errors);
        o.Kiosk.Framebuffer = new FramebufferOptions { Device = "/tmp/screen.raw" };
        Assert.Contains("EdgeDigits:Kiosk:Framebuffer:Device '/tmp/screen.raw' is not a /dev node: set Width, Height and Format for a plain file", Check(o));
    }

    [Fact]
    public void Validate_MeterDisplay_UnknownLcdOffOrTheKiosksLcd_OneLineEach()
    {
        var o = Valid();
        o.Modes = ["Meter"];
        o.Meter.Camera = new CameraOptions { Kind = "Mjpeg", Command = "rpicam-vid -t 0 --codec mjpeg -o -" };
        Assert.Empty(Check(o));
        o.Meter.Display = "ili9341";
        Assert.Empty(Check(o));
        o.Meter.Display = "hdmi";
        Assert.Equal("EdgeDigits:Meter:Display 'hdmi' must be None or Ili9341", Assert.Single(Check(o)));
        o.Meter.Display = "Ili9341";
        o.Displays.Ili9341 = false;
        Assert.Equal("EdgeDigits:Meter:Display is Ili9341 but EdgeDigits:Displays:Ili9341 is false (attach the LCD, or set Meter:Display to None)", Assert.Single(Check(o)));
        o.Displays.Ili9341 = true;
        o.Modes = ["Kiosk", "Meter"];
        Assert.Equal("EdgeDigits:Meter:Display is Ili9341 but the kiosk draws on the ILI9341 too: one LCD shows one mode (set Meter:Display to None, or Kiosk:Display to Framebuffer)", Assert.Single(Check(o)));
        o.Kiosk.Display = "Framebuffer";
        o.Kiosk.Framebuffer.Device = "var/fb1";
        o.Hardware = "Simulated";
        Assert.Empty(Check(o));
    }

    [Fact]
    public void Validate_KioskOnIli9341ThatIsNotAttached_Reported()
    {
        var o = Valid();
        o.Displays.Ili9341 = false;
        Assert.Contains("EdgeDigits:Kiosk:Display is Ili9341 but EdgeDigits:Displays:Ili9341 is false (attach the LCD, or set Kiosk:Display to Framebuffer)", Check(o));
    }

    [Fact]
    public void Validate_FramebufferAndEvdevKiosk_FreesTheSpiTouchPins()
    {
        var o = Valid();
        o.Displays.Ili9341 = false;
        o.Hardware = "Real";
        o.Kiosk = new KioskOptions { Display = "Framebuffer", Touch = "Evdev" };
        // GPIO17 is the XPT2046's PENIRQ; with the kernel driving touch it may serve a gate.
        o.Sorter.Gates[0].Pin = 17;
        Assert.Empty(Check(o));
    }

    [Fact]
    public void Validate_FfmpegReplayCameraBadSettings_OneLineEach()
    {
        var o = Valid();
        o.Modes.Add("Meter");
        o.Meter.Camera = new CameraOptions { Kind = "FfmpegReplay", ReplayDir = "/nope/frames", Ffmpeg = "", FramesPerSecond = 0, SecondsPerImage = -1, Width = 641 };
        var errors = Check(o).Where(e => e.StartsWith("EdgeDigits:Meter:Camera", StringComparison.Ordinal)).ToList();
        Assert.Equal([
            "EdgeDigits:Meter:Camera:ReplayDir '/nope/frames' not found",
            "EdgeDigits:Meter:Camera:Ffmpeg is empty (the ffmpeg program, e.g. ffmpeg)",
            "EdgeDigits:Meter:Camera:FramesPerSecond 0 must be 0.1..60",
            "EdgeDigits:Meter:Camera:SecondsPerImage -1 must be 0..3600 (0 = one frame per image)",
            "EdgeDigits:Meter:Camera: frame size 641x480 must be even and 16..4096 (Width, Height)"], errors);
        o.Meter.Camera.Kind = "Webcam";
        Assert.Contains("EdgeDigits:Meter:Camera:Kind 'Webcam' must be Replay, FfmpegReplay, Mjpeg or Still", Check(o));
    }

    private static DeviceOptions MeterWithWindows(params RectOptions[] windows)
    {
        var o = Valid();
        o.Modes = ["Meter"];
        o.Meter.Camera = new CameraOptions { Kind = "Mjpeg", Command = "ffmpeg -i x -f mjpeg -" };
        o.Meter.WindowModel = Model;
        o.Meter.Windows = windows.ToList();
        return o;
    }

    [Fact]
    public void Validate_MeterWindowsSideBySide_NoProblems() =>
        Assert.Empty(Check(MeterWithWindows(new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 }, new RectOptions { X = 20, Y = 0, Width = 20, Height = 32 })));

    [Fact]
    public void Validate_MeterWindowsOverlapping_NamesBoth()
    {
        var e = Assert.Single(Check(MeterWithWindows(new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 }, new RectOptions { X = 19, Y = 0, Width = 20, Height = 32 })));
        Assert.Equal("EdgeDigits:Meter:Windows:0 (0,0,20,32) and Windows:1 (19,0,20,32) overlap: each window is one wheel", e);
    }

    [Fact]
    public void Validate_MeterWindowsAndRois_OneProblem()
    {
        var o = MeterWithWindows(new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 });
        o.Meter.Rois = [new RectOptions { X = 0, Y = 0, Width = 100, Height = 40 }];
        var e = Assert.Single(Check(o));
        Assert.Contains("not both", e);
    }

    [Fact]
    public void Validate_PublishTenthWithWindowsOrLayout_NoProblems()
    {
        var o = MeterWithWindows(new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 });
        o.Meter.PublishTenth = true;
        Assert.Empty(Check(o));
        o = MeterWithWindows();
        o.Meter.Layout = Path.Combine(SampleMeter.Dir, "meter.json");
        o.Meter.PublishTenth = true;
        Assert.Empty(Check(o));
    }

    [Fact]
    public void Validate_PublishTenthWithFreeFormRois_OneLineSaysWhy()
    {
        var o = MeterWithWindows();
        o.Meter.Rois = [new RectOptions { X = 0, Y = 0, Width = 100, Height = 40 }];
        o.Meter.PublishTenth = true;
        Assert.Equal(["EdgeDigits:Meter:PublishTenth needs digit windows (Meter:Windows or Meter:Layout): the tenth is the lowest wheel's roll, which free-form Rois do not read"], Check(o));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    public void Validate_TenthJitterOutOfRange_OneLine(int jitter)
    {
        var o = MeterWithWindows(new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 });
        o.Meter.TenthJitter = jitter;
        Assert.Equal([$"EdgeDigits:Meter:TenthJitter {jitter} must be 0..9 tenths (0 = every drop is a decrease)"], Check(o));
    }

    [Fact]
    public void Validate_MeterMaximumBeyondSixteenWheels_OneLine()
    {
        var o = MeterWithWindows(new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 });
        o.Meter.Maximum = 99_999_999_999_999_999;
        Assert.Equal(["EdgeDigits:Meter:Maximum 99999999999999999 must be 0..9999999999999999 (16 wheels at most; 0 = no rollover)"], Check(o));
        o.Meter.Maximum = 9_999_999_999_999_999;
        Assert.Empty(Check(o));
    }

    [Fact]
    public void Validate_MeterAlignmentOfTheSampleLayout_NoProblems()
    {
        var o = MeterWithWindows([.. SampleMeter.Windows]);
        o.Meter.Alignment = SampleMeter.Alignment();
        Assert.Empty(Check(o));
        o.Meter.Alignment = SampleMeter.Alignment("Registration");
        Assert.Empty(Check(o));
    }

    [Fact]
    public void Validate_MeterLayoutFileOfTheSample_GivesItsWindowsAndAlignment()
    {
        var o = MeterWithWindows();
        o.Meter.Layout = Path.Combine(SampleMeter.Dir, "meter.json");
        Assert.Empty(Check(o));
        Assert.Equal(SampleMeter.Windows.Select(w => w.ToString()), o.Meter.Windows.Select(w => w.ToString()));
        Assert.Equal("Marks", o.Meter.Alignment.Mode);
        Assert.Equal(SampleMeter.Reference, o.Meter.Alignment.Reference);
    }

    [Fact]
    public void Validate_MeterLayoutAndWindows_SaysNotBoth()
    {
        var o = MeterWithWindows(new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 });
        o.Meter.Layout = Path.Combine(SampleMeter.Dir, "meter.json");
        Assert.Equal($"EdgeDigits:Meter:Layout '{o.Meter.Layout}' gives the windows and the alignment: set Layout or Windows and Alignment, not both", Assert.Single(Check(o)));
    }

    [Fact]
    public void Validate_MeterLayoutMissing_NamesTheFile()
    {
        var o = MeterWithWindows();
        o.Meter.Layout = "/nope/meter.json";
        Assert.StartsWith("EdgeDigits:Meter:Layout: /nope/meter.json: cannot read the layout", Assert.Single(Check(o)));
    }

    [Fact]
    public void Validate_MeterAlignmentBroken_OneLinePerProblem()
    {
        var o = MeterWithWindows([.. SampleMeter.Windows]);
        o.Meter.Alignment = new MeterAlignmentOptions
        {
            Mode = "marks", Reference = "/nope/ref.jpg", Marks = [new RectOptions { X = 10, Y = 10, Width = 0, Height = 32 }],
            SearchRadius = 0, MaxRotationDegrees = 45, MinScore = 1.5,
        };
        Assert.Equal(
        [
            "EdgeDigits:Meter:Alignment:SearchRadius 0 must be 1 … 200 pixels",
            "EdgeDigits:Meter:Alignment:MaxRotationDegrees 45 must be 0 … 20",
            "EdgeDigits:Meter:Alignment:MinScore 1.5 must be between 0 and 1",
            "EdgeDigits:Meter:Alignment:Marks lists 1 box; Mode Marks needs the 2 reference marks",
            "EdgeDigits:Meter:Alignment:Marks:0 (10,10,0,32) must have X,Y ≥ 0 and Width,Height > 0",
            "EdgeDigits:Meter:Alignment:Reference '/nope/ref.jpg' not found (resolved to /nope/ref.jpg)",
        ], Check(o));
    }

    [Fact]
    public void Validate_MeterAlignmentUnknownMode_NamesIt()
    {
        var o = MeterWithWindows([.. SampleMeter.Windows]);
        o.Meter.Alignment = new MeterAlignmentOptions { Mode = "Dial" };
        Assert.Equal("EdgeDigits:Meter:Alignment:Mode 'Dial' must be None, Marks or Registration", Assert.Single(Check(o)));
    }

    [Fact]
    public void Validate_MeterAlignmentWithoutWindows_SaysWindowsAreNeeded()
    {
        var o = MeterWithWindows();
        o.Meter.Alignment = SampleMeter.Alignment();
        Assert.Equal("EdgeDigits:Meter:Alignment:Mode Marks aligns digit windows: set EdgeDigits:Meter:Windows (Rois are read where they are)", Assert.Single(Check(o)));
    }

    [Fact]
    public void Validate_MeterAlignmentMarkOnPlainFace_NamesTheFlatMark()
    {
        var o = MeterWithWindows([.. SampleMeter.Windows]);
        o.Meter.Alignment = SampleMeter.Alignment();
        o.Meter.Alignment.Marks[0] = new RectOptions { X = 300, Y = 420, Width = 32, Height = 32 };
        var e = Assert.Single(Check(o));
        Assert.StartsWith("EdgeDigits:Meter:Alignment: reference mark 1 (300,420,32,32) is flat", e);
        Assert.EndsWith($"(reference '{SampleMeter.Reference}')", e);
    }

    [Fact]
    public void Validate_MeterWindowModelMissing_NamesIt()
    {
        var o = MeterWithWindows(new RectOptions { X = 0, Y = 0, Width = 20, Height = 32 });
        o.Meter.WindowModel = "/nope/meter-int8.onnx";
        var e = Assert.Single(Check(o));
        Assert.StartsWith("EdgeDigits:Meter:WindowModel '/nope/meter-int8.onnx' not found", e);
    }

    [Fact]
    public void Validate_MeterWindowEmpty_NamesIt()
    {
        var e = Assert.Single(Check(MeterWithWindows(new RectOptions { X = 5, Y = 5, Width = 0, Height = 32 })));
        Assert.StartsWith("EdgeDigits:Meter:Windows:0 (5,5,0,32) must have", e);
    }
}
