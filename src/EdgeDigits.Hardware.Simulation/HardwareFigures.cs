using System.Device.Gpio;
using System.Device.Spi;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Simulation.Gpio;
using EdgeDigits.Hardware.Simulation.Ssd13xx;
using EdgeDigits.Hardware.Simulation.Tm16xx;
using EdgeDigits.Hardware.Simulation.Xpt204x;
using EdgeDigits.Hardware.Ssd13xx;
using EdgeDigits.Hardware.Tm16xx;
using EdgeDigits.Hardware.Xpt204x;
using SkiaSharp;

namespace EdgeDigits.Hardware.Simulation;

/// <summary>What <see cref="HardwareFigures.Measure"/> computes and times.</summary>
/// <param name="SpiClockHz">LCD SPI clock.</param>
/// <param name="TouchClockHz">Touch SPI clock.</param>
/// <param name="I2cClockHz">OLED I2C clock.</param>
/// <param name="DigitWidth">Width of the digit cell redrawn for one recognised digit.</param>
/// <param name="DigitHeight">Height of that cell.</param>
/// <param name="SamplesPerReading">Touch samples per reading.</param>
/// <param name="Repetitions">Timed repetitions per figure.</param>
public sealed record HardwareFiguresOptions(int SpiClockHz = 32_000_000, int TouchClockHz = 2_000_000, int I2cClockHz = 400_000, int DigitWidth = 64, int DigitHeight = 96, int SamplesPerReading = 5, int Repetitions = 50);

/// <summary>One line of the figures table.</summary>
/// <param name="Item">What was measured.</param>
/// <param name="Bytes">Bytes on the bus.</param>
/// <param name="BusTime">Theoretical bus time at the clock.</param>
/// <param name="DriverCpu">CPU time the driver spent per update on this machine (emulated bus, so no bus wait).</param>
/// <param name="Note">Rate or remark.</param>
public readonly record struct HardwareFigure(string Item, long Bytes, TimeSpan BusTime, TimeSpan DriverCpu, string Note);

/// <summary>Bus figures for the issue note and the device log: bytes and theoretical bus time of a full LCD frame and a one-digit partial update, touch readings per second, OLED and 7-segment update cost; the drivers' own CPU time per update is measured against the emulators.</summary>
public static class HardwareFigures
{
    /// <summary>Computes and times every figure.</summary>
    public static IReadOnlyList<HardwareFigure> Measure(HardwareFiguresOptions o)
    {
        if (o.SpiClockHz <= 0 || o.TouchClockHz <= 0 || o.I2cClockHz <= 0) throw new ArgumentException("clocks must be positive");
        if (o.DigitWidth is <= 0 or > 320 || o.DigitHeight is <= 0 or > 240) throw new ArgumentException($"digit cell {o.DigitWidth}x{o.DigitHeight} does not fit the 320x240 panel");
        if (o.Repetitions <= 0) throw new ArgumentException("repetitions must be positive");
        if (o.TouchClockHz > Xpt2046.MaxClockHz) throw new ArgumentException($"touch clock {o.TouchClockHz} Hz is above the XPT2046's {Xpt2046.MaxClockHz} Hz");

        var list = new List<HardwareFigure>();
        var clock = new ManualTimeProvider();
        var chip = new EmulatedGpioDriver(clock);
        using var gpio = new GpioController(chip);

        var bus = new CountingSpi(new SpiConnectionSettings(0, 0) { ClockFrequency = o.SpiClockHz });
        using var lcd = new Ili9341(bus, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, PinMap.Ili9341Backlight, gpio: gpio, shouldDispose: false, time: clock);
        lcd.Initialize();
        using var frame = new SKBitmap(320, 240);
        using (var canvas = new SKCanvas(frame))
        {
            canvas.Clear(SKColors.White);
            using var pen = new SKPaint { Color = SKColors.Black, StrokeWidth = 8, IsStroke = true };
            canvas.DrawLine(20, 20, 300, 220, pen);
        }
        var full = TimeLcd(lcd, bus, frame, new SKRectI(0, 0, 320, 240), o.Repetitions);
        var fullEst = Ili9341.EstimateTransferTime(320, 240, o.SpiClockHz);
        list.Add(new HardwareFigure("ILI9341 full frame 320x240", full.Bytes, fullEst.Time, full.Cpu, $"{fullEst.MaxUpdatesPerSecond:F1} frames/s bus limit"));
        var digit = TimeLcd(lcd, bus, frame, new SKRectI(100, 60, 100 + o.DigitWidth, 60 + o.DigitHeight), o.Repetitions);
        var digitEst = Ili9341.EstimateTransferTime(o.DigitWidth, o.DigitHeight, o.SpiClockHz);
        list.Add(new HardwareFigure($"ILI9341 one digit {o.DigitWidth}x{o.DigitHeight}", digit.Bytes, digitEst.Time, digit.Cpu, $"{(double)fullEst.Bytes / digitEst.Bytes:F1}x fewer bytes than a full frame"));

        // A live-ink update: one 10 ms pen move of a 6 px stroke redraws about a 20x20 box.
        var ink = TimeLcd(lcd, bus, frame, new SKRectI(150, 110, 170, 130), o.Repetitions);
        var inkEst = Ili9341.EstimateTransferTime(20, 20, o.SpiClockHz);
        list.Add(new HardwareFigure("ILI9341 ink segment 20x20", ink.Bytes, inkEst.Time, ink.Cpu, $"{inkEst.MaxUpdatesPerSecond:N0} updates/s bus limit"));

        var touchChip = new Xpt2046Emulator(chip, PinMap.Xpt2046PenIrq, clockHz: o.TouchClockHz);
        using var touch = new Xpt2046(touchChip, PinMap.Xpt2046PenIrq, gpio, shouldDispose: false, time: clock) { SamplesPerReading = o.SamplesPerReading };
        touchChip.Touch(160, 120);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < o.Repetitions * 20; i++) touch.ReadRaw();
        var perReading = sw.Elapsed / (o.Repetitions * 20);
        var rate = Xpt2046.EstimateReadingsPerSecond(o.TouchClockHz, o.SamplesPerReading);
        list.Add(new HardwareFigure($"XPT2046 reading ({o.SamplesPerReading} samples, 1 transfer)", touch.BytesPerReading, TimeSpan.FromSeconds(touch.BytesPerReading * 8.0 / o.TouchClockHz), perReading, $"{rate:N0} readings/s bus limit"));

