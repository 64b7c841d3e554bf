using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Display;
using EdgeDigits.Device.Modes;
using EdgeDigits.Hardware.Gpio;
using Microsoft.Extensions.Logging;

namespace EdgeDigits.Device.Board;

/// <summary>
/// Opens a board's parts from typed configuration: each kind of part is one registration below, and each part's class
/// opens it on the real bus or on its emulator through <see cref="DeviceBoard.Spi"/>, <see cref="DeviceBoard.I2c"/> or
/// <see cref="DeviceBoard.Emulate{T}"/>. A new display chip is its class and one line in <see cref="DisplayChips"/>.
/// </summary>
public static class PartFactory
{
    /// <summary>The display chips by <c>Displays:&lt;chip&gt;</c>; each opener returns the driver or an <see cref="IStatusDisplay"/>.</summary>
    public static readonly IReadOnlyDictionary<DisplayChip, Func<DeviceBoard, object>> DisplayChips = new Dictionary<DisplayChip, Func<DeviceBoard, object>>
    {
        [DisplayChip.Ili9341] = Ili9341Lcd.Open,
        [DisplayChip.Ssd1306] = Ssd1306StatusDisplay.Open,
        [DisplayChip.Tm1637] = Tm1637StatusDisplay.Open,
    };

    /// <summary>Where the kiosk draws, by <c>Kiosk:Display</c>.</summary>
    public static readonly IReadOnlyDictionary<KioskDisplayKind, Func<DeviceBoard, IKioskDisplay>> KioskDisplays = new Dictionary<KioskDisplayKind, Func<DeviceBoard, IKioskDisplay>>
    {
        [KioskDisplayKind.Ili9341] = Ili9341KioskDisplay.Open,
        [KioskDisplayKind.Framebuffer] = FramebufferKioskDisplay.Open,
    };

    /// <summary>Where the kiosk's pen comes from, by <c>Kiosk:Touch</c>.</summary>
    public static readonly IReadOnlyDictionary<KioskTouchKind, Func<DeviceBoard, IKioskTouch>> KioskTouches = new Dictionary<KioskTouchKind, Func<DeviceBoard, IKioskTouch>>
    {
        [KioskTouchKind.Xpt2046] = Xpt2046KioskTouch.Open,
        [KioskTouchKind.Evdev] = EvdevKioskTouch.Open,
    };

    /// <summary>Where meter mode draws its reading, by <c>Meter:Display</c> (<c>None</c> opens nothing).</summary>
    public static readonly IReadOnlyDictionary<MeterDisplayKind, Func<DeviceBoard, IStatusDisplay>> MeterDisplays = new Dictionary<MeterDisplayKind, Func<DeviceBoard, IStatusDisplay>>
    {
        [MeterDisplayKind.Ili9341] = Ili9341MeterDisplay.Open,
    };

    /// <summary>Opens every part <paramref name="options"/> names; on a failure what was opened is released and the error rethrown.</summary>
    public static DeviceBoard Open(DeviceOptions options, ILogger log)
    {
        var b = new DeviceBoard(options, log);
        try
        {
            // The sorter's outputs first: on dispose, parts are made safe in the order they were opened, so the gates go off before anything else.
            foreach (var mode in ModeCatalog.Configured(options).Where(m => m.Name == SorterMode.Registration.Name)) mode.OpenParts(b);
            foreach (var (chip, open) in DisplayChips)
                if (options.Displays.Has(chip)) open(b);
            foreach (var mode in ModeCatalog.Configured(options).Where(m => m.Name != SorterMode.Registration.Name)) mode.OpenParts(b);
            OpenLeds(b);
            return b;
        }
        catch
        {
            b.Dispose();
            throw;
        }
    }

    /// <summary>The kiosk's display, then its touch input (an evdev touch maps onto the display's pixels).</summary>
    public static void OpenKioskParts(DeviceBoard b)
    {
        var k = b.Options.Kiosk;
        b.KioskDisplay = KioskDisplays[k.DisplayKind](b);
        b.KioskTouch = b.Add(KioskTouches[k.TouchKind](b));
    }

    /// <summary>The meter's own display, when <c>Meter:Display</c> names one (it joins the status displays, which every reading reaches).</summary>
    public static void OpenMeterParts(DeviceBoard b)
    {
        if (MeterDisplays.TryGetValue(b.Options.Meter.DisplayKind, out var open)) open(b);
    }

    /// <summary>The sorter's gates (pulse length bounded by <c>Sorter:PulseMs</c>) and the debounced light-barrier trigger.</summary>
    public static void OpenSorterParts(DeviceBoard b)
    {
        var s = b.Options.Sorter;
        var minInterval = TimeSpan.FromMilliseconds(Math.Min(50, s.PulseMs));
        var maxPulse = TimeSpan.FromMilliseconds(Math.Max(2000, s.PulseMs));
        b.Gates = b.Add(new GateBank(s.Gates.Select(g => new Gate(g.Pin, g.Name, minInterval, maxPulse, activeHigh: !g.ActiveLow, gpio: b.Gpio, shouldDispose: false))), () => b.Gates?.AllOff());
        b.Trigger = b.Add(new TriggerInput(b.Options.Pins.Trigger, "trigger", TimeSpan.FromMilliseconds(s.DebounceMs), gpio: b.Gpio, shouldDispose: false));
    }

    private static void OpenLeds(DeviceBoard b)
    {
        var p = b.Options.Pins;
        Led? Open(int pin, string name) => pin >= 0 ? new Led(pin, name, gpio: b.Gpio, shouldDispose: false) : null;
        b.Leds = b.Add(new StatusLeds(Open(p.LedOk, "LED ok"), Open(p.LedBusy, "LED busy"), Open(p.LedError, "LED error")));
    }
}
