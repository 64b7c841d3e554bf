using System.Device.I2c;
using EdgeDigits.Hardware.Ssd13xx;
using SkiaSharp;

namespace EdgeDigits.Hardware.Simulation.Ssd13xx;

/// <summary>An SSD1306 on the emulated I2C bus: parses control bytes, commands with their parameters and data into 128x64 GDDRAM (page, horizontal and vertical addressing), and renders what the glass shows (remap, scan direction, inverse, on/off).</summary>
public sealed class Ssd1306Emulator : I2cDevice
{
    private static readonly Dictionary<byte, int> ParameterCounts = new()
    {
        [0x20] = 1, [0x21] = 2, [0x22] = 2, [0x81] = 1, [0x8D] = 1, [0xA8] = 1, [0xD3] = 1, [0xD5] = 1,
        [0xD9] = 1, [0xDA] = 1, [0xDB] = 1, [0xA3] = 2, [0x26] = 6, [0x27] = 6, [0x29] = 5, [0x2A] = 5,
    };

    private readonly I2cConnectionSettings _settings;
    private readonly byte[] _ram = new byte[128 * 8];
    private readonly List<string> _violations = new();
    private readonly List<byte> _pending = new();
    private int _failures;
    private int _page, _column;
    private int _colStart, _colEnd = 127, _pageStart, _pageEnd = 7;

    /// <summary>Creates the panel at <paramref name="address"/> on bus <paramref name="busId"/>.</summary>
    public Ssd1306Emulator(int busId = 1, int address = 0x3C) => _settings = new I2cConnectionSettings(busId, address);

    /// <inheritdoc />
    public override I2cConnectionSettings ConnectionSettings => _settings;

    /// <summary>Protocol problems seen (data before init, unknown control bytes, truncated commands).</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>I2C write transactions seen.</summary>
    public int Writes { get; private set; }

    /// <summary>Bytes of all writes (control, command and data bytes; not the address byte).</summary>
    public long BytesWritten { get; private set; }

    /// <summary>GDDRAM data bytes written.</summary>
    public long DataBytes { get; private set; }

    /// <summary>Display On in effect.</summary>
    public bool DisplayOn { get; private set; }

    /// <summary>Charge pump enabled.</summary>
    public bool ChargePumpOn { get; private set; }

    /// <summary>Addressing mode: 0 horizontal, 1 vertical, 2 page (the reset default).</summary>
    public int AddressingMode { get; private set; } = 2;

    /// <summary>Multiplex ratio: rows driven − 1 (63 after reset; 31 drives only 32 rows).</summary>
    public int MultiplexRatio { get; private set; } = 63;

    /// <summary>Contrast.</summary>
    public byte Contrast { get; private set; } = 0x7F;

    /// <summary>Inverse video.</summary>
    public bool Inverted { get; private set; }

    /// <summary>Segment remap (A1).</summary>
    public bool SegmentRemap { get; private set; }

    /// <summary>COM scan decrement (C8).</summary>
    public bool ComScanReversed { get; private set; }

    /// <summary>Makes the next <paramref name="count"/> writes fail like a NAK.</summary>
    public void InjectFailures(int count) => _failures = count;

    /// <summary>Whether the pixel at (<paramref name="x"/>, <paramref name="y"/>) as a person sees the module is lit.</summary>
    public bool IsLit(int x, int y)
    {
        if (!DisplayOn) return false;
        // The common modules are mounted so that A1 + C8 shows upright.
        var col = SegmentRemap ? x : 127 - x;
        var row = ComScanReversed ? y : 63 - y;
        var on = (_ram[(row / 8) * 128 + col] >> (row % 8) & 1) != 0;
        return on != Inverted;
    }

    /// <summary>The glass as a 128x64 image (white = lit).</summary>
    public SKBitmap Render()
    {
        var bmp = new SKBitmap(128, 64);
        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 128; x++) bmp.SetPixel(x, y, IsLit(x, y) ? SKColors.White : SKColors.Black);
        return bmp;
    }

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_failures > 0)
        {
            _failures--;
            throw new IOException($"Error 121 performing I2C data transfer (emulated NAK from 0x{_settings.DeviceAddress:X2})");
        }
        Writes++;
        BytesWritten += buffer.Length;
        var i = 0;
        while (i < buffer.Length)
        {
            var control = buffer[i++];
            var data = (control & 0x40) != 0;
            if ((control & 0x3F) != 0)
            {
                _violations.Add($"control byte 0x{control:X2} is not 0x00/0x40/0x80/0xC0");
                return;
            }
            var single = (control & Ssd1306Control.Continuation) != 0;
            var end = single ? Math.Min(i + 1, buffer.Length) : buffer.Length;
            for (; i < end; i++)
            {
                if (data) WriteData(buffer[i]);
                else Command(buffer[i]);
            }
        }
        if (_pending.Count > 0)
        {
            _violations.Add($"command 0x{_pending[0]:X2} truncated at the end of a write");
            _pending.Clear();
        }
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        // Status byte: bit 6 = display off.
        for (var i = 0; i < buffer.Length; i++) buffer[i] = (byte)(DisplayOn ? 0x00 : 0x40);
    }

    /// <inheritdoc />
    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void Command(byte b)
    {
        _pending.Add(b);
        var op = _pending[0];
        if (ParameterCounts.TryGetValue(op, out var n) && _pending.Count < n + 1) return;
        var p = _pending.ToArray();
        _pending.Clear();
        switch (op)
        {
            case 0x20: AddressingMode = p[1] & 0x03; break;
            case 0x21: _colStart = p[1] & 0x7F; _colEnd = p[2] & 0x7F; _column = _colStart; break;
            case 0x22: _pageStart = p[1] & 0x07; _pageEnd = p[2] & 0x07; _page = _pageStart; break;
            case 0x81: Contrast = p[1]; break;
            case 0xA8: MultiplexRatio = p[1] & 0x3F; break;
            case 0x8D: ChargePumpOn = (p[1] & 0x04) != 0; break;
            case 0xA0: SegmentRemap = false; break;
            case 0xA1: SegmentRemap = true; break;
            case 0xA6: Inverted = false; break;
            case 0xA7: Inverted = true; break;
            case 0xAE: DisplayOn = false; break;
            case 0xAF:
                if (!ChargePumpOn) _violations.Add("Display On with the charge pump off (blank on modules without external VCC)");
                DisplayOn = true;
                break;
            case 0xC0: ComScanReversed = false; break;
            case 0xC8: ComScanReversed = true; break;
            case >= 0xB0 and <= 0xB7: _page = op & 0x07; break;
            case <= 0x0F: _column = (_column & 0xF0) | op; break;
            case >= 0x10 and <= 0x1F: _column = (_column & 0x0F) | ((op & 0x0F) << 4); break;
        }
    }

    private void WriteData(byte b)
    {
        if (!ChargePumpOn) _violations.Add("GDDRAM data before init (charge pump off)");
        _ram[_page * 128 + (_column & 0x7F)] = b;
        DataBytes++;
        switch (AddressingMode)
        {
            case 2:
                _column = (_column + 1) & 0x7F; // page mode: the column wraps, the page stays
                break;
            case 0:
                if (++_column > _colEnd)
                {
                    _column = _colStart;
                    if (++_page > _pageEnd) _page = _pageStart;
                }
                break;
            default:
                if (++_page > _pageEnd)
                {
                    _page = _pageStart;
                    if (++_column > _colEnd) _column = _colStart;
                }
                break;
        }
    }
}
