using System.Buffers;
using System.Device.Gpio;
using System.Device.Spi;
using SkiaSharp;

namespace EdgeDigits.Hardware.Ili934x;

/// <summary>ILI9341 240x320 TFT controller on 4-wire SPI (D/C pin), RGB565 window writes for partial updates.</summary>
/// <remarks>Pixel data goes out in transfers of up to <see cref="MaxTransferSize"/> bytes: the Linux spidev
/// default buffer is 4096 bytes (raise it with <c>spidev.bufsiz=65536</c> on the kernel command line and pass 65536).</remarks>
public sealed class Ili9341 : IDisposable
{
    /// <summary>Native panel width (portrait).</summary>
    public const int NativeWidth = 240;

    /// <summary>Native panel height (portrait).</summary>
    public const int NativeHeight = 320;

    /// <summary>Bytes of the CASET (1+4), PASET (1+4) and RAMWR (1) preamble of a window write.</summary>
    public const int WindowOverheadBytes = 11;

    // Gamma tables of the common 2.4"/2.8" ILI9341 modules (the vendor init code shipped with them).
    private static readonly byte[] PositiveGamma = [0x0F, 0x31, 0x2B, 0x0C, 0x0E, 0x08, 0x4E, 0xF1, 0x37, 0x07, 0x10, 0x03, 0x0E, 0x09, 0x00];
    private static readonly byte[] NegativeGamma = [0x00, 0x0E, 0x14, 0x03, 0x11, 0x07, 0x31, 0xC1, 0x48, 0x08, 0x0F, 0x0C, 0x31, 0x36, 0x0F];

    private readonly SpiDevice _spi;
    private readonly GpioController _gpio;
    private readonly bool _shouldDispose;
    private readonly bool _ownsGpio;
    private readonly TimeProvider _time;
    private readonly int _dcPin;
    private readonly int _resetPin;
    private readonly int _backlightPin;
    private readonly byte[] _buffer;
    private bool _initialized;

    /// <summary>Creates the driver; call <see cref="Initialize"/> before drawing.</summary>
    /// <param name="spi">The SPI device (mode 0, up to 32 MHz for writes on a Pi with short wires).</param>
    /// <param name="dataCommandPin">D/C pin: low = command byte, high = parameters/pixels.</param>
    /// <param name="resetPin">RESET pin (active low), -1 when tied high (a software reset is used then).</param>
    /// <param name="backlightPin">Backlight enable pin, -1 when always on.</param>
    /// <param name="maxTransferSize">Largest single SPI transfer (spidev's bufsiz).</param>
    /// <param name="gpio">Controller for the pins; null opens the board's.</param>
    /// <param name="shouldDispose">Whether to dispose <paramref name="spi"/> and <paramref name="gpio"/> with the driver.</param>
    /// <param name="time">Clock for the datasheet waits; null for the system clock.</param>
    public Ili9341(SpiDevice spi, int dataCommandPin, int resetPin = -1, int backlightPin = -1, int maxTransferSize = 4096, GpioController? gpio = null, bool shouldDispose = true, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(spi);
        if (dataCommandPin < 0) throw new ArgumentOutOfRangeException(nameof(dataCommandPin), "ILI9341: the D/C pin is required for 4-wire SPI");
        if (maxTransferSize < 64) throw new ArgumentOutOfRangeException(nameof(maxTransferSize), "ILI9341: transfers under 64 bytes make no sense");
        _spi = spi;
        _dcPin = dataCommandPin;
        _resetPin = resetPin;
        _backlightPin = backlightPin;
        MaxTransferSize = maxTransferSize & ~1;
        _buffer = new byte[MaxTransferSize];
        _time = time ?? TimeProvider.System;
        _shouldDispose = shouldDispose;
        _ownsGpio = gpio is null || shouldDispose;
        Device = $"ILI9341 on /dev/spidev{spi.ConnectionSettings.BusId}.{spi.ConnectionSettings.ChipSelectLine}";
        _gpio = gpio ?? Buses.OpenGpio(Device);
        GpioPins.Open(_gpio, _dcPin, PinMode.Output, Device, "D/C", PinValue.High);
        GpioPins.Open(_gpio, _resetPin, PinMode.Output, Device, "RESET", PinValue.High);
        GpioPins.Open(_gpio, _backlightPin, PinMode.Output, Device, "backlight", PinValue.Low);
    }

    /// <summary>Name used in errors: chip and SPI device node.</summary>
    public string Device { get; }

    /// <summary>Largest single SPI transfer.</summary>
    public int MaxTransferSize { get; }

