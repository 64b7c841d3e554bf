using System.Net;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;

namespace EdgeDigits.Device.Configuration;

/// <summary>Checks a <see cref="DeviceOptions"/> before anything is opened, so a bad config fails at start-up with one clear line per problem.</summary>
public static class OptionsValidator
{
    /// <summary>Returns every problem found (empty when the options are usable). <paramref name="resolvePath"/> maps a configured path to a file on disk.</summary>
    public static List<string> Validate(DeviceOptions o, Func<string, string> resolvePath)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.DeviceId) || o.DeviceId.IndexOfAny(['/', '#', '+', ' ']) >= 0)
            errors.Add($"EdgeDigits:DeviceId '{o.DeviceId}' must be non-empty without '/', '#', '+' or spaces (it is an MQTT topic level)");
        foreach (var m in o.Modes)
        {
            if (!Modes.ModeCatalog.Names.Contains(m, StringComparer.OrdinalIgnoreCase))
                errors.Add($"EdgeDigits:Modes: unknown mode '{m}' (use {string.Join(", ", Modes.ModeCatalog.Names)})");
        }
        if (OptionKinds.Parse<HardwareKind>(o.Hardware) is null)
            errors.Add($"EdgeDigits:Hardware '{o.Hardware}' must be {OptionKinds.Names<HardwareKind>()}");

        var model = resolvePath(o.Model.Path);
        if (!File.Exists(model))
            errors.Add($"EdgeDigits:Model:Path: model file '{o.Model.Path}' not found (looked at {model})");
        if (o.Model.InkModel.Length > 0 && !File.Exists(resolvePath(o.Model.InkModel)))
            errors.Add($"EdgeDigits:Model:InkModel: ink model file '{o.Model.InkModel}' not found (looked at {resolvePath(o.Model.InkModel)}; empty = the image model alone)");
        if (o.Model.Threads is < 1 or > 64)
            errors.Add($"EdgeDigits:Model:Threads {o.Model.Threads} must be 1..64");

        CheckPins(o, errors);
        CheckHttp(o.Http, errors);
        CheckMqtt(o, errors);

        if (o.HasMode("Kiosk"))
        {
            CheckKioskDevices(o, errors);
            if (o.Kiosk.PenUpMs is < 50 or > 10_000)
                errors.Add($"EdgeDigits:Kiosk:PenUpMs {o.Kiosk.PenUpMs} must be 50..10000");
            CheckRect("EdgeDigits:Kiosk:ClearArea", o.Kiosk.ClearArea, 320, 240, errors);
            if (o.Kiosk.TouchCalibration is { Length: not 6 })
                errors.Add("EdgeDigits:Kiosk:TouchCalibration must have 6 numbers (A,B,C,D,E,F)");
            if (o.Kiosk.TouchCalibration is not null && o.Kiosk.TouchIsEvdev)
                errors.Add("EdgeDigits:Kiosk:TouchCalibration is for the XPT2046 driver; with Touch Evdev set EdgeDigits:Kiosk:Evdev:XMin/XMax/YMin/YMax/SwapXY");
        }
        if (o.HasMode("Meter"))
        {
            if (o.Meter.IntervalSeconds is <= 0 or > 86_400)
                errors.Add($"EdgeDigits:Meter:IntervalSeconds {o.Meter.IntervalSeconds} must be > 0 and ≤ 86400");
            for (var i = 0; i < o.Meter.Rois.Count; i++)
                CheckRect($"EdgeDigits:Meter:Rois:{i}", o.Meter.Rois[i], int.MaxValue, int.MaxValue, errors);
            if (o.Meter.Layout.Length > 0)
            {
                if (o.Meter.Windows.Count > 0 || o.Meter.Alignment.ParsedMode is not Core.Meters.Alignment.AlignmentMode.None)
                    errors.Add($"EdgeDigits:Meter:Layout '{o.Meter.Layout}' gives the windows and the alignment: set Layout or Windows and Alignment, not both");
                else
                {
                    try { o.Meter.ApplyLayout(resolvePath); }
                    catch (InvalidDataException e) { errors.Add($"EdgeDigits:Meter:Layout: {e.Message.ReplaceLineEndings(" ")}"); }
                }
            }
            for (var i = 0; i < o.Meter.Windows.Count; i++)
                CheckRect($"EdgeDigits:Meter:Windows:{i}", o.Meter.Windows[i], int.MaxValue, int.MaxValue, errors);
            if (o.Meter.Windows.Count > 0)
            {
                if (o.Meter.Rois.Count > 0) errors.Add("EdgeDigits:Meter: set Windows (one counter wheel each) or Rois (free-form numbers), not both");
                if (o.Meter.Burst is < 1 or > 10) errors.Add($"EdgeDigits:Meter:Burst {o.Meter.Burst} must be 1..10 frames");
                if (o.Meter.Windows.Count > 16) errors.Add($"EdgeDigits:Meter:Windows has {o.Meter.Windows.Count} windows; at most 16");
                for (var i = 0; i < o.Meter.Windows.Count; i++)
                    for (var j = i + 1; j < o.Meter.Windows.Count; j++)
                        if (Overlap(o.Meter.Windows[i], o.Meter.Windows[j]))
                            errors.Add($"EdgeDigits:Meter:Windows:{i} ({o.Meter.Windows[i]}) and Windows:{j} ({o.Meter.Windows[j]}) overlap: each window is one wheel");
                if (!File.Exists(resolvePath(o.Meter.WindowModel)))
                    errors.Add($"EdgeDigits:Meter:WindowModel '{o.Meter.WindowModel}' not found (resolved to {resolvePath(o.Meter.WindowModel)})");
            }
            CheckAlignment(o.Meter, resolvePath, errors);
            if (o.Meter.MaxRatePerHour < 0) errors.Add("EdgeDigits:Meter:MaxRatePerHour must be ≥ 0 (0 = no limit)");
            // 16 wheels at most (Windows): the plausibility check counts the value in tenths with PublishTenth, which must not overflow.
            if (o.Meter.Maximum is < 0 or > 9_999_999_999_999_999) errors.Add($"EdgeDigits:Meter:Maximum {o.Meter.Maximum} must be 0..9999999999999999 (16 wheels at most; 0 = no rollover)");
            if (o.Meter.RecoverAfter is < 0 or > 1000) errors.Add("EdgeDigits:Meter:RecoverAfter must be 0..1000 (0 = never)");
            if (o.Meter.Kind is not ("" or "water" or "gas" or "energy")) errors.Add($"EdgeDigits:Meter:Kind '{o.Meter.Kind}' must be water, gas or energy (or empty)");
            if (o.Meter.ConfidenceThreshold is < 0 or > 1) errors.Add("EdgeDigits:Meter:ConfidenceThreshold must be 0..1");
            if (o.Meter.PublishTenth && o.Meter.Windows.Count == 0 && o.Meter.Layout.Length == 0)
                errors.Add("EdgeDigits:Meter:PublishTenth needs digit windows (Meter:Windows or Meter:Layout): the tenth is the lowest wheel's roll, which free-form Rois do not read");
            if (o.Meter.TenthJitter is < 0 or > 9) errors.Add($"EdgeDigits:Meter:TenthJitter {o.Meter.TenthJitter} must be 0..9 tenths (0 = every drop is a decrease)");
            CheckMeterDisplay(o, errors);
            CheckCamera("EdgeDigits:Meter:Camera", o.Meter.Camera, resolvePath, errors);
        }
        if (o.HasMode("Sorter")) CheckSorter(o.Sorter, resolvePath, errors);
        return errors;
    }

    /// <summary>True when <paramref name="url"/> listens only on a loopback address.</summary>
    public static bool IsLoopbackUrl(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)) return false;
        if (uri.IsLoopback) return true;
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static void CheckHttp(HttpOptions h, List<string> errors)
    {
        if (!h.Enabled) return;
        if (!Uri.TryCreate(h.Url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add($"EdgeDigits:Http:Url '{h.Url}' is not an http(s) URL");
            return;
        }
        if (!IsLoopbackUrl(h.Url) && string.IsNullOrWhiteSpace(h.Token))
            errors.Add($"EdgeDigits:Http:Url '{h.Url}' listens beyond loopback: set EdgeDigits:Http:Token (requests must then carry it)");
        if (h.Token is { Length: > 0 and < 12 })
            errors.Add("EdgeDigits:Http:Token is too short (at least 12 characters)");
        if (h.RecentReadings is < 1 or > 10_000) errors.Add("EdgeDigits:Http:RecentReadings must be 1..10000");
    }

    private static void CheckMqtt(DeviceOptions o, List<string> errors)
    {
        var m = o.Mqtt;
        if (!m.Enabled) return;
        if (string.IsNullOrWhiteSpace(m.Host)) errors.Add("EdgeDigits:Mqtt:Host is empty");
        if (m.Port is < 1 or > 65535) errors.Add($"EdgeDigits:Mqtt:Port {m.Port} must be 1..65535");
        if (m.Password is not null && m.User is null) errors.Add("EdgeDigits:Mqtt:Password is set without EdgeDigits:Mqtt:User");
        if (m.CaFile is not null && !File.Exists(m.CaFile)) errors.Add($"EdgeDigits:Mqtt:CaFile '{m.CaFile}' not found");
        if (m.CaFile is not null && !m.Tls) errors.Add("EdgeDigits:Mqtt:CaFile is set but EdgeDigits:Mqtt:Tls is false");
        if (m.OutboxMaxMessages is < 1 or > 10_000_000) errors.Add("EdgeDigits:Mqtt:OutboxMaxMessages must be 1..10000000");
        if (string.IsNullOrWhiteSpace(m.TopicPrefix) || m.TopicPrefix.IndexOfAny(['#', '+']) >= 0) errors.Add($"EdgeDigits:Mqtt:TopicPrefix '{m.TopicPrefix}' is not a valid topic prefix");
    }

    private static void CheckKioskDevices(DeviceOptions o, List<string> errors)
    {
        var k = o.Kiosk;
        if (OptionKinds.Parse<KioskDisplayKind>(k.Display) is null)
            errors.Add($"EdgeDigits:Kiosk:Display '{k.Display}' must be {OptionKinds.Names<KioskDisplayKind>()}");
        else if (!k.DrawsOnFramebuffer && !o.Displays.Ili9341)
            errors.Add("EdgeDigits:Kiosk:Display is Ili9341 but EdgeDigits:Displays:Ili9341 is false (attach the LCD, or set Kiosk:Display to Framebuffer)");
        else if (k.DrawsOnFramebuffer)
        {
            var fb = k.Framebuffer;
            const string name = "EdgeDigits:Kiosk:Framebuffer";
            if (CheckDevicePath($"{name}:Device", fb.Device, "/dev/fb1", "var/fb1", o.IsSimulated, errors))
            {
                var isNode = fb.Device.StartsWith("/dev/", StringComparison.Ordinal);
                if (fb.Format.Length > 0 && !Enum.TryParse<EdgeDigits.Hardware.Linux.FramebufferFormat>(fb.Format, ignoreCase: true, out _))
                    errors.Add($"{name}:Format '{fb.Format}' must be Rgb565 or Xrgb8888");
                if (fb.Width is < 0 or > 8192 || fb.Height is < 0 or > 8192)
                    errors.Add($"{name}: size {fb.Width}x{fb.Height} must be 0 (from the device) or 1..8192");
                else if ((fb.Width == 0) != (fb.Height == 0))
                    errors.Add($"{name}: set both Width and Height, or neither");
                else if (!o.IsSimulated && !isNode && (fb.Width == 0 || fb.Format.Length == 0))
                    errors.Add($"{name}:Device '{fb.Device}' is not a /dev node: set Width, Height and Format for a plain file");
                var bpp = fb.Format.Equals("Xrgb8888", StringComparison.OrdinalIgnoreCase) ? 4 : 2;
                if (fb.Stride < 0 || (fb.Stride > 0 && fb.Stride < fb.Width * bpp))
                    errors.Add($"{name}:Stride {fb.Stride} must be 0 or at least a row ({fb.Width * bpp} bytes)");
            }
        }

        if (OptionKinds.Parse<KioskTouchKind>(k.Touch) is null)
            errors.Add($"EdgeDigits:Kiosk:Touch '{k.Touch}' must be {OptionKinds.Names<KioskTouchKind>()}");
        else if (k.TouchIsEvdev)
        {
            var e = k.Evdev;
            CheckDevicePath("EdgeDigits:Kiosk:Evdev:Device", e.Device, "/dev/input/event0", "var/event0", o.IsSimulated, errors);
            if (!double.IsFinite(e.XMin) || !double.IsFinite(e.XMax) || e.XMin == e.XMax)
                errors.Add($"EdgeDigits:Kiosk:Evdev: XMin {e.XMin} and XMax {e.XMax} must differ (the raw values at the display's left and right edges)");
            if (!double.IsFinite(e.YMin) || !double.IsFinite(e.YMax) || e.YMin == e.YMax)
                errors.Add($"EdgeDigits:Kiosk:Evdev: YMin {e.YMin} and YMax {e.YMax} must differ (the raw values at the display's top and bottom edges)");
        }
    }

    /// <summary><c>Meter:Display</c>: a known kind, the LCD attached, and the LCD not also the kiosk's.</summary>
    private static void CheckMeterDisplay(DeviceOptions o, List<string> errors)
    {
        switch (OptionKinds.Parse<MeterDisplayKind>(o.Meter.Display))
        {
            case null:
                errors.Add($"EdgeDigits:Meter:Display '{o.Meter.Display}' must be {OptionKinds.Names<MeterDisplayKind>()}");
                break;
            case MeterDisplayKind.Ili9341 when !o.Displays.Ili9341:
                errors.Add("EdgeDigits:Meter:Display is Ili9341 but EdgeDigits:Displays:Ili9341 is false (attach the LCD, or set Meter:Display to None)");
                break;
            case MeterDisplayKind.Ili9341 when o.HasMode("Kiosk") && !o.Kiosk.DrawsOnFramebuffer:
                errors.Add("EdgeDigits:Meter:Display is Ili9341 but the kiosk draws on the ILI9341 too: one LCD shows one mode (set Meter:Display to None, or Kiosk:Display to Framebuffer)");
                break;
        }
    }

    /// <summary>A kernel device path: set, and in the simulator a file the emulator may create rather than a real /dev node.</summary>
    private static bool CheckDevicePath(string name, string path, string example, string simExample, bool simulated, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{name} is empty (the device node, e.g. {example})");
            return false;
        }
        if (simulated && path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            errors.Add($"{name} '{path}': the simulator emulates this device in a file of its own; give a path outside /dev (e.g. {simExample})");
            return false;
        }
        return true;
    }

    /// <summary><c>Meter:Alignment</c>: every broken limit, the marks and the reference get a line; a usable config is opened once, as meter mode will.</summary>
    private static void CheckAlignment(MeterOptions m, Func<string, string> resolvePath, List<string> errors)
    {
        const string name = "EdgeDigits:Meter:Alignment";
        var a = m.Alignment;
        if (a.ParsedMode is not { } mode)
        {
            errors.Add($"{name}:Mode '{a.Mode}' must be None, Marks or Registration");
            return;
        }
        if (mode == AlignmentMode.None) return;
        var before = errors.Count;
        if (m.Windows.Count == 0) errors.Add($"{name}:Mode {mode} aligns digit windows: set EdgeDigits:Meter:Windows (Rois are read where they are)");
        // Each limit checked on its own, so that every broken one gets its own line.
        foreach (var limits in new AlignmentOptions[]
                 {
                     new() { SearchRadius = a.SearchRadius }, new() { MaxRotationDegrees = a.MaxRotationDegrees },
                     new() { MaxScaleChange = a.MaxScaleChange }, new() { MinScore = a.MinScore },
                 })
            if (limits.Problem() is { } problem) errors.Add($"{name}:{problem}");
        if (mode == AlignmentMode.Marks && a.Marks.Count != 2)
            errors.Add($"{name}:Marks lists {a.Marks.Count} box{(a.Marks.Count == 1 ? "" : "es")}; Mode Marks needs the 2 reference marks");
        for (var i = 0; i < a.Marks.Count; i++)
            CheckRect($"{name}:Marks:{i}", a.Marks[i], int.MaxValue, int.MaxValue, errors);
        if (string.IsNullOrWhiteSpace(a.Reference))
            errors.Add($"{name}:Reference is empty: Mode {mode} needs the reference image the windows were drawn on");
        else if (!File.Exists(resolvePath(a.Reference)))
            errors.Add($"{name}:Reference '{a.Reference}' not found (resolved to {resolvePath(a.Reference)})");
        if (errors.Count > before) return;
        try
        {
            a.OpenAligner(m.Windows, resolvePath);
        }
        catch (ImageFormatException e)
        {
            errors.Add($"{name}:Reference '{a.Reference}': {e.Message.ReplaceLineEndings(" ")}");
        }
        catch (ArgumentException e)
        {
            errors.Add($"{name}: {e.Message.ReplaceLineEndings(" ")} (reference '{a.Reference}')");
        }
    }

    private static void CheckSorter(SorterOptions s, Func<string, string> resolvePath, List<string> errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var g in s.Gates)
        {
            if (string.IsNullOrWhiteSpace(g.Name)) errors.Add("EdgeDigits:Sorter:Gates: a gate has no Name");
            else if (!names.Add(g.Name)) errors.Add($"EdgeDigits:Sorter:Gates: gate '{g.Name}' is defined twice");
            if (g.Pin < 0) errors.Add($"EdgeDigits:Sorter:Gates: gate '{g.Name}' has no pin (set Pin to a BCM number)");
        }
        if (!names.Contains(s.RejectGate)) errors.Add($"EdgeDigits:Sorter:RejectGate '{s.RejectGate}' is not one of the gates");
        if (s.Rules.Count == 0) errors.Add("EdgeDigits:Sorter:Rules is empty: every parcel would be rejected");
        for (var i = 0; i < s.Rules.Count; i++)
        {
            var r = s.Rules[i];
            var kinds = (r.Exact is null ? 0 : 1) + (r.Prefix is null ? 0 : 1) + (r.Min is null && r.Max is null ? 0 : 1);
            if (kinds != 1) errors.Add($"EdgeDigits:Sorter:Rules:{i} must set exactly one of Exact, Prefix or Min/Max");
            if (r.Min is { } lo && r.Max is { } hi && lo > hi) errors.Add($"EdgeDigits:Sorter:Rules:{i} has Min {lo} > Max {hi}");
            if (!names.Contains(r.Gate)) errors.Add($"EdgeDigits:Sorter:Rules:{i} names gate '{r.Gate}', which is not one of the gates");
        }
        if (s.PulseMs is < 1 or > 10_000) errors.Add($"EdgeDigits:Sorter:PulseMs {s.PulseMs} must be 1..10000");
        if (s.QueueCapacity is < 1 or > 10_000) errors.Add($"EdgeDigits:Sorter:QueueCapacity {s.QueueCapacity} must be 1..10000");
        if (s.MinConfidence is < 0 or > 1) errors.Add("EdgeDigits:Sorter:MinConfidence must be 0..1");
        CheckCamera("EdgeDigits:Sorter:Camera", s.Camera, resolvePath, errors);
    }

    private static void CheckCamera(string name, CameraOptions c, Func<string, string> resolvePath, List<string> errors)
    {
        switch (OptionKinds.Parse<CameraKind>(c.Kind))
        {
            case CameraKind.Replay:
                if (!Directory.Exists(resolvePath(c.ReplayDir))) errors.Add($"{name}:ReplayDir '{c.ReplayDir}' not found");
                break;
            case CameraKind.FfmpegReplay:
                CheckCamera(name, new CameraOptions { Kind = "Replay", ReplayDir = c.ReplayDir }, resolvePath, errors);
                if (string.IsNullOrWhiteSpace(c.Ffmpeg)) errors.Add($"{name}:Ffmpeg is empty (the ffmpeg program, e.g. ffmpeg)");
                if (!(c.FramesPerSecond is >= 0.1 and <= 60)) errors.Add($"{name}:FramesPerSecond {c.FramesPerSecond} must be 0.1..60");
                if (!(c.SecondsPerImage is >= 0 and <= 3600)) errors.Add($"{name}:SecondsPerImage {c.SecondsPerImage} must be 0..3600 (0 = one frame per image)");
                if (c.Width is < 16 or > 4096 || c.Height is < 16 or > 4096 || c.Width % 2 != 0 || c.Height % 2 != 0)
                    errors.Add($"{name}: frame size {c.Width}x{c.Height} must be even and 16..4096 (Width, Height)");
                break;
            case CameraKind.Mjpeg or CameraKind.Still:
                if (string.IsNullOrWhiteSpace(c.Command)) errors.Add($"{name}:Command is empty");
                break;
            default:
                errors.Add($"{name}:Kind '{c.Kind}' must be {OptionKinds.Names<CameraKind>()}");
                break;
        }
    }

    private static bool Overlap(RectOptions a, RectOptions b) =>
        a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;

    private static void CheckRect(string name, RectOptions r, int maxW, int maxH, List<string> errors)
    {
        if (r.X < 0 || r.Y < 0 || r.Width <= 0 || r.Height <= 0)
            errors.Add($"{name} ({r}) must have X,Y ≥ 0 and Width,Height > 0");
        else if ((long)r.X + r.Width > maxW || (long)r.Y + r.Height > maxH)
            errors.Add($"{name} ({r}) reaches outside the {maxW}x{maxH} panel");
    }

    private static void CheckPins(DeviceOptions o, List<string> errors)
    {
        var used = new List<(int Pin, string Use)>();
        void Use(int pin, string what)
        {
            if (pin < 0) return;
            if (pin > 27) { errors.Add($"EdgeDigits:Pins: {what} pin {pin} is not a BCM GPIO (0..27)"); return; }
            used.Add((pin, what));
        }
        var p = o.Pins;
        var kiosk = o.HasMode("Kiosk");
        if (o.Displays.Ili9341)
        {
            // SPI0 owns MOSI 10, MISO 9, SCLK 11 and the chip-select lines CE0 = GPIO8, CE1 = GPIO7.
            Use(p.LcdChipSelect == 0 ? 8 : 7, "LCD chip select");
            Use(10, "SPI0 MOSI"); Use(9, "SPI0 MISO"); Use(11, "SPI0 SCLK");
            Use(p.LcdDc, "LCD DC"); Use(p.LcdReset, "LCD RESET"); Use(p.LcdBacklight, "LCD backlight");
            if (p.LcdDc < 0) errors.Add("EdgeDigits:Pins:LcdDc is required for the ILI9341");
        }
        if (kiosk && !o.Kiosk.TouchIsEvdev)
        {
            if (p.TouchChipSelect == p.LcdChipSelect) errors.Add($"EdgeDigits:Pins: touch and LCD share SPI chip select CE{p.TouchChipSelect}");
            Use(p.TouchChipSelect == 0 ? 8 : 7, "touch chip select");
            Use(p.TouchIrq, "touch PENIRQ");
        }
        if (o.Displays.Ssd1306) { Use(2, "I2C1 SDA"); Use(3, "I2C1 SCL"); }
        if (o.Displays.Tm1637) { Use(p.Tm1637Clk, "TM1637 CLK"); Use(p.Tm1637Dio, "TM1637 DIO"); }
        Use(p.LedOk, "LED ok"); Use(p.LedBusy, "LED busy"); Use(p.LedError, "LED error");
        if (o.HasMode("Sorter"))
        {
            Use(p.Trigger, "trigger");
            if (p.Trigger < 0) errors.Add("EdgeDigits:Pins:Trigger is required in Sorter mode");
            foreach (var g in o.Sorter.Gates) Use(g.Pin, $"gate {g.Name}");
        }
        foreach (var dup in used.GroupBy(u => u.Pin).Where(g => g.Count() > 1 && g.Select(u => u.Use).Distinct().Count() > 1))
        {
            var uses = dup.Select(u => u.Use).Distinct().ToList();
            // The same chip-select line listed twice by name (LCD CE0 + its own SPI) is one use.
            errors.Add($"EdgeDigits:Pins: GPIO{dup.Key} is used twice ({string.Join(", ", uses)})");
        }
    }
}
