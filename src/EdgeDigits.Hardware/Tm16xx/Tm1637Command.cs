namespace EdgeDigits.Hardware.Tm16xx;

/// <summary>TM1637 command bytes (datasheet v2.4, section 5): the top two bits select the command.</summary>
public static class Tm1637Command
{
    /// <summary>Data command: write to display registers, auto address increment, normal mode.</summary>
    public const byte DataWriteAutoIncrement = 0x40;

    /// <summary>Data command: write with a fixed address.</summary>
    public const byte DataWriteFixedAddress = 0x44;

    /// <summary>Address command base: OR the grid address 0..5 in (C0H..C5H).</summary>
    public const byte Address = 0xC0;

    /// <summary>Display control base: OR <see cref="DisplayOnBit"/> and the pulse width 0..7 in.</summary>
    public const byte DisplayControl = 0x80;

    /// <summary>Display on bit of the display control command.</summary>
    public const byte DisplayOnBit = 0x08;
}

/// <summary>Seven-segment encoding (bit 0 = a ... bit 6 = g, bit 7 = decimal point / colon).</summary>
public static class SevenSegment
{
    /// <summary>Bit 7: the decimal point, or the colon on grid 2 of 4-digit clock modules.</summary>
    public const byte PointOrColon = 0x80;

    private static readonly Dictionary<char, byte> Glyphs = new()
    {
        ['0'] = 0x3F, ['1'] = 0x06, ['2'] = 0x5B, ['3'] = 0x4F, ['4'] = 0x66, ['5'] = 0x6D, ['6'] = 0x7D, ['7'] = 0x07,
        ['8'] = 0x7F, ['9'] = 0x6F, ['A'] = 0x77, ['b'] = 0x7C, ['C'] = 0x39, ['c'] = 0x58, ['d'] = 0x5E, ['E'] = 0x79,
        ['F'] = 0x71, ['H'] = 0x76, ['h'] = 0x74, ['L'] = 0x38, ['n'] = 0x54, ['o'] = 0x5C, ['P'] = 0x73, ['r'] = 0x50,
        ['t'] = 0x78, ['U'] = 0x3E, ['u'] = 0x1C, ['y'] = 0x6E, ['-'] = 0x40, ['_'] = 0x08, [' '] = 0x00, ['?'] = 0x53,
    };

    private static readonly Dictionary<byte, char> Reverse = Glyphs.GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.First().Key);

    /// <summary>The segments of <paramref name="c"/>; letters without a glyph try the other case, then throw.</summary>
    public static byte Encode(char c)
    {
        if (Glyphs.TryGetValue(c, out var g)) return g;
        if (Glyphs.TryGetValue(char.ToUpperInvariant(c), out g) || Glyphs.TryGetValue(char.ToLowerInvariant(c), out g)) return g;
        throw new ArgumentException($"'{c}' cannot be shown on a 7-segment digit", nameof(c));
    }

    /// <summary>The character for segments (bit 7 ignored), or null for a pattern with no glyph.</summary>
    public static char? Decode(byte segments) => Reverse.TryGetValue((byte)(segments & 0x7F), out var c) ? c : null;

    /// <summary>Encodes text for <paramref name="digits"/> positions: '.' lights the previous digit's point, ':' the colon bit of the previous digit; shorter text is right-aligned.</summary>
    public static byte[] EncodeText(string text, int digits)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cells = new List<byte>();
        foreach (var ch in text)
        {
            if (ch is '.' or ':')
            {
                if (cells.Count == 0) cells.Add(0);
                cells[^1] |= PointOrColon;
                continue;
            }
            cells.Add(Encode(ch));
        }
        if (cells.Count > digits) throw new ArgumentException($"\"{text}\" needs {cells.Count} digits, the display has {digits}", nameof(text));
        var result = new byte[digits];
        cells.CopyTo(result, digits - cells.Count);
        return result;
    }
}