    /// <summary>Current orientation.</summary>
    public Ili9341Rotation Rotation { get; private set; } = Ili9341Rotation.Landscape;

    /// <summary>Width in the current orientation.</summary>
    public int Width => Rotation is Ili9341Rotation.Landscape or Ili9341Rotation.LandscapeFlipped ? NativeHeight : NativeWidth;

    /// <summary>Height in the current orientation.</summary>
    public int Height => Rotation is Ili9341Rotation.Landscape or Ili9341Rotation.LandscapeFlipped ? NativeWidth : NativeHeight;

    /// <summary>Bytes sent over SPI since creation (commands, parameters, pixels).</summary>
    public long BytesSent { get; private set; }

    /// <summary>Number of SPI transfers since creation.</summary>
    public long Transfers { get; private set; }

    /// <summary>The Memory Access Control value for a rotation on the common BGR modules.</summary>
    public static MemoryAccess MemoryAccessFor(Ili9341Rotation rotation) => rotation switch
    {
        Ili9341Rotation.Portrait => MemoryAccess.MX | MemoryAccess.Bgr,
        Ili9341Rotation.Landscape => MemoryAccess.MV | MemoryAccess.Bgr,
        Ili9341Rotation.PortraitFlipped => MemoryAccess.MY | MemoryAccess.Bgr,
        Ili9341Rotation.LandscapeFlipped => MemoryAccess.MX | MemoryAccess.MY | MemoryAccess.MV | MemoryAccess.Bgr,
        _ => throw new ArgumentOutOfRangeException(nameof(rotation), $"ILI9341: rotation {(int)rotation} is not 0, 90, 180 or 270"),
    };

