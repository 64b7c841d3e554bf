using System.Collections.Concurrent;
using EdgeDigits.Hardware;
using EdgeDigits.Hardware.Linux;
using EdgeDigits.Hardware.Simulation.Linux;
using EdgeDigits.Hardware.Simulation.Xpt204x;
using EdgeDigits.Hardware.Xpt204x;
using Microsoft.Extensions.Logging;

namespace EdgeDigits.Device.Modes;

/// <summary>One touch sample in kiosk panel coordinates (320x240): pen down with a position, pen down without a usable one (noise), or pen up.</summary>
/// <param name="Down">The pen touches the glass.</param>
/// <param name="Point">Where, in panel pixels; null when up or when the sample was too noisy to use.</param>
public readonly record struct KioskTouchSample(bool Down, (double X, double Y)? Point);

/// <summary>Where the kiosk's pen comes from: the XPT2046 over SPI (polled) or a kernel touchscreen driver's event device.</summary>
public interface IKioskTouch : IDisposable
{
    /// <summary>Adds the samples since the last call to <paramref name="samples"/>, oldest first; none means nothing changed.</summary>
    /// <exception cref="HardwareException">The touch device failed or went away (reported once).</exception>
    void Poll(List<KioskTouchSample> samples);
}

/// <summary>The XPT2046 driver, read once per poll (PENIRQ, then a filtered, calibrated reading).</summary>
public sealed class Xpt2046KioskTouch(Xpt2046 touch) : IKioskTouch
{
    /// <summary>
    /// Opens the XPT2046 on SPI0 CE1 + PENIRQ (or its emulated glass), calibrated by <c>Kiosk:TouchCalibration</c>; on the
    /// emulated glass without one, by what the calibration routine would find there.
    /// </summary>
    public static IKioskTouch Open(Board.DeviceBoard b)
    {
        var p = b.Options.Pins;
        var spi = b.Spi("XPT2046 touch", p.SpiBus, p.TouchChipSelect, 2_000_000, gpio => new Xpt2046Emulator(gpio, p.TouchIrq, null, p.SpiBus, p.TouchChipSelect));
        var touch = b.Add(new Xpt2046(spi, p.TouchIrq, b.Gpio, shouldDispose: false));
        touch.Calibration = b.Options.Kiosk.TouchCalibration is { Length: 6 } c
            ? new TouchCalibration(c[0], c[1], c[2], c[3], c[4], c[5], KioskController.Width, KioskController.Height)
            : b.Part<Xpt2046Emulator>() is { } emu ? Simulator.EmulatedGlass.Calibrate(emu) : null;
        if (touch.Calibration is null) b.Log.LogWarning("XPT2046: no EdgeDigits:Kiosk:TouchCalibration configured; touches stay in raw ADC counts");
        return new Xpt2046KioskTouch(touch);
    }

    /// <inheritdoc />
    public void Poll(List<KioskTouchSample> samples)
    {
        var down = touch.IsPenDown;
        var pt = down ? touch.ReadTouch() : null;
        samples.Add(new KioskTouchSample(down, pt is { } p ? (p.X, p.Y) : null));
    }

    /// <summary>Nothing to release: the board owns the driver.</summary>
    public void Dispose() { }
}

/// <summary>
/// A kernel touchscreen (<c>/dev/input/eventN</c>, e.g. ads7846 for an XPT2046): a reader thread blocks on the device and queues every
/// report, so no sample between two polls is lost; raw values go through the axis calibration to display pixels, then into the
/// kiosk panel's coordinates.
/// </summary>
public sealed class EvdevKioskTouch : IKioskTouch
{
    private readonly EvdevTouchReader _reader;
    private readonly TouchCalibration _calibration;
    private readonly IKioskDisplay _display;
    private readonly ConcurrentQueue<KioskTouchSample> _queue = new();
    private readonly Thread _thread;
    private volatile bool _stopping;
    private volatile HardwareException? _failure;
    private bool _failureReported;

