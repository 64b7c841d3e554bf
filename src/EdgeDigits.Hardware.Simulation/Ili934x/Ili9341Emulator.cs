using System.Device.Gpio;
using System.Device.Spi;
using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Simulation.Gpio;
using SkiaSharp;

namespace EdgeDigits.Hardware.Simulation.Ili934x;

/// <summary>An ILI9341 on the emulated SPI bus: reads D/C and RESET from the emulated GPIO chip, interprets the command stream into 240x320 frame memory, and records datasheet violations (commands before reset, too-short waits, pixels before init, windows outside the panel).</summary>
public sealed class Ili9341Emulator : SpiDeviceEmulator
{
    private readonly EmulatedGpioDriver _gpio;
    private readonly int _dcPin;
    private readonly int _backlightPin;
    private readonly ushort[] _gram = new ushort[Ili9341.NativeWidth * Ili9341.NativeHeight];
    private readonly List<string> _violations = new();
    private readonly List<byte> _commandLog = new();
    private readonly List<byte> _params = new();
    private byte _command;
    private bool _haveCommand;
    private TimeSpan? _resetLowAt;
    private TimeSpan? _lastResetAt;
    private TimeSpan? _sleepOutAt;
    private int _sc, _ec = Ili9341.NativeWidth - 1, _sp, _ep = Ili9341.NativeHeight - 1;
    private int _col, _page;
    private int? _pendingByte;
    private bool _columnsValid = true;
    private bool _pagesValid = true;

    /// <summary>Attaches a panel to <paramref name="gpio"/> (D/C, RESET and backlight pins as wired; -1 for not connected).</summary>
    public Ili9341Emulator(EmulatedGpioDriver gpio, int dataCommandPin, int resetPin = -1, int backlightPin = -1, int busId = 0, int chipSelect = 0, int clockHz = 32_000_000, int maxTransferSize = 4096)
        : base(new SpiConnectionSettings(busId, chipSelect) { ClockFrequency = clockHz, Mode = SpiMode.Mode0 }, maxTransferSize)
    {
        _gpio = gpio;
        _dcPin = dataCommandPin;
        _backlightPin = backlightPin;
        if (resetPin >= 0) gpio.LevelChanged += t =>
        {
            if (t.Pin != resetPin) return;
            if (t.Value == PinValue.Low) _resetLowAt = t.Time;
            else if (_resetLowAt is { } low)
            {
                // Datasheet 15.4: a RESET low pulse under 10 us may be ignored (spikes under 5 us are).
                if (t.Time - low < TimeSpan.FromMicroseconds(10)) Flag($"RESET pulse {(t.Time - low).TotalMicroseconds:F1} us is shorter than 10 us");
                else HardReset(t.Time);
                _resetLowAt = null;
            }
        };
    }

    /// <summary>Datasheet rule violations seen so far, one readable line each.</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Command bytes received, in order.</summary>
    public IReadOnlyList<byte> CommandLog => _commandLog;

    /// <summary>Whether a hardware or software reset has happened.</summary>
    public bool HasBeenReset { get; private set; }

    /// <summary>Whether the panel is in sleep mode (true after reset until Sleep Out).</summary>
    public bool Sleeping { get; private set; } = true;

    /// <summary>Whether Display On is in effect.</summary>
    public bool DisplayOn { get; private set; }

    /// <summary>Current Memory Access Control bits.</summary>
    public MemoryAccess MemoryAccess { get; private set; }

    /// <summary>Current pixel format (0x66 = 18 bit after reset, 0x55 = 16 bit).</summary>
    public byte PixelFormat { get; private set; } = 0x66;

    /// <summary>Pixels written into frame memory since creation.</summary>
    public long PixelsWritten { get; private set; }

    /// <summary>Width of the address space under the current MADCTL (320 when rows and columns are exchanged).</summary>
    public int Width => MemoryAccess.HasFlag(MemoryAccess.MV) ? Ili9341.NativeHeight : Ili9341.NativeWidth;

    /// <summary>Height of the address space under the current MADCTL.</summary>
    public int Height => MemoryAccess.HasFlag(MemoryAccess.MV) ? Ili9341.NativeWidth : Ili9341.NativeHeight;

    /// <summary>Whether the backlight pin is high (true when no backlight pin is wired).</summary>
    public bool BacklightOn => _backlightPin < 0 || _gpio.GetLevel(_backlightPin) == PinValue.High;

