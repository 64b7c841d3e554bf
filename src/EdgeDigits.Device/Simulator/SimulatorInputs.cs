using System.Device.Gpio;
using EdgeDigits.Core.Inks;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Web;
using EdgeDigits.Hardware.Simulation.Linux;
using EdgeDigits.Hardware.Simulation.Xpt204x;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Simulator;

/// <summary>The simulator's inputs the page drives: the pen on the kiosk's emulated touch input, the light barrier on the emulated trigger pin.</summary>
public sealed class SimulatorInputs(ModeRunner runner, IOptions<DeviceOptions> options) : ISimulatorInputs, IDisposable
{
    private readonly SemaphoreSlim _inkGate = new(1, 1);

    /// <inheritdoc />
    public async Task PlayInkAsync(string inkJson, CancellationToken ct)
    {
        var strokes = PenPlayback.ToPanel(Parse(inkJson), KioskController.Width, KioskController.Height);
        var (touch, lift) = EmulatedPen();
        var kiosk = runner.Mode<KioskMode>()?.Controller;
        var pen = new PenPlayback(touch, lift, kiosk is null ? null : () => kiosk.Polls, options.Value.Kiosk.PollMs);
        await _inkGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await Task.Factory.StartNew(() => pen.Play(strokes, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            lift();
            _inkGate.Release();
        }
    }

    private static Ink Parse(string json)
    {
        try { return Ink.Parse(json); }
        catch (InkFormatException ex) { throw new FormatException(ex.Message, ex); }
    }

    /// <summary>The simulator's pen on whichever touch input the kiosk reads: the emulated XPT2046, or events into the emulated evdev device.</summary>
    private (Action<double, double> Touch, Action Lift) EmulatedPen()
    {
        var board = runner.Board;
        if (board?.Part<Xpt2046Emulator>() is { } xpt) return ((x, y) => xpt.Touch(x, y), xpt.Lift);
        if (board is { KioskTouch: EvdevKioskTouch reader } && board.Part<EvdevTouchEmulator>() is { } ev)
            return ((x, y) => { var (rx, ry) = reader.ToRaw(x, y); ev.Touch(rx, ry); }, ev.Lift);
        throw new ArgumentException("no emulated touch panel (kiosk mode in the simulator profile)");
    }

    /// <inheritdoc />
    public void FireTrigger()
    {
        var gpio = runner.Board?.SimGpio ?? throw new InvalidOperationException("no emulated GPIO (simulator profile only)");
        var pin = options.Value.Pins.Trigger;
        // A parcel breaks the beam for ~100 ms (a 10 cm box at 1 m/s): the barrier pulls the line low, then releases it to the pull-up.
        gpio.Drive(pin, PinValue.Low);
        _ = Task.Delay(100).ContinueWith(_ => gpio.Drive(pin, null), TaskScheduler.Default);
    }

    /// <inheritdoc />
    public void Dispose() => _inkGate.Dispose();
}
