using System.Device.Gpio;
using EdgeDigits.Hardware.Simulation;
using EdgeDigits.Hardware.Simulation.Gpio;

namespace EdgeDigits.Hardware.Tests.TestInfrastructure;

/// <summary>An emulated board: a virtual clock, the emulated GPIO chip and a real GpioController over it.</summary>
internal sealed class Board : IDisposable
{
    public ManualTimeProvider Clock { get; } = new();
    public EmulatedGpioDriver Chip { get; }
    public GpioController Gpio { get; }

    /// <summary>Creates the board; <paramref name="wallClock"/> stamps pin changes with the system clock instead of <see cref="Clock"/>, for drivers that wait on the wall clock (the Iot.Device.Bindings TM1637), so the emulators measure their real timing.</summary>
    public Board(bool wallClock = false)
    {
        Chip = new EmulatedGpioDriver(wallClock ? TimeProvider.System : Clock);
        Gpio = new GpioController(Chip);
    }

    public void Advance(double ms) => Clock.Advance(TimeSpan.FromMilliseconds(ms));

    public void Dispose() => Gpio.Dispose();
}
