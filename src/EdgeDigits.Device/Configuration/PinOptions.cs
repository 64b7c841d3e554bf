namespace EdgeDigits.Device.Configuration;

/// <summary>The BCM pin map. An unconnected pin is -1. Defaults match hardware/ and the drivers' README.</summary>
public sealed class PinOptions
{
    /// <summary>SPI bus number (SPI0).</summary>
    public int SpiBus { get; set; }

    /// <summary>ILI9341 chip select on SPI0 (CE0 = GPIO8).</summary>
    public int LcdChipSelect { get; set; }

    /// <summary>ILI9341 data/command pin.</summary>
    public int LcdDc { get; set; } = 25;

    /// <summary>ILI9341 reset pin.</summary>
    public int LcdReset { get; set; } = 24;

    /// <summary>ILI9341 backlight pin.</summary>
    public int LcdBacklight { get; set; } = 18;

    /// <summary>XPT2046 chip select on SPI0 (CE1 = GPIO7).</summary>
    public int TouchChipSelect { get; set; } = 1;

    /// <summary>XPT2046 PENIRQ pin (active low).</summary>
    public int TouchIrq { get; set; } = 17;

    /// <summary>I2C bus for the SSD1306 (I2C1: SDA GPIO2, SCL GPIO3).</summary>
    public int I2cBus { get; set; } = 1;

    /// <summary>SSD1306 I2C address.</summary>
    public int OledAddress { get; set; } = 0x3C;

    /// <summary>TM1637 clock pin.</summary>
    public int Tm1637Clk { get; set; } = 5;

    /// <summary>TM1637 data pin.</summary>
    public int Tm1637Dio { get; set; } = 6;

    /// <summary>Green "ok" LED.</summary>
    public int LedOk { get; set; } = 22;

    /// <summary>Yellow "busy" LED.</summary>
    public int LedBusy { get; set; } = 23;

    /// <summary>Red "error" LED.</summary>
    public int LedError { get; set; } = 27;

    /// <summary>Light-barrier trigger input (pull-up, active low).</summary>
    public int Trigger { get; set; } = 4;
}

/// <summary>Which displays are attached.</summary>
public sealed class DisplayOptions
{
    /// <summary>ILI9341 320x240 SPI LCD (with the XPT2046 touch controller for the kiosk).</summary>
    public bool Ili9341 { get; set; } = true;

    /// <summary>SSD1306 128x64 I2C OLED status display.</summary>
    public bool Ssd1306 { get; set; }

    /// <summary>TM1637 7-segment display (shows the last value).</summary>
    public bool Tm1637 { get; set; }

    /// <summary>Whether <paramref name="chip"/> is attached.</summary>
    public bool Has(DisplayChip chip) => chip switch
    {
        DisplayChip.Ili9341 => Ili9341,
        DisplayChip.Ssd1306 => Ssd1306,
        DisplayChip.Tm1637 => Tm1637,
        _ => false,
    };

    /// <summary>LCD SPI clock in Hz.</summary>
    public int SpiClockHz { get; set; } = 32_000_000;
}
