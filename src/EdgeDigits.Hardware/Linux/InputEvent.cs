using System.Buffers.Binary;

namespace EdgeDigits.Hardware.Linux;

/// <summary>Event types and codes from linux/input-event-codes.h used by touchscreens.</summary>
public static class EvdevCodes
{
    /// <summary>Synchronisation events.</summary>
    public const ushort EvSyn = 0x00;
    /// <summary>Keys and buttons.</summary>
    public const ushort EvKey = 0x01;
    /// <summary>Absolute axes.</summary>
    public const ushort EvAbs = 0x03;
    /// <summary>End of one report.</summary>
    public const ushort SynReport = 0x00;
    /// <summary>The kernel's buffer overflowed: drop everything up to the next report.</summary>
    public const ushort SynDropped = 0x03;
    /// <summary>Pen/finger contact.</summary>
    public const ushort BtnTouch = 0x14A;
    /// <summary>X axis.</summary>
    public const ushort AbsX = 0x00;
    /// <summary>Y axis.</summary>
    public const ushort AbsY = 0x01;
    /// <summary>Pressure.</summary>
    public const ushort AbsPressure = 0x18;
}

/// <summary>One <c>struct input_event</c>: timeval, type, code, value (24 bytes with a 64-bit time_t, 16 with 32-bit).</summary>
/// <param name="Time">Event time (CLOCK_REALTIME unless the device was switched).</param>
/// <param name="Type">EV_* type.</param>
/// <param name="Code">Code within the type.</param>
/// <param name="Value">Value.</param>
public readonly record struct InputEvent(TimeSpan Time, ushort Type, ushort Code, int Value)
{
    /// <summary>Size on 64-bit Linux (arm64, x86-64): two 8-byte longs + 2 + 2 + 4.</summary>
    public const int Size64 = 24;

    /// <summary>Size on 32-bit Linux with a 32-bit time_t.</summary>
    public const int Size32 = 16;

    /// <summary>Event size for this process.</summary>
    public static int NativeSize => Environment.Is64BitProcess ? Size64 : Size32;

    /// <summary>Parses one event (little-endian, the byte order of every Pi).</summary>
    public static InputEvent Parse(ReadOnlySpan<byte> bytes, int size)
    {
        if (size is not (Size64 or Size32)) throw new ArgumentOutOfRangeException(nameof(size), $"input_event is {Size64} or {Size32} bytes, not {size}");
        if (bytes.Length < size) throw new ArgumentException($"input_event needs {size} bytes, got {bytes.Length}", nameof(bytes));
        long sec, usec;
        if (size == Size64)
        {
            sec = BinaryPrimitives.ReadInt64LittleEndian(bytes);
            usec = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        }
        else
        {
            sec = BinaryPrimitives.ReadInt32LittleEndian(bytes);
            usec = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        }
        var rest = bytes[(size - 8)..];
        return new InputEvent(TimeSpan.FromSeconds(sec) + TimeSpan.FromMicroseconds(usec), BinaryPrimitives.ReadUInt16LittleEndian(rest), BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]), BinaryPrimitives.ReadInt32LittleEndian(rest[4..]));
    }

    /// <summary>Writes the event in the kernel layout (for recordings and tests).</summary>
    public void WriteTo(Span<byte> destination, int size)
    {
        if (size is not (Size64 or Size32)) throw new ArgumentOutOfRangeException(nameof(size), $"input_event is {Size64} or {Size32} bytes, not {size}");
        var usec = (long)(Time.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond);
        var sec = Time.Ticks / TimeSpan.TicksPerSecond;
        if (size == Size64)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination, sec);
            BinaryPrimitives.WriteInt64LittleEndian(destination[8..], usec);
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, (int)sec);
            BinaryPrimitives.WriteInt32LittleEndian(destination[4..], (int)usec);
        }
        var rest = destination[(size - 8)..];
        BinaryPrimitives.WriteUInt16LittleEndian(rest, Type);
        BinaryPrimitives.WriteUInt16LittleEndian(rest[2..], Code);
        BinaryPrimitives.WriteInt32LittleEndian(rest[4..], Value);
    }
}
