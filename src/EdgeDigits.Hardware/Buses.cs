using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;

namespace EdgeDigits.Hardware;

/// <summary>Opens the real SPI, I2C and GPIO buses and turns "not on this machine" into a <see cref="HardwareUnavailableException"/> naming the bus.</summary>
public static class Buses
{
    /// <summary>Opens <c>/dev/spidev{busId}.{chipSelect}</c> at the given clock and mode.</summary>
    public static SpiDevice OpenSpi(string device, int busId, int chipSelect, int clockHz, SpiMode mode = SpiMode.Mode0)
    {
        var path = $"/dev/spidev{busId}.{chipSelect}";
        // SpiDevice.Create on Linux opens the node lazily (first transfer), so check it up front.
        if (OperatingSystem.IsLinux() && !File.Exists(path))
            throw new HardwareUnavailableException($"{device} on {path}", "no such SPI device; enable SPI (dtparam=spi=on) and check the wiring");
        try
        {
            return SpiDevice.Create(new SpiConnectionSettings(busId, chipSelect) { ClockFrequency = clockHz, Mode = mode });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or DllNotFoundException or InvalidOperationException)
        {
            throw new HardwareUnavailableException($"{device} on {path}", $"no such SPI device ({ex.Message}); enable SPI (dtparam=spi=on) and check the wiring", ex);
        }
    }

    /// <summary>Opens <c>/dev/i2c-{busId}</c> for the device at the 7-bit address.</summary>
    public static I2cDevice OpenI2c(string device, int busId, int address)
    {
        var path = $"/dev/i2c-{busId}";
        try
        {
            return I2cDevice.Create(new I2cConnectionSettings(busId, address));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException or DllNotFoundException or InvalidOperationException)
        {
            throw new HardwareUnavailableException($"{device} on {path} at 0x{address:X2}", $"no such I2C bus ({ex.Message}); enable I2C (dtparam=i2c_arm=on)", ex);
        }
    }

    /// <summary>Opens the board's GPIO controller (libgpiod / sysfs as System.Device.Gpio picks).</summary>
    public static GpioController OpenGpio(string device)
    {
        try
        {
            return new GpioController();
        }
        catch (Exception ex)
        {
            throw new HardwareUnavailableException($"{device} on gpiochip", $"no GPIO controller on this machine ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }
}