    /// <summary>The pixel at (<paramref name="x"/>, <paramref name="y"/>) of the current address space, as the panel shows it (BGR order applied).</summary>
    public Rgb565 GetPixel(int x, int y)
    {
        var raw = _gram[GramIndex(x, y)];
        return MemoryAccess.HasFlag(MemoryAccess.Bgr) ? new Rgb565(raw) : SwapRedBlue(raw);
    }

    /// <summary>Frame memory in the current address orientation as an image, ignoring display/backlight state.</summary>
    public SKBitmap RenderFrameMemory()
    {
        var bmp = new SKBitmap(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++) bmp.SetPixel(x, y, GetPixel(x, y).ToColor());
        return bmp;
    }

    /// <summary>What a person sees: the frame memory when the panel is awake, on and lit, black otherwise.</summary>
    public SKBitmap RenderScreen()
    {
        var bmp = RenderFrameMemory();
        if (!DisplayOn || Sleeping || !BacklightOn) bmp.Erase(SKColors.Black);
        return bmp;
    }

    /// <summary>Saves <see cref="RenderScreen"/> as a PNG (written to a temporary file, then renamed).</summary>
    public void SavePng(string path)
    {
        using var bmp = RenderScreen();
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        var tmp = path + ".tmp";
        using (var f = File.Create(tmp)) data.SaveTo(f);
        File.Move(tmp, path, overwrite: true);
    }

    /// <inheritdoc />
    protected override void OnTransfer(ReadOnlySpan<byte> mosi, Span<byte> miso)
    {
        miso.Clear();
        var isData = _gpio.GetLevel(_dcPin) == PinValue.High;
        foreach (var b in mosi)
        {
            if (!isData) BeginCommand(b);
            else Parameter(b);
        }
    }

    private TimeSpan Now => _gpio.Time.GetElapsedTime(0);

    private void Flag(string message) => _violations.Add($"{Now.TotalMilliseconds:F3} ms: {message}");

    private void HardReset(TimeSpan at)
    {
        HasBeenReset = true;
        _lastResetAt = at;
        Sleeping = true;
        DisplayOn = false;
        MemoryAccess = MemoryAccess.None;
        PixelFormat = 0x66;
        _sleepOutAt = null;
        _haveCommand = false;
        // Datasheet reset defaults: the window is the whole panel (portrait address space).
        (_sc, _ec, _sp, _ep) = (0, Ili9341.NativeWidth - 1, 0, Ili9341.NativeHeight - 1);
        _columnsValid = _pagesValid = true;
    }

    private void BeginCommand(byte b)
    {
        FinishCommand();
        _commandLog.Add(b);
        var now = Now;
        var cmd = (Ili9341Command)b;
        if (!HasBeenReset && cmd != Ili9341Command.SoftwareReset) Flag($"command 0x{b:X2} before any reset (hardware RESET or SWRESET)");
        if (_lastResetAt is { } r && now - r < TimeSpan.FromMilliseconds(5)) Flag($"command 0x{b:X2} {(now - r).TotalMilliseconds:F2} ms after reset (datasheet: wait 5 ms)");
        if (_sleepOutAt is { } s && now - s < TimeSpan.FromMilliseconds(5)) Flag($"command 0x{b:X2} {(now - s).TotalMilliseconds:F2} ms after Sleep Out (datasheet: wait 5 ms)");
        switch (cmd)
        {
            case Ili9341Command.SoftwareReset:
                HardReset(now);
                break;
            case Ili9341Command.SleepOut:
                if (_lastResetAt is { } rr && now - rr < TimeSpan.FromMilliseconds(120)) Flag($"Sleep Out {(now - rr).TotalMilliseconds:F2} ms after reset (datasheet: wait 120 ms)");
                Sleeping = false;
                _sleepOutAt = now;
                break;
            case Ili9341Command.SleepIn:
                Sleeping = true;
                break;
            case Ili9341Command.DisplayOn:
                DisplayOn = true;
                break;
            case Ili9341Command.DisplayOff:
                DisplayOn = false;
                break;
            case Ili9341Command.MemoryWrite:
                if (Sleeping || PixelFormat != 0x55) Flag($"Memory Write before init ({(Sleeping ? "still in sleep mode" : $"pixel format 0x{PixelFormat:X2}, not 16 bit")})");
                // MADCTL may have changed since CASET/PASET: check the window against the current address space.
                _columnsValid = _columnsValid && _ec < Width;
                _pagesValid = _pagesValid && _ep < Height;
                if (!(_columnsValid && _pagesValid)) Flag($"Memory Write into an invalid window (columns {_sc}..{_ec}, pages {_sp}..{_ep} in {Width}x{Height})");
                _col = _sc;
                _page = _sp;
                _pendingByte = null;
                break;
        }
        _command = b;
        _haveCommand = true;
        _params.Clear();
    }

