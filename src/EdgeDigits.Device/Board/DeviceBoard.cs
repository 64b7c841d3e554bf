using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Display;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Hardware;
using EdgeDigits.Hardware.Gpio;
using EdgeDigits.Hardware.Simulation.Gpio;
using Microsoft.Extensions.Logging;

namespace EdgeDigits.Device.Board;

/// <summary>
/// The parts of one board, opened by <see cref="PartFactory"/> from the options: the same drivers on real buses
/// (<c>Hardware: Real</c>) or on the chip emulators (<c>Simulated</c>). The choice between the two is made here only, in
/// <see cref="Spi"/>, <see cref="I2c"/> and <see cref="Emulate{T}"/>. Disposing leaves every part safe (gates off, displays
/// blank and dark, LEDs off), then releases the parts in reverse order of opening.
/// </summary>
public sealed class DeviceBoard : IDisposable, IGateOutput
{
    private readonly List<object> _parts = new();
    private readonly List<(string Name, Action Action)> _safeActions = new();
    private readonly List<IStatusDisplay> _statusDisplays = new();
    private readonly object _statusLock = new();
    private GpioController? _gpio;

    internal DeviceBoard(DeviceOptions options, ILogger log)
    {
        Options = options;
        Log = log;
        Kind = options.HardwareKind;
        if (Kind == HardwareKind.Simulated)
        {
            SimGpio = new EmulatedGpioDriver(TimeProvider.System);
            _gpio = new GpioController(SimGpio);
        }
    }

    /// <summary>Opens every part the options name. Throws <see cref="HardwareUnavailableException"/> naming the bus or pin that is missing.</summary>
    public static DeviceBoard Open(DeviceOptions options, ILogger log) => PartFactory.Open(options, log);

    /// <summary>The options the board was opened from.</summary>
    public DeviceOptions Options { get; }

    /// <summary>Where the parts' logs go.</summary>
    public ILogger Log { get; }

    /// <summary>Real buses or the chip emulators.</summary>
    public HardwareKind Kind { get; }

    /// <summary>The GPIO controller every part shares, opened when the first part needs it (a framebuffer + evdev kiosk without LEDs needs none).</summary>
    public GpioController Gpio => _gpio ??= Buses.OpenGpio("GPIO");

    /// <summary>The GPIO chip emulator (simulation only).</summary>
    public EmulatedGpioDriver? SimGpio { get; }

    /// <summary>Serializes SPI use of the LCD between the kiosk and the mirror.</summary>
    public object LcdLock { get; } = new();

    /// <summary>The display the kiosk draws on (ILI9341 or framebuffer), in kiosk mode.</summary>
    public IKioskDisplay? KioskDisplay { get; internal set; }

    /// <summary>The kiosk's pen (XPT2046 or evdev), in kiosk mode.</summary>
    public IKioskTouch? KioskTouch { get; internal set; }

    /// <summary>Status LEDs (ok, busy, error).</summary>
    public StatusLeds? Leds { get; internal set; }

    /// <summary>The sorter gates, in sorter mode.</summary>
    public GateBank? Gates { get; internal set; }

    /// <summary>The light-barrier trigger, in sorter mode.</summary>
    public TriggerInput? Trigger { get; internal set; }

    /// <summary>The small displays that show each reading (OLED, 7-segment).</summary>
    public IReadOnlyList<IStatusDisplay> StatusDisplays => _statusDisplays;

    /// <summary>The opened part (driver or emulator) of type <typeparamref name="T"/>, or null: e.g. <c>Part&lt;Ili9341Emulator&gt;()</c>.</summary>
    public T? Part<T>() where T : class => _parts.OfType<T>().FirstOrDefault();

    /// <summary>Keeps <paramref name="part"/> (released with the board); <paramref name="makeSafe"/> runs first on dispose (e.g. blank a display).</summary>
    public T Add<T>(T part, Action? makeSafe = null) where T : class
    {
        _parts.Add(part);
        if (makeSafe is not null) _safeActions.Add((part.GetType().Name, makeSafe));
        if (part is IStatusDisplay s) _statusDisplays.Add(s);
        return part;
    }

    /// <summary>The SPI device of a chip: the real bus, or the chip's emulator made by <paramref name="emulate"/> (kept as a part).</summary>
    public SpiDevice Spi(string chip, int bus, int chipSelect, int clockHz, Func<EmulatedGpioDriver, SpiDevice> emulate) =>
        Add(SimGpio is { } gpio ? emulate(gpio) : Buses.OpenSpi(chip, bus, chipSelect, clockHz));

    /// <summary>The I2C device of a chip: the real bus, or the chip's emulator (kept as a part).</summary>
    public I2cDevice I2c(string chip, int bus, int address, Func<I2cDevice> emulate) =>
        Add(SimGpio is not null ? emulate() : Buses.OpenI2c(chip, bus, address));

    /// <summary>In simulation, makes the emulator of a chip that sits on plain GPIO pins (kept as a part); on real hardware nothing.</summary>
    public T? Emulate<T>(Func<EmulatedGpioDriver, T> emulate) where T : class =>
        SimGpio is { } gpio ? Add(emulate(gpio)) : null;

    /// <summary>Shows a reading on every status display (each under one lock, so two readings never interleave).</summary>
    public void ShowOnStatusDisplays(DeviceReading r)
    {
        lock (_statusLock)
            foreach (var d in _statusDisplays) d.Show(r);
    }

    /// <inheritdoc />
    public void Pulse(string gate, int ms)
    {
        if (Gates is null) throw new InvalidOperationException("no gates on this board");
        if (!Gates[gate].Pulse(TimeSpan.FromMilliseconds(ms)))
            Log.LogWarning("gate {Gate}: pulse refused (minimum interval between pulses)", gate);
    }

    /// <inheritdoc />
    public void AllOff() => Gates?.AllOff();

    /// <summary>Leaves the hardware safe (each part's safe action, in order of opening), then releases the parts in reverse order.</summary>
    public void Dispose()
    {
        foreach (var (name, action) in _safeActions) Try(name, action);
        for (var i = _parts.Count - 1; i >= 0; i--)
            if (_parts[i] is IDisposable d) Try(_parts[i].GetType().Name, d.Dispose);
        _parts.Clear();
        _safeActions.Clear();
        Try("GPIO", () => _gpio?.Dispose());
    }

    private void Try(string part, Action a)
    {
        try { a(); }
        catch (Exception ex) { Log.LogWarning("board shutdown: {Part}: {Error}", part, ex.Message); }
    }
}
