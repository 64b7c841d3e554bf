namespace EdgeDigits.Hardware.Tests;

public class BusesTests
{
    [Fact]
    public void OpenSpi_NoSpidevOnThisMachine_ThrowsNamingDeviceNode()
    {
        if (File.Exists("/dev/spidev0.0")) return; // a real board: nothing to prove here
        var ex = Assert.Throws<HardwareUnavailableException>(() => Buses.OpenSpi("ILI9341", 0, 0, 32_000_000));
        Assert.StartsWith("ILI9341 on /dev/spidev0.0: no such SPI device", ex.Message);
    }

    [Fact]
    public void OpenI2c_NoBusOnThisMachine_ThrowsNamingBusAndAddress()
    {
        if (File.Exists("/dev/i2c-1")) return;
        var ex = Assert.Throws<HardwareUnavailableException>(() => Buses.OpenI2c("SSD1306", 1, 0x3C));
        Assert.StartsWith("SSD1306 on /dev/i2c-1 at 0x3C: no such I2C bus", ex.Message);
    }

    [Fact]
    public void OpenGpio_NoGpioChip_ThrowsNamingDevice()
    {
        if (Directory.EnumerateFiles("/dev", "gpiochip*").Any()) return;
        var ex = Assert.Throws<HardwareUnavailableException>(() => Buses.OpenGpio("TM1637"));
        Assert.StartsWith("TM1637 on gpiochip: no GPIO controller", ex.Message);
    }
}
