namespace EdgeDigits.Hardware.Xpt204x;

/// <summary>XPT2046 / ADS7846 input channel select bits A2..A0 (differential, 12-bit mode; datasheet table 1 and 2).</summary>
public enum Xpt2046Channel : byte
{
    /// <summary>Y position (drives the Y plate, measures on X+).</summary>
    Y = 0b001,
    /// <summary>Z1 pressure (X- driven against Y+, measured on X+).</summary>
    Z1 = 0b011,
    /// <summary>Z2 pressure (measured on Y-).</summary>
    Z2 = 0b100,
    /// <summary>X position (drives the X plate, measures on Y+).</summary>
    X = 0b101,
}

/// <summary>Power-down bits PD1..PD0 of the control byte.</summary>
public enum Xpt2046PowerMode : byte
{
    /// <summary>Power down between conversions, PENIRQ enabled.</summary>
    PowerDownIrqEnabled = 0b00,
    /// <summary>Reference off, ADC on, PENIRQ disabled.</summary>
    AdcOnIrqDisabled = 0b01,
    /// <summary>Reference on, ADC off, PENIRQ enabled.</summary>
    ReferenceOnIrqEnabled = 0b10,
    /// <summary>Always powered, PENIRQ disabled.</summary>
    AlwaysOn = 0b11,
}

/// <summary>Builds and reads XPT2046 control bytes.</summary>
public static class Xpt2046Control
{
    /// <summary>The start bit S.</summary>
    public const byte Start = 0x80;

    /// <summary>Control byte: S, A2..A0, MODE=0 (12 bit), SER/DFR=0 (differential), PD1..PD0.</summary>
    public static byte For(Xpt2046Channel channel, Xpt2046PowerMode power) => (byte)(Start | ((byte)channel << 4) | (byte)power);

    /// <summary>The channel bits of a control byte.</summary>
    public static Xpt2046Channel ChannelOf(byte control) => (Xpt2046Channel)((control >> 4) & 0x07);

    /// <summary>The power-down bits of a control byte.</summary>
    public static Xpt2046PowerMode PowerOf(byte control) => (Xpt2046PowerMode)(control & 0x03);

    /// <summary>True for 8-bit mode (MODE bit set).</summary>
    public static bool IsEightBit(byte control) => (control & 0x08) != 0;
}
