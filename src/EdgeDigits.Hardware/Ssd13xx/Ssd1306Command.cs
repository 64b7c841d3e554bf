namespace EdgeDigits.Hardware.Ssd13xx;

/// <summary>SSD1306 commands used by the driver (datasheet rev 1.1, section 9); parameter counts in the comments.</summary>
public enum Ssd1306Command : byte
{
    /// <summary>Lower nibble of the page-mode column start (OR the nibble in).</summary>
    SetLowerColumn = 0x00,
    /// <summary>Upper nibble of the page-mode column start (OR the nibble in).</summary>
    SetHigherColumn = 0x10,
    /// <summary>Memory addressing mode (1): 0 horizontal, 1 vertical, 2 page.</summary>
    SetMemoryAddressingMode = 0x20,
    /// <summary>Display start line (OR 0..63 in).</summary>
    SetDisplayStartLine = 0x40,
    /// <summary>Contrast (1): 0..255.</summary>
    SetContrast = 0x81,
    /// <summary>Charge pump (1): 0x14 enable, 0x10 disable.</summary>
    ChargePump = 0x8D,
    /// <summary>Segment remap off: column 0 on SEG0.</summary>
    SegmentRemapOff = 0xA0,
    /// <summary>Segment remap on: column 127 on SEG0.</summary>
    SegmentRemapOn = 0xA1,
    /// <summary>Display follows RAM.</summary>
    EntireDisplayResume = 0xA4,
    /// <summary>All pixels on regardless of RAM.</summary>
    EntireDisplayOn = 0xA5,
    /// <summary>Normal (1 = lit).</summary>
    NormalDisplay = 0xA6,
    /// <summary>Inverse (0 = lit).</summary>
    InverseDisplay = 0xA7,
    /// <summary>Multiplex ratio (1): rows − 1.</summary>
    SetMultiplexRatio = 0xA8,
    /// <summary>Display off (sleep).</summary>
    DisplayOff = 0xAE,
    /// <summary>Display on.</summary>
    DisplayOn = 0xAF,
    /// <summary>Page start for page addressing (OR 0..7 in).</summary>
    SetPageStart = 0xB0,
    /// <summary>COM scan COM0 → COM[N−1].</summary>
    ComScanIncrement = 0xC0,
    /// <summary>COM scan COM[N−1] → COM0.</summary>
    ComScanDecrement = 0xC8,
    /// <summary>Display offset (1).</summary>
    SetDisplayOffset = 0xD3,
    /// <summary>Clock divide ratio / oscillator frequency (1).</summary>
    SetDisplayClock = 0xD5,
    /// <summary>Pre-charge period (1).</summary>
    SetPrechargePeriod = 0xD9,
    /// <summary>COM pins hardware configuration (1).</summary>
    SetComPins = 0xDA,
    /// <summary>VCOMH deselect level (1).</summary>
    SetVcomhDeselect = 0xDB,
}

/// <summary>The control byte that starts every I2C write to the SSD1306: Co (continuation) and D/C# bits.</summary>
public static class Ssd1306Control
{
    /// <summary>Command stream follows (Co = 0, D/C# = 0).</summary>
    public const byte CommandStream = 0x00;

    /// <summary>Data (GDDRAM) stream follows (Co = 0, D/C# = 1).</summary>
    public const byte DataStream = 0x40;

    /// <summary>Co bit: only one byte follows, then another control byte.</summary>
    public const byte Continuation = 0x80;
}