    /// <summary>Opens <c>Kiosk:Evdev:Device</c> (in simulation a named pipe emulating it) with the axis ranges of <c>Kiosk:Evdev</c>, onto the kiosk's display.</summary>
    public static IKioskTouch Open(Board.DeviceBoard b)
    {
        var e = b.Options.Kiosk.Evdev;
        var path = b.Emulate(_ => new EvdevTouchEmulator(e.Device))?.Path ?? e.Device;
        var reader = EvdevTouchReader.Open(path);
        var display = b.KioskDisplay ?? throw new InvalidOperationException("the kiosk's display opens before its touch input");
        var calibration = TouchCalibration.FromAxisRanges(e.XMin, e.XMax, e.YMin, e.YMax, e.SwapXY, display.Width, display.Height);
        b.Log.LogInformation("kiosk touch: {Device} (raw X {XMin}..{XMax}, Y {YMin}..{YMax}{Swap})", reader.Name, e.XMin, e.XMax, e.YMin, e.YMax, e.SwapXY ? ", swapped" : "");
        return new EvdevKioskTouch(reader, calibration, display);
    }

    /// <summary>Starts reading <paramref name="reader"/>; <paramref name="calibration"/> maps raw values to <paramref name="display"/> pixels. Takes ownership of the reader.</summary>
    public EvdevKioskTouch(EvdevTouchReader reader, TouchCalibration calibration, IKioskDisplay display)
    {
        _reader = reader;
        _calibration = calibration;
        _display = display;
        // A blocking read on the device node: a thread of its own, in the background so a pending read never holds up process exit.
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = reader.Name };
        _thread.Start();
    }

    /// <summary>The device, for logs and errors.</summary>
    public string Name => _reader.Name;

    /// <summary>Reports read so far.</summary>
    public long Reports { get; private set; }

    /// <summary>Kiosk panel coordinates → the raw values the device would report there (the simulator's pen uses it).</summary>
    public (int RawX, int RawY) ToRaw(double x, double y)
    {
        var (dx, dy) = _display.FromPanel(x, y);
        var (rx, ry) = _calibration.ToRaw(dx, dy);
        return ((int)Math.Round(rx), (int)Math.Round(ry));
    }

    /// <inheritdoc />
    public void Poll(List<KioskTouchSample> samples)
    {
        while (_queue.TryDequeue(out var s)) samples.Add(s);
        if (_failure is { } fault && !_failureReported)
        {
            _failureReported = true;
            throw fault;
        }
    }

    /// <summary>Stops reading and closes the device.</summary>
    public void Dispose()
    {
        _stopping = true;
        _reader.Dispose();
        // A read blocked in the kernel returns once the device delivers or goes away; the thread is a background one either way.
        _thread.Join(TimeSpan.FromMilliseconds(200));
    }

    private void ReadLoop()
    {
        try
        {
            while (!_stopping)
            {
                if (_reader.ReadReport() is not { } r)
                {
                    if (!_stopping) _failure = new HardwareFaultException(_reader.Name, "the device closed (unplugged?); touch input stopped");
                    return;
                }
                Reports++;
                if (!r.Touching)
                {
                    _queue.Enqueue(new KioskTouchSample(false, null));
                    continue;
                }
                var (dx, dy) = _calibration.Apply(r.X, r.Y);
                var (px, py) = _display.ToPanel(dx, dy);
                _queue.Enqueue(new KioskTouchSample(true, (Math.Clamp(px, 0, KioskController.Width - 1), Math.Clamp(py, 0, KioskController.Height - 1))));
            }
        }
        catch (Exception ex) when (ex is HardwareException or IOException or ObjectDisposedException)
        {
            if (!_stopping) _failure = ex as HardwareException ?? new HardwareFaultException(_reader.Name, $"read failed: {ex.Message}", ex);
        }
    }
}
