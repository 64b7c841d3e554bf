namespace EdgeDigits.Hardware;

/// <summary>The project's wiring (BCM GPIO numbers, buses); hardware/README and the device config use the same numbers.</summary>
public static class PinMap
{
    /// <summary>SPI bus of the LCD and the touch controller (SPI0).</summary>
    public const int SpiBus = 0;
    /// <summary>ILI9341 chip select: SPI0 CE0 (GPIO8).</summary>
    public const int Ili9341ChipSelect = 0;
    /// <summary>ILI9341 data/command select.</summary>
    public const int Ili9341DataCommand = 25;
    /// <summary>ILI9341 reset, active low.</summary>
    public const int Ili9341Reset = 24;
    /// <summary>ILI9341 backlight enable.</summary>
    public const int Ili9341Backlight = 18;
    /// <summary>XPT2046 chip select: SPI0 CE1 (GPIO7).</summary>
    public const int Xpt2046ChipSelect = 1;
    /// <summary>XPT2046 PENIRQ, open drain, low while the pen is down.</summary>
    public const int Xpt2046PenIrq = 17;
    /// <summary>I2C bus of the OLED (I2C1: SDA GPIO2, SCL GPIO3).</summary>
    public const int I2cBus = 1;
    /// <summary>SSD1306 7-bit I2C address.</summary>
    public const int Ssd1306Address = 0x3C;
    /// <summary>TM1637 clock.</summary>
    public const int Tm1637Clock = 5;
    /// <summary>TM1637 data.</summary>
    public const int Tm1637Data = 6;
    /// <summary>Green "ok" LED.</summary>
    public const int LedOk = 22;
    /// <summary>Yellow "busy" LED.</summary>
    public const int LedBusy = 23;
    /// <summary>Red "error" LED.</summary>
    public const int LedError = 27;
    /// <summary>Light barrier trigger input (pull-up, active low).</summary>
    public const int Trigger = 4;
    /// <summary>Sorting gate A.</summary>
    public const int GateA = 12;
    /// <summary>Sorting gate B.</summary>
    public const int GateB = 13;
    /// <summary>Sorting gate C.</summary>
    public const int GateC = 16;
    /// <summary>Reject gate.</summary>
    public const int GateReject = 26;
}
