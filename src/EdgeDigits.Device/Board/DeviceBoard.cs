using System.Device.Gpio;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Modes;
using EdgeDigits.Hardware;
using EdgeDigits.Hardware.Gpio;
using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Linux;
using EdgeDigits.Hardware.Simulation.Gpio;
using EdgeDigits.Hardware.Simulation.Ili934x;
using EdgeDigits.Hardware.Simulation.Linux;
using EdgeDigits.Hardware.Simulation.Ssd13xx;
using EdgeDigits.Hardware.Simulation.Tm16xx;
using EdgeDigits.Hardware.Ssd13xx;
using EdgeDigits.Hardware.Tm16xx;
using EdgeDigits.Device.Display;
using EdgeDigits.Device.Recognition;
using SkiaSharp;
using EdgeDigits.Hardware.Simulation.Xpt204x;
using EdgeDigits.Hardware.Xpt204x;
using Microsoft.Extensions.Logging;

namespace EdgeDigits.Device.Board;

/// <summary>
/// The parts of one board, opened from the pin map: the same drivers on real buses (<c>Hardware: Real</c>) or on the chip
/// emulators (<c>Simulated</c>). Disposing leaves the LCD cleared with its backlight off, every gate off and the LEDs dark.
/// </summary>
public sealed class DeviceBoard : IDisposable, IGateOutput
{
    private readonly ILogger _log;
    private readonly object _lcdLock = new();
    private readonly object _statusLock = new();

    private DeviceBoard(ILogger log) => _log = log;

    private GpioController? _gpio;

    /// <summary>The GPIO controller every part shares, opened when the first part needs it (a framebuffer + evdev kiosk without LEDs needs none).</summary>
    public GpioController Gpio => _gpio ??= Buses.OpenGpio("GPIO");

    /// <summary>The GPIO chip emulator (simulation only).</summary>
    public EmulatedGpioDriver? SimGpio { get; private set; }

    /// <summary>The LCD driver, when attached.</summary>
    public Ili9341? Lcd { get; private set; }

    /// <summary>The emulated LCD panel (simulation only).</summary>
    public Ili9341Emulator? LcdEmulator { get; private set; }

    /// <summary>The touch controller driver, when attached.</summary>
    public Xpt2046? Touch { get; private set; }

    /// <summary>The emulated touch panel (simulation only).</summary>
    public Xpt2046Emulator? TouchEmulator { get; private set; }

    /// <summary>The Linux framebuffer the kiosk draws on, when configured.</summary>
    public FramebufferWriter? Framebuffer { get; private set; }

    /// <summary>The file emulating the framebuffer (simulation only).</summary>
    public FramebufferEmulator? FramebufferEmulator { get; private set; }

    /// <summary>The named pipe emulating the touchscreen's event device (simulation only).</summary>
    public EvdevTouchEmulator? EvdevEmulator { get; private set; }

    /// <summary>The display the kiosk draws on (ILI9341 or framebuffer), in kiosk mode.</summary>
    public IKioskDisplay? KioskDisplay { get; private set; }

    /// <summary>The kiosk's pen (XPT2046 or evdev), in kiosk mode.</summary>
    public IKioskTouch? KioskTouch { get; private set; }

    /// <summary>The SSD1306 OLED, when attached.</summary>
    public Ssd1306? Oled { get; private set; }

    /// <summary>The emulated OLED (simulation only).</summary>
    public Ssd1306Emulator? OledEmulator { get; private set; }

    /// <summary>The TM1637 7-segment display, when attached.</summary>
    public Tm1637? Segments { get; private set; }

    /// <summary>The emulated TM1637 module (simulation only).</summary>
    public Tm1637Emulator? SegmentsEmulator { get; private set; }

    /// <summary>Status LEDs (ok, busy, error).</summary>
    public StatusLeds? Leds { get; private set; }

    /// <summary>The sorter gates.</summary>
    public GateBank? Gates { get; private set; }

