using System.Device.I2c;
using SkiaSharp;

namespace EdgeDigits.Hardware.Ssd13xx;

/// <summary>SSD1306 128x64 monochrome OLED on I2C, page addressing: each of the 8 pages (8 rows, LSB on top) is written with its own page/column set; only pages that changed are resent.</summary>
public sealed class Ssd1306 : IDisposable
{
    private readonly I2cDevice _i2c;
    private readonly bool _shouldDispose;
    private readonly byte[] _shadow;
    private readonly bool[] _pageValid;
    private readonly byte[] _pageBuffer;
    private bool _initialized;

    /// <summary>Creates the driver for a <paramref name="width"/> x <paramref name="height"/> panel (128x64 or 128x32).</summary>
    public Ssd1306(I2cDevice i2c, int width = 128, int height = 64, bool shouldDispose = true)
    {
        ArgumentNullException.ThrowIfNull(i2c);
        if (width != 128 || height is not (64 or 32)) throw new ArgumentOutOfRangeException(nameof(height), $"SSD1306: {width}x{height} is not 128x64 or 128x32");
        _i2c = i2c;
        _shouldDispose = shouldDispose;
        Width = width;
        Height = height;
        Pages = height / 8;
        _shadow = new byte[width * Pages];
        _pageValid = new bool[Pages];
        _pageBuffer = new byte[width + 1];
        Device = $"SSD1306 on /dev/i2c-{i2c.ConnectionSettings.BusId} at 0x{i2c.ConnectionSettings.DeviceAddress:X2}";
    }

    /// <summary>Name used in errors.</summary>
    public string Device { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>8-row pages.</summary>
    public int Pages { get; }

    /// <summary>Page writes sent since creation (for logging how much an update cost).</summary>
    public long PagesWritten { get; private set; }

    /// <summary>Bytes of the frame buffer layout: <see cref="Width"/> · <see cref="Pages"/>.</summary>
    public int FrameBytes => _shadow.Length;

    /// <summary>Power-on sequence (datasheet application note): display off, clock, multiplex, offset, start line, charge pump on, page addressing, remap/scan for an upright module, COM pins, contrast, pre-charge, VCOMH, resume, normal, display on; then clears the RAM.</summary>
    public void Initialize(byte contrast = 0xCF)
    {
        SendCommands(
            (byte)Ssd1306Command.DisplayOff,
            (byte)Ssd1306Command.SetDisplayClock, 0x80,
            (byte)Ssd1306Command.SetMultiplexRatio, (byte)(Height - 1),
            (byte)Ssd1306Command.SetDisplayOffset, 0x00,
            (byte)Ssd1306Command.SetDisplayStartLine,
            (byte)Ssd1306Command.ChargePump, 0x14, // internal DC-DC: the module has no external VCC
            (byte)Ssd1306Command.SetMemoryAddressingMode, 0x02,
            (byte)Ssd1306Command.SegmentRemapOn,
            (byte)Ssd1306Command.ComScanDecrement,
            (byte)Ssd1306Command.SetComPins, (byte)(Height == 64 ? 0x12 : 0x02),
            (byte)Ssd1306Command.SetContrast, contrast,
            (byte)Ssd1306Command.SetPrechargePeriod, 0xF1,
            (byte)Ssd1306Command.SetVcomhDeselect, 0x40,
            (byte)Ssd1306Command.EntireDisplayResume,
            (byte)Ssd1306Command.NormalDisplay);
        _initialized = true;
        Array.Clear(_pageValid);
        Update(new byte[FrameBytes]);
        SendCommands((byte)Ssd1306Command.DisplayOn);
    }

    /// <summary>Sets the contrast 0..255.</summary>
    public void SetContrast(byte contrast) => SendCommands((byte)Ssd1306Command.SetContrast, contrast);

    /// <summary>Inverse video on or off.</summary>
    public void SetInverted(bool inverted) => SendCommands((byte)(inverted ? Ssd1306Command.InverseDisplay : Ssd1306Command.NormalDisplay));

    /// <summary>Display on or off (RAM kept; about 10 uA off).</summary>
    public void SetPower(bool on) => SendCommands((byte)(on ? Ssd1306Command.DisplayOn : Ssd1306Command.DisplayOff));

    /// <summary>Shows a frame in page layout (byte <c>page·Width + x</c>, bit n = row 8·page + n); sends only pages that differ from what was sent before (all when <paramref name="force"/>). Returns the pages sent.</summary>
    public int Update(ReadOnlySpan<byte> frame, bool force = false)
    {
        if (!_initialized) throw new InvalidOperationException($"{Device}: call Initialize() first");
        if (frame.Length != FrameBytes) throw new ArgumentException($"{Device}: a frame is {FrameBytes} bytes, got {frame.Length}", nameof(frame));
        var sent = 0;
        for (var page = 0; page < Pages; page++)
        {
            var data = frame.Slice(page * Width, Width);
            var shadow = _shadow.AsSpan(page * Width, Width);
            if (!force && _pageValid[page] && data.SequenceEqual(shadow)) continue;
            SendCommands((byte)((byte)Ssd1306Command.SetPageStart | page), (byte)Ssd1306Command.SetLowerColumn, (byte)Ssd1306Command.SetHigherColumn);
            _pageBuffer[0] = Ssd1306Control.DataStream;
            data.CopyTo(_pageBuffer.AsSpan(1));
            Write(_pageBuffer);
            data.CopyTo(shadow);
            _pageValid[page] = true;
            PagesWritten++;
            sent++;
        }
        return sent;
    }

    /// <summary>Shows a bitmap (scaled to fit is the caller's job; it must be <see cref="Width"/> x <see cref="Height"/>): a pixel is lit when its luminance is at least <paramref name="threshold"/>. Returns the pages sent.</summary>
    public int DrawBitmap(SKBitmap bitmap, byte threshold = 128)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (bitmap.Width != Width || bitmap.Height != Height) throw new ArgumentException($"{Device}: bitmap is {bitmap.Width}x{bitmap.Height}, the panel {Width}x{Height}", nameof(bitmap));
        return Update(Pack(bitmap, threshold));
    }

    /// <summary>Packs a bitmap into the page layout (luminance ≥ threshold = lit).</summary>
    public static byte[] Pack(SKBitmap bitmap, byte threshold = 128)
    {
        var pages = bitmap.Height / 8;
        var frame = new byte[bitmap.Width * pages];
        for (var y = 0; y < pages * 8; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                // ITU-R BT.601 luma in integers; alpha darkens (transparent = off).
                var luma = (299 * c.Red + 587 * c.Green + 114 * c.Blue) / 1000 * c.Alpha / 255;
                if (luma >= threshold) frame[(y / 8) * bitmap.Width + x] |= (byte)(1 << (y % 8));
            }
        return frame;
    }

    /// <summary>Switches the display off and releases the bus when owned.</summary>
    public void Dispose()
    {
        try
        {
            if (_initialized) SetPower(false);
        }
        catch (HardwareFaultException)
        {
        }
        if (_shouldDispose) _i2c.Dispose();
    }

    private void SendCommands(params ReadOnlySpan<byte> commands)
    {
        var buffer = new byte[commands.Length + 1];
        buffer[0] = Ssd1306Control.CommandStream;
        commands.CopyTo(buffer.AsSpan(1));
        Write(buffer);
    }

    private void Write(byte[] buffer)
    {
        // Every write here is idempotent (absolute page/column set, whole page of data), so a NAK or
        // bus glitch is simply retried.
        BusRetry.Run(Device, () => _i2c.Write(buffer));
    }
}