    /// <summary>Bytes and theoretical SPI time to write a <paramref name="width"/> x <paramref name="height"/> window (CASET + PASET + RAMWR + 2 bytes per pixel) at <paramref name="clockHz"/>. A full frame is 153,611 bytes, 38.4 ms at 32 MHz.</summary>
    public static SpiTransferEstimate EstimateTransferTime(int width, int height, int clockHz)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"window {width}x{height} is empty");
        if (clockHz <= 0) throw new ArgumentOutOfRangeException(nameof(clockHz), "SPI clock must be positive");
        return new SpiTransferEstimate(WindowOverheadBytes + (long)width * height * 2, clockHz);
    }

    /// <summary>Same as <see cref="EstimateTransferTime(int, int, int)"/> for a rectangle.</summary>
    public static SpiTransferEstimate EstimateTransferTime(SKRectI window, int clockHz) => EstimateTransferTime(window.Width, window.Height, clockHz);

    /// <summary>Resets the controller (RESET pulse, or software reset without the pin) and runs the power-on sequence: power/VCOM, orientation, 16-bit pixels, gamma, Sleep Out (120 ms), Display On. Leaves the backlight on.</summary>
    public void Initialize(Ili9341Rotation rotation = Ili9341Rotation.Landscape)
    {
        var madctl = (byte)MemoryAccessFor(rotation);
        if (_resetPin >= 0)
        {
            // Datasheet 15.4: RESET low for at least 10 us; after release wait 5 ms before commands
            // and 120 ms before Sleep Out.
            _gpio.Write(_resetPin, PinValue.High);
            HardwareClock.Wait(_time, TimeSpan.FromMilliseconds(1));
            _gpio.Write(_resetPin, PinValue.Low);
            HardwareClock.Wait(_time, TimeSpan.FromMicroseconds(20));
            _gpio.Write(_resetPin, PinValue.High);
            HardwareClock.Wait(_time, TimeSpan.FromMilliseconds(5));
        }
        SendCommand(Ili9341Command.SoftwareReset);
        HardwareClock.Wait(_time, TimeSpan.FromMilliseconds(120));
        SendCommand(Ili9341Command.DisplayOff);
        SendCommand(Ili9341Command.PowerControl1, 0x23); // GVDD 4.60 V
        SendCommand(Ili9341Command.PowerControl2, 0x10);
        SendCommand(Ili9341Command.VcomControl1, 0x3E, 0x28);
        SendCommand(Ili9341Command.VcomControl2, 0x86);
        SendCommand(Ili9341Command.MemoryAccessControl, madctl);
        SendCommand(Ili9341Command.PixelFormatSet, 0x55); // 16 bit/pixel, both RGB and MCU interface
        SendCommand(Ili9341Command.FrameRateControl, 0x00, 0x18); // 79 Hz
        SendCommand(Ili9341Command.DisplayFunctionControl, 0x08, 0x82, 0x27);
        SendCommand(Ili9341Command.GammaSet, 0x01);
        SendCommand(Ili9341Command.PositiveGammaCorrection, PositiveGamma);
        SendCommand(Ili9341Command.NegativeGammaCorrection, NegativeGamma);
        SendCommand(Ili9341Command.SleepOut);
        HardwareClock.Wait(_time, TimeSpan.FromMilliseconds(120)); // booster and regulators settle
        SendCommand(Ili9341Command.DisplayOn);
        HardwareClock.Wait(_time, TimeSpan.FromMilliseconds(5));
        Rotation = rotation;
        _initialized = true;
        SetBacklight(true);
    }

    /// <summary>Changes the orientation (frame memory is not redrawn).</summary>
    public void SetRotation(Ili9341Rotation rotation)
    {
        EnsureInitialized();
        SendCommand(Ili9341Command.MemoryAccessControl, (byte)MemoryAccessFor(rotation));
        Rotation = rotation;
    }

    /// <summary>Switches the backlight (no-op without a backlight pin).</summary>
    public void SetBacklight(bool on)
    {
        if (_backlightPin >= 0) _gpio.Write(_backlightPin, on ? PinValue.High : PinValue.Low);
    }

    /// <summary>Display off and Sleep In (about 10 uA); <see cref="Wake"/> undoes it.</summary>
    public void Sleep()
    {
        EnsureInitialized();
        SetBacklight(false);
        SendCommand(Ili9341Command.DisplayOff);
        SendCommand(Ili9341Command.SleepIn);
        HardwareClock.Wait(_time, TimeSpan.FromMilliseconds(5));
    }

    /// <summary>Sleep Out (120 ms) and Display On.</summary>
    public void Wake()
    {
        EnsureInitialized();
        SendCommand(Ili9341Command.SleepOut);
        HardwareClock.Wait(_time, TimeSpan.FromMilliseconds(120));
        SendCommand(Ili9341Command.DisplayOn);
        SetBacklight(true);
    }

    /// <summary>Fills a rectangle with one colour.</summary>
    public void FillRect(int x, int y, int width, int height, Rgb565 color)
    {
        var total = (long)width * height * 2;
        SetWindow(x, y, width, height);
        var chunk = _buffer.AsSpan();
        for (var i = 0; i < chunk.Length; i += 2)
        {
            chunk[i] = (byte)(color.Value >> 8);
            chunk[i + 1] = (byte)color.Value;
        }
        for (long sent = 0; sent < total;)
        {
            var n = (int)Math.Min(chunk.Length, total - sent);
            WriteData(chunk[..n]);
            sent += n;
        }
    }

    /// <summary>Fills the whole screen.</summary>
    public void Clear(Rgb565 color) => FillRect(0, 0, Width, Height, color);

    /// <summary>Writes big-endian RGB565 pixels (2 bytes per pixel, row by row) into a window.</summary>
    public void WritePixels(int x, int y, int width, int height, ReadOnlySpan<byte> rgb565)
    {
        if (rgb565.Length != width * height * 2) throw new ArgumentException($"{Device}: {width}x{height} window needs {width * height * 2} bytes, got {rgb565.Length}", nameof(rgb565));
        SetWindow(x, y, width, height);
        for (var offset = 0; offset < rgb565.Length; offset += MaxTransferSize)
            WriteData(rgb565.Slice(offset, Math.Min(MaxTransferSize, rgb565.Length - offset)));
    }

    /// <summary>Draws a whole bitmap with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public void DrawBitmap(SKBitmap bitmap, int x = 0, int y = 0) => DrawBitmap(bitmap, new SKRectI(0, 0, bitmap.Width, bitmap.Height), x, y);

    /// <summary>Draws the <paramref name="source"/> region of a bitmap at (<paramref name="x"/>, <paramref name="y"/>) as one window write: the partial update a changed region needs.</summary>
    public void DrawBitmap(SKBitmap bitmap, SKRectI source, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        if (source.Left < 0 || source.Top < 0 || source.Right > bitmap.Width || source.Bottom > bitmap.Height || source.Width <= 0 || source.Height <= 0)
            throw new ArgumentOutOfRangeException(nameof(source), $"{Device}: region {source} is not inside the {bitmap.Width}x{bitmap.Height} bitmap");
        // Rgba/Bgra 8888 are converted straight from the bitmap's memory; anything else (565, gray,
        // float) is first copied, only the region, into Rgba8888.
        SKBitmap? converted = null;
        var src = bitmap;
        var srcRect = source;
        if (bitmap.ColorType is not (SKColorType.Rgba8888 or SKColorType.Bgra8888))
        {
            converted = new SKBitmap(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
            using (var canvas = new SKCanvas(converted))
            {
                canvas.DrawBitmap(bitmap, source, new SKRect(0, 0, source.Width, source.Height));
            }
            src = converted;
            srcRect = new SKRectI(0, 0, source.Width, source.Height);
        }
        var bgra = src.ColorType == SKColorType.Bgra8888;
        try
        {
            SetWindow(x, y, source.Width, source.Height);
            var pixels = src.GetPixelSpan();
            var rowBytes = src.RowBytes;
            var lineOut = source.Width * 2;
            var filled = 0;
            for (var row = srcRect.Top; row < srcRect.Bottom; row++)
            {
                var line = pixels.Slice(row * rowBytes + srcRect.Left * 4, source.Width * 4);
                if (lineOut > MaxTransferSize)
                {
                    var tmp = ArrayPool<byte>.Shared.Rent(lineOut);
                    try
                    {
                        ConvertLine(line, tmp, bgra);
                        for (var o = 0; o < lineOut; o += MaxTransferSize) WriteData(tmp.AsSpan(o, Math.Min(MaxTransferSize, lineOut - o)));
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(tmp);
                    }
                    continue;
                }
                if (filled + lineOut > MaxTransferSize)
                {
                    WriteData(_buffer.AsSpan(0, filled));
                    filled = 0;
                }
                ConvertLine(line, _buffer.AsSpan(filled, lineOut), bgra);
                filled += lineOut;
            }
            if (filled > 0) WriteData(_buffer.AsSpan(0, filled));
        }
        finally
        {
            converted?.Dispose();
        }
    }

    private static void ConvertLine(ReadOnlySpan<byte> line, Span<byte> destination, bool bgra)
    {
        if (bgra) Rgb565.FromBgra8888(line, destination);
        else Rgb565.FromRgba8888(line, destination);
    }

    /// <summary>Switches the backlight off and releases the bus and pins given with <c>shouldDispose</c>.</summary>
    public void Dispose()
    {
        try
        {
            SetBacklight(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or IOException)
        {
        }
        if (_ownsGpio)
        {
            GpioPins.Close(_gpio, _dcPin);
            GpioPins.Close(_gpio, _resetPin);
            GpioPins.Close(_gpio, _backlightPin);
            _gpio.Dispose();
        }
        if (_shouldDispose) _spi.Dispose();
    }

    /// <summary>Sets the CASET/PASET window and starts a RAMWR; pixel bytes must follow.</summary>
    public void SetWindow(int x, int y, int width, int height)
    {
        EnsureInitialized();
        if (width <= 0 || height <= 0 || x < 0 || y < 0 || x + width > Width || y + height > Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"{Device}: window {width}x{height} at ({x},{y}) is outside the {Width}x{Height} panel");
        int x1 = x + width - 1, y1 = y + height - 1;
        SendCommand(Ili9341Command.ColumnAddressSet, (byte)(x >> 8), (byte)x, (byte)(x1 >> 8), (byte)x1);
        SendCommand(Ili9341Command.PageAddressSet, (byte)(y >> 8), (byte)y, (byte)(y1 >> 8), (byte)y1);
        SendCommand(Ili9341Command.MemoryWrite);
    }

    /// <summary>Sends one command byte (D/C low) followed by its parameters (D/C high).</summary>
    public void SendCommand(Ili9341Command command, params ReadOnlySpan<byte> parameters)
    {
        _gpio.Write(_dcPin, PinValue.Low);
        Span<byte> one = [(byte)command];
        Transfer(one);
        if (parameters.Length > 0) WriteData(parameters);
    }

    private void WriteData(ReadOnlySpan<byte> data)
    {
        _gpio.Write(_dcPin, PinValue.High);
        Transfer(data);
    }

    private void Transfer(ReadOnlySpan<byte> data)
    {
        var copy = data.Length <= 16 ? data.ToArray() : null;
        try
        {
            _spi.Write(data);
        }
        catch (IOException) when (copy is not null)
        {
            // A short command/parameter write is idempotent: retry it; a pixel stream is not
            // (the controller's write pointer moved), so that failure is reported as is.
            BusRetry.Run(Device, () => _spi.Write(copy), attempts: 2);
        }
        catch (IOException ex)
        {
            throw new HardwareFaultException(Device, $"SPI write of {data.Length} bytes failed: {ex.Message}", ex);
        }
        BytesSent += data.Length;
        Transfers++;
    }

    private void EnsureInitialized()
    {
        if (!_initialized) throw new InvalidOperationException($"{Device}: call Initialize() before drawing");
    }
}