        var oledChip = new Ssd1306Emulator();
        using var oled = new Ssd1306(oledChip, shouldDispose: false);
        oled.Initialize();
        oled.Update(new byte[oled.FrameBytes], force: true); // warm-up (JIT)
        var writesBefore = oledChip.Writes;
        var bytesBefore = oledChip.BytesWritten;
        var pattern = new byte[oled.FrameBytes];
        for (var i = 0; i < pattern.Length; i++) pattern[i] = (byte)(i * 37);
        sw.Restart();
        oled.Update(pattern, force: true);
        var oledCpu = sw.Elapsed;
        var oledBytes = oledChip.BytesWritten - bytesBefore + (oledChip.Writes - writesBefore); // + the address byte of each write
        // I2C: 9 clocks per byte (8 data + ACK), plus start/stop (~2 clocks) per write.
        var oledTime = TimeSpan.FromSeconds((oledBytes * 9.0 + (oledChip.Writes - writesBefore) * 2) / o.I2cClockHz);
        list.Add(new HardwareFigure("SSD1306 full frame (8 pages)", oledBytes, oledTime, oledCpu, $"at {o.I2cClockHz / 1000} kHz I2C"));

        // The TM1637 binding (Iot.Device.Bindings) waits on the wall clock: its own chip stamps pin
        // changes with the system clock, and the wire time is the span of one update's transitions.
        var tmChip = new EmulatedGpioDriver(TimeProvider.System);
        using var tmGpio = new GpioController(tmChip);
        var tmModule = new Tm1637Emulator(tmChip, PinMap.Tm1637Clock, PinMap.Tm1637Data);
        using var tm = new Tm1637(PinMap.Tm1637Clock, PinMap.Tm1637Data, gpio: tmGpio, shouldDispose: false);
        tm.Display("88:88"); // warm-up (JIT) and the binding's one-off display-state frames
        var acksBefore = tmModule.BytesAcknowledged;
        var wire = TimeSpan.Zero;
        sw.Restart();
        for (var i = 0; i < o.Repetitions; i++)
        {
            var first = tmChip.Transitions.Count;
            tm.Display("12:34");
            var t = tmChip.Transitions;
            wire += t[^1].Time - t[first].Time;
        }
        var tmCpu = sw.Elapsed / o.Repetitions;
        list.Add(new HardwareFigure("TM1637 \"12:34\" (3 frames, Iot.Device.Bindings)", (tmModule.BytesAcknowledged - acksBefore) / o.Repetitions, wire / o.Repetitions, tmCpu, $"binding's half period {tm.BitDelay.TotalMicroseconds:0} us, wire time measured; decoded \"{tmModule.Text}\""));
        return list;
    }

    /// <summary>The figures as a Markdown table.</summary>
    public static string ToMarkdown(IReadOnlyList<HardwareFigure> figures, HardwareFiguresOptions o)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"LCD SPI {o.SpiClockHz / 1e6:0.##} MHz, touch SPI {o.TouchClockHz / 1e6:0.##} MHz, OLED I2C {o.I2cClockHz / 1e3:0} kHz; CPU = time per update on this machine, mean of {o.Repetitions} (LCD: driver only, bytes discarded; touch, OLED, TM1637: driver plus emulator). Bus time is the theoretical lower bound on the wire.");
        sb.AppendLine();
        sb.AppendLine("| update | bytes | bus time | driver CPU | note |");
        sb.AppendLine("|---|---:|---:|---:|---|");
        foreach (var f in figures)
            sb.AppendLine(inv, $"| {f.Item} | {f.Bytes:N0} | {Format(f.BusTime)} | {Format(f.DriverCpu)} | {f.Note} |");
        return sb.ToString();
    }

    private static string Format(TimeSpan t) => t.TotalMilliseconds >= 1
        ? t.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture) + " ms"
        : t.TotalMicroseconds.ToString("F1", CultureInfo.InvariantCulture) + " us";

    private static (long Bytes, TimeSpan Cpu) TimeLcd(Ili9341 lcd, CountingSpi bus, SKBitmap frame, SKRectI rect, int repetitions)
    {
        lcd.DrawBitmap(frame, rect, rect.Left, rect.Top); // warm-up (JIT)
        var before = bus.BytesWritten;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < repetitions; i++) lcd.DrawBitmap(frame, rect, rect.Left, rect.Top);
        return ((bus.BytesWritten - before) / repetitions, sw.Elapsed / repetitions);
    }

    /// <summary>An SPI device that only counts, so the timing is the driver's alone.</summary>
    private sealed class CountingSpi(SpiConnectionSettings settings) : SpiDeviceEmulator(settings, 65536)
    {
        protected override void OnTransfer(ReadOnlySpan<byte> mosi, Span<byte> miso) => miso.Clear();
    }
}
