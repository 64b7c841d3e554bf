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

    public Board()
    {
        Chip = new EmulatedGpioDriver(Clock);
        Gpio = new GpioController(Chip);
    }

    public void Advance(double ms) => Clock.Advance(TimeSpan.FromMilliseconds(ms));

    public void Dispose() => Gpio.Dispose();
}