    /// <summary>The light-barrier trigger.</summary>
    public TriggerInput? Trigger { get; private set; }

    /// <summary>Serializes SPI use of the LCD between the kiosk and the mirror.</summary>
    public object LcdLock => _lcdLock;

    /// <summary>Opens every part the options name. Throws <see cref="HardwareUnavailableException"/> naming the bus or pin that is missing.</summary>
    public static DeviceBoard Open(DeviceOptions o, ILogger log)
    {
        var b = new DeviceBoard(log);
        try
        {
            b.OpenParts(o);
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    private void OpenParts(DeviceOptions o)
    {
        var p = o.Pins;
        var sim = o.IsSimulated;
        if (sim)
        {
            SimGpio = new EmulatedGpioDriver(TimeProvider.System);
            _gpio = new GpioController(SimGpio);
        }

        var kiosk = o.HasMode("Kiosk");
        if (o.Displays.Ili9341)
        {
            System.Device.Spi.SpiDevice spi;
            if (sim) spi = LcdEmulator = new Ili9341Emulator(SimGpio!, p.LcdDc, p.LcdReset, p.LcdBacklight, p.SpiBus, p.LcdChipSelect, o.Displays.SpiClockHz);
            else spi = Buses.OpenSpi("ILI9341 LCD", p.SpiBus, p.LcdChipSelect, o.Displays.SpiClockHz);
            Lcd = new Ili9341(spi, p.LcdDc, p.LcdReset, p.LcdBacklight, gpio: Gpio, shouldDispose: false);
            Lcd.Initialize(Ili9341Rotation.Landscape);
            Lcd.Clear(new Rgb565(0));
            Lcd.SetBacklight(true);
        }
        if (kiosk) OpenKioskDisplay(o.Kiosk, sim);
        if (kiosk && !o.Kiosk.TouchIsEvdev)
        {
            System.Device.Spi.SpiDevice spi;
            if (sim) spi = TouchEmulator = new Xpt2046Emulator(SimGpio, p.TouchIrq, null, p.SpiBus, p.TouchChipSelect);
            else spi = Buses.OpenSpi("XPT2046 touch", p.SpiBus, p.TouchChipSelect, 2_000_000);
            Touch = new Xpt2046(spi, p.TouchIrq, Gpio, shouldDispose: false);
            Touch.Calibration = o.Kiosk.TouchCalibration is { Length: 6 } c
                ? new TouchCalibration(c[0], c[1], c[2], c[3], c[4], c[5], 320, 240)
                : sim ? CalibrateEmulated(TouchEmulator!) : null;
            if (Touch.Calibration is null) _log.LogWarning("XPT2046: no EdgeDigits:Kiosk:TouchCalibration configured; touches stay in raw ADC counts");
            KioskTouch = new Xpt2046KioskTouch(Touch);
        }
        else if (kiosk) OpenEvdevTouch(o.Kiosk, sim);
        if (o.Displays.Ssd1306)
        {
            System.Device.I2c.I2cDevice i2c = sim ? OledEmulator = new Ssd1306Emulator(p.I2cBus, p.OledAddress) : Buses.OpenI2c("SSD1306 OLED", p.I2cBus, p.OledAddress);
            Oled = new Ssd1306(i2c, shouldDispose: false);
            Oled.Initialize();
            Oled.Update(new byte[Oled.FrameBytes], force: true);
        }
        if (o.Displays.Tm1637)
        {
            if (sim) SegmentsEmulator = new Tm1637Emulator(SimGpio!, p.Tm1637Clk, p.Tm1637Dio);
            Segments = new Tm1637(p.Tm1637Clk, p.Tm1637Dio, gpio: Gpio, shouldDispose: false);
            Segments.Clear();
        }
        Leds = new StatusLeds(
            p.LedOk >= 0 ? new Led(p.LedOk, "LED ok", gpio: Gpio, shouldDispose: false) : null,
            p.LedBusy >= 0 ? new Led(p.LedBusy, "LED busy", gpio: Gpio, shouldDispose: false) : null,
            p.LedError >= 0 ? new Led(p.LedError, "LED error", gpio: Gpio, shouldDispose: false) : null);
        if (o.HasMode("Sorter"))
        {
            var s = o.Sorter;
            Gates = new GateBank(s.Gates.Select(g => new Gate(g.Pin, g.Name, TimeSpan.FromMilliseconds(Math.Min(50, s.PulseMs)), TimeSpan.FromMilliseconds(Math.Max(2000, s.PulseMs)), activeHigh: !g.ActiveLow, gpio: Gpio, shouldDispose: false)));
            Trigger = new TriggerInput(p.Trigger, "trigger", TimeSpan.FromMilliseconds(s.DebounceMs), gpio: Gpio, shouldDispose: false);
        }
    }

    private void OpenKioskDisplay(KioskOptions k, bool sim)
    {
        if (!k.DrawsOnFramebuffer)
        {
            KioskDisplay = new Ili9341KioskDisplay(Lcd ?? throw new InvalidOperationException("kiosk on the ILI9341, but Displays:Ili9341 is off"));
            return;
        }
        var f = k.Framebuffer;
        FramebufferFormat? format = f.Format.Length > 0 ? Enum.Parse<FramebufferFormat>(f.Format, ignoreCase: true) : null;
        int? stride = f.Stride > 0 ? f.Stride : null;
        if (sim)
        {
            // fbtft's fb_ili9341 in landscape: the same panel the SPI driver would drive.
            FramebufferEmulator = new FramebufferEmulator(f.Device, f.Width > 0 ? f.Width : KioskController.Width, f.Height > 0 ? f.Height : KioskController.Height, format ?? FramebufferFormat.Rgb565, stride);
            Framebuffer = FramebufferEmulator.OpenWriter();
        }
        else if (f.Width == 0) Framebuffer = FramebufferWriter.OpenDevice(f.Device);
        else Framebuffer = new FramebufferWriter(f.Device, f.Width, f.Height, format ?? FramebufferFormat.Rgb565, stride);
        KioskDisplay = new FramebufferKioskDisplay(Framebuffer);
        _log.LogInformation("kiosk display: framebuffer {Device} {Width}x{Height} {Format}", Framebuffer.Path, Framebuffer.Width, Framebuffer.Height, Framebuffer.Format);
    }

    private void OpenEvdevTouch(KioskOptions k, bool sim)
    {
        var e = k.Evdev;
        if (sim) EvdevEmulator = new EvdevTouchEmulator(e.Device);
        var reader = EvdevTouchReader.Open(sim ? EvdevEmulator!.Path : e.Device);
        var display = KioskDisplay!;
        var calibration = TouchCalibration.FromAxisRanges(e.XMin, e.XMax, e.YMin, e.YMax, e.SwapXY, display.Width, display.Height);
        KioskTouch = new EvdevKioskTouch(reader, calibration, display);
        _log.LogInformation("kiosk touch: {Device} (raw X {XMin}..{XMax}, Y {YMin}..{YMax}{Swap})", reader.Name, e.XMin, e.XMax, e.YMin, e.YMax, e.SwapXY ? ", swapped" : "");
    }

    /// <summary>What the calibration routine yields on the emulated glass: three display points touched, their raw readings fitted.</summary>
    public static TouchCalibration CalibrateEmulated(Xpt2046Emulator emu)
    {
        var pts = new (double X, double Y)[] { (32, 24), (288, 120), (160, 216) };
        return TouchCalibration.FromPoints(pts.Select(pt =>
        {
            var (rx, ry) = emu.Panel.ToRaw(pt.X, pt.Y);
            return new CalibrationPoint(pt.X, pt.Y, rx, ry);
        }).ToList(), 320, 240);
    }

    /// <summary>Shows a reading on the small displays: the last four characters on the TM1637, the number as 7-segment digits on the OLED (uncertain digits underlined).</summary>
    public void ShowOnStatusDisplays(DeviceReading r)
    {
        lock (_statusLock) ShowOnStatusDisplaysLocked(r);
    }

    private void ShowOnStatusDisplaysLocked(DeviceReading r)
    {
        var text = string.Concat(r.Digits.Select(d => d.Digit == "?" ? "-" : d.Digit));
        if (Segments is not null)
        {
            var shown = text.Length > Segments.Digits ? text[^Segments.Digits..] : text.PadLeft(Segments.Digits);
            Segments.Display(shown);
        }
        if (Oled is not null)
        {
            using var bmp = new SKBitmap(new SKImageInfo(Oled.Width, Oled.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(bmp))
            {
                canvas.Clear(SKColors.Black);
                var digits = string.Concat(r.Digits.Select(d => d.Digit == "?" ? d.Best : d.Digit));
                SevenSegmentRenderer.Draw(canvas, digits, r.Digits.Select(d => d.Digit == "?").ToList(), new SKRect(0, 0, Oled.Width, Oled.Height - 6), SKColors.White, SKColors.White);
            }
            Oled.DrawBitmap(bmp);
        }
    }

    /// <inheritdoc />
    public void Pulse(string gate, int ms)
    {
        if (Gates is null) throw new InvalidOperationException("no gates on this board");
        if (!Gates[gate].Pulse(TimeSpan.FromMilliseconds(ms)))
            _log.LogWarning("gate {Gate}: pulse refused (minimum interval between pulses)", gate);
    }

    /// <inheritdoc />
    public void AllOff() => Gates?.AllOff();

    /// <summary>Leaves the hardware safe: gates off, LCD cleared and dark, LEDs off; then releases everything.</summary>
    public void Dispose()
    {
        Try(() => Gates?.AllOff());
        Try(() => Trigger?.Dispose());
        Try(() => Gates?.Dispose());
        lock (_lcdLock)
        {
            Try(() => { Lcd?.Clear(new Rgb565(0)); Lcd?.SetBacklight(false); });
            Try(() => { if (Framebuffer is not null) KioskDisplay?.Clear(); });
        }
        Try(() => Segments?.Clear());
        Try(() => { Oled?.Update(new byte[Oled.FrameBytes], force: true); Oled?.SetPower(false); });
        Try(() => Leds?.Dispose());
        Try(() => Segments?.Dispose());
        Try(() => Oled?.Dispose());
        Try(() => KioskTouch?.Dispose());
        Try(() => EvdevEmulator?.Dispose());
        Try(() => Framebuffer?.Dispose());
        Try(() => Touch?.Dispose());
        Try(() => Lcd?.Dispose());
        Try(() => LcdEmulator?.Dispose());
        Try(() => TouchEmulator?.Dispose());
        Try(() => _gpio?.Dispose());
    }

    private void Try(Action a)
    {
        try { a(); }
        catch (Exception ex) { _log.LogWarning("board shutdown: {Error}", ex.Message); }
    }
}

/// <summary>The three status LEDs: busy while working, ok after a good result, error after a bad one.</summary>
public sealed class StatusLeds(Led? ok, Led? busy, Led? error) : IDisposable
{
    /// <summary>Shows "working".</summary>
    public void Busy() { busy?.On(); ok?.Off(); error?.Off(); }

    /// <summary>Shows "last result good".</summary>
    public void Ok() { busy?.Off(); ok?.On(); error?.Off(); }

    /// <summary>Shows "last result bad or uncertain".</summary>
    public void Error() { busy?.Off(); ok?.Off(); error?.On(); }

    /// <summary>All LEDs off.</summary>
    public void Off() { busy?.Off(); ok?.Off(); error?.Off(); }

    /// <summary>Switches off and releases the LEDs.</summary>
    public void Dispose()
    {
        Off();
        ok?.Dispose(); busy?.Dispose(); error?.Dispose();
    }
}