    private void Parameter(byte b)
    {
        if (!_haveCommand)
        {
            Flag($"data byte 0x{b:X2} with no command");
            return;
        }
        if ((Ili9341Command)_command == Ili9341Command.MemoryWrite)
        {
            if (_pendingByte is null)
            {
                _pendingByte = b;
                return;
            }
            WritePixel((ushort)(_pendingByte.Value << 8 | b));
            _pendingByte = null;
            return;
        }
        _params.Add(b);
        if (_params.Count == 4 && (Ili9341Command)_command is Ili9341Command.ColumnAddressSet or Ili9341Command.PageAddressSet) FinishCommand();
        else if (_params.Count == 1 && (Ili9341Command)_command is Ili9341Command.MemoryAccessControl or Ili9341Command.PixelFormatSet) FinishCommand();
    }

    private void FinishCommand()
    {
        if (!_haveCommand) return;
        var cmd = (Ili9341Command)_command;
        var fixedLength = cmd is Ili9341Command.ColumnAddressSet or Ili9341Command.PageAddressSet or Ili9341Command.MemoryAccessControl or Ili9341Command.PixelFormatSet;
        var expected = cmd is Ili9341Command.ColumnAddressSet or Ili9341Command.PageAddressSet ? 4 : 1;
        if (fixedLength && _params.Count != expected)
        {
            Flag($"command 0x{_command:X2} got {_params.Count} parameter bytes, expected {expected}");
        }
        else if (cmd == Ili9341Command.ColumnAddressSet)
        {
            _sc = _params[0] << 8 | _params[1];
            _ec = _params[2] << 8 | _params[3];
            _columnsValid = CheckRange("column", _sc, _ec, Width);
        }
        else if (cmd == Ili9341Command.PageAddressSet)
        {
            _sp = _params[0] << 8 | _params[1];
            _ep = _params[2] << 8 | _params[3];
            _pagesValid = CheckRange("page", _sp, _ep, Height);
        }
        else if (cmd == Ili9341Command.MemoryAccessControl)
        {
            MemoryAccess = (MemoryAccess)_params[0];
        }
        else if (cmd == Ili9341Command.PixelFormatSet)
        {
            PixelFormat = _params[0];
        }
        _params.Clear();
        // Fixed-length commands are complete; a further data byte has no command to belong to.
        if (fixedLength) _haveCommand = false;
    }

    private bool CheckRange(string what, int start, int end, int size)
    {
        if (start <= end && end < size) return true;
        Flag($"{what} window {start}..{end} is outside the panel (0..{size - 1} under MADCTL 0x{(byte)MemoryAccess:X2})");
        return false;
    }

    private void WritePixel(ushort value)
    {
        if (!(_columnsValid && _pagesValid)) return;
        _gram[GramIndex(_col, _page)] = value;
        PixelsWritten++;
        if (++_col > _ec)
        {
            _col = _sc;
            if (++_page > _ep) _page = _sp;
        }
    }

    private int GramIndex(int x, int y)
    {
        // Address space -> physical GRAM (240 columns x 320 rows): MV exchanges rows and columns,
        // then MX/MY mirror the physical column/row order.
        int px = x, py = y;
        if (MemoryAccess.HasFlag(MemoryAccess.MV)) (px, py) = (y, x);
        if (MemoryAccess.HasFlag(MemoryAccess.MX)) px = Ili9341.NativeWidth - 1 - px;
        if (MemoryAccess.HasFlag(MemoryAccess.MY)) py = Ili9341.NativeHeight - 1 - py;
        if ((uint)px >= Ili9341.NativeWidth || (uint)py >= Ili9341.NativeHeight) throw new ArgumentOutOfRangeException(nameof(x), $"({x},{y}) is outside the {Width}x{Height} address space");
        return py * Ili9341.NativeWidth + px;
    }

    private static Rgb565 SwapRedBlue(ushort v) => new((ushort)((v & 0x07E0) | (v >> 11) | ((v & 0x1F) << 11)));
}
