namespace EdgeDigits.Hardware.Ili934x;

/// <summary>ILI9341 command codes used by the driver (datasheet V1.11, section 8).</summary>
public enum Ili9341Command : byte
{
    /// <summary>No operation.</summary>
    Nop = 0x00,
    /// <summary>Software reset; wait 5 ms before the next command and 120 ms before Sleep Out.</summary>
    SoftwareReset = 0x01,
    /// <summary>Enter sleep mode.</summary>
    SleepIn = 0x10,
    /// <summary>Leave sleep mode; wait 5 ms before the next command (120 ms before Sleep In).</summary>
    SleepOut = 0x11,
    /// <summary>Inversion off.</summary>
    InversionOff = 0x20,
    /// <summary>Inversion on.</summary>
    InversionOn = 0x21,
    /// <summary>Gamma curve select (1 parameter).</summary>
    GammaSet = 0x26,
    /// <summary>Display off (frame memory kept).</summary>
    DisplayOff = 0x28,
    /// <summary>Display on.</summary>
    DisplayOn = 0x29,
    /// <summary>Column address set: SC[15:8], SC[7:0], EC[15:8], EC[7:0].</summary>
    ColumnAddressSet = 0x2A,
    /// <summary>Page (row) address set: SP[15:8], SP[7:0], EP[15:8], EP[7:0].</summary>
    PageAddressSet = 0x2B,
    /// <summary>Memory write: pixel data follows, filling the column/page window.</summary>
    MemoryWrite = 0x2C,
    /// <summary>Memory access control (MY MX MV ML BGR MH).</summary>
    MemoryAccessControl = 0x36,
    /// <summary>Pixel format set; 0x55 = 16 bit/pixel (RGB565) on both interfaces.</summary>
    PixelFormatSet = 0x3A,
    /// <summary>Frame rate control in normal mode (2 parameters).</summary>
    FrameRateControl = 0xB1,
    /// <summary>Display function control (3 parameters).</summary>
    DisplayFunctionControl = 0xB6,
    /// <summary>Power control 1: GVDD level.</summary>
    PowerControl1 = 0xC0,
    /// <summary>Power control 2: step-up factor.</summary>
    PowerControl2 = 0xC1,
    /// <summary>VCOM control 1.</summary>
    VcomControl1 = 0xC5,
    /// <summary>VCOM control 2.</summary>
    VcomControl2 = 0xC7,
    /// <summary>Positive gamma correction (15 parameters).</summary>
    PositiveGammaCorrection = 0xE0,
    /// <summary>Negative gamma correction (15 parameters).</summary>
    NegativeGammaCorrection = 0xE1,
}

/// <summary>Bits of the Memory Access Control (0x36) parameter.</summary>
[Flags]
public enum MemoryAccess : byte
{
    /// <summary>No bit set.</summary>
    None = 0,
    /// <summary>Horizontal refresh order.</summary>
    MH = 0x04,
    /// <summary>Panel colour order is BGR (true on the common ILI9341 modules).</summary>
    Bgr = 0x08,
    /// <summary>Vertical refresh order.</summary>
    ML = 0x10,
    /// <summary>Row/column exchange (landscape).</summary>
    MV = 0x20,
    /// <summary>Column address order mirrored.</summary>
    MX = 0x40,
    /// <summary>Row address order mirrored.</summary>
    MY = 0x80,
}

/// <summary>Panel orientation; the value is the clockwise rotation in degrees from portrait.</summary>
public enum Ili9341Rotation
{
    /// <summary>240 wide, 320 high, connector at the bottom.</summary>
    Portrait = 0,
    /// <summary>320 wide, 240 high.</summary>
    Landscape = 90,
    /// <summary>Portrait upside down.</summary>
    PortraitFlipped = 180,
    /// <summary>Landscape upside down.</summary>
    LandscapeFlipped = 270,
}
