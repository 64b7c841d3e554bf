using System.Diagnostics;
using EdgeDigits.Core.Inks;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Display;
using EdgeDigits.Device.Recognition;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace EdgeDigits.Device.Modes;

/// <summary>
/// Kiosk mode: polls the touch input (XPT2046 or evdev), draws the ink live on the display (ILI9341 or framebuffer) (only the changed rectangle is sent), and after
/// the pen has been up for <see cref="KioskOptions.PenUpMs"/> recognizes the ink and shows the number large, uncertain
/// digits in red and underlined. Touching the clear area erases; the next pen-down after a result starts a new number.
/// </summary>
public sealed class KioskController : IDisposable
{
    /// <summary>Panel width in landscape.</summary>
    public const int Width = 320;

    /// <summary>Panel height in landscape.</summary>
    public const int Height = 240;

    /// <summary>Where the number is drawn.</summary>
    public static readonly SKRect ResultArea = new(0, 32, Width, Height);

    private static readonly SKRectI FullScreen = new(0, 0, Width, Height);

    /// <summary>Ink colour.</summary>
    public static readonly SKColor InkColor = SKColors.White;

    /// <summary>Colour of uncertain digits.</summary>
    public static readonly SKColor UncertainColor = new(255, 0, 0);

    private readonly IKioskDisplay _display;
    private readonly IKioskTouch _touch;
    private readonly List<KioskTouchSample> _samples = new();
    private readonly object _lcdLock;
    private readonly StatusLeds? _leds;
    private readonly KioskOptions _options;
    private readonly Func<Ink, DeviceReading> _recognize;
    private readonly Action<DeviceReading> _publish;
    private readonly ILogger _log;
    private readonly SKBitmap _screen = new(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
    private readonly SKCanvas _canvas;
    private readonly SKPaint _ink = new() { Color = InkColor, StrokeWidth = 6, StrokeCap = SKStrokeCap.Round, IsAntialias = false, Style = SKPaintStyle.Stroke };
    private readonly List<List<(int X, int Y, long T)>> _strokes = new();
    private List<(int X, int Y, long T)>? _stroke;
    private long _inkStart;
    private long _penUpAt;
    private bool _penDown;
    private bool _waitForLift;
    private bool _showingResult;
    private long _version;
    private long _polls;

    /// <summary>Creates the controller on the board's LCD and touch controller.</summary>
    public KioskController(DeviceBoard board, KioskOptions options, Func<Ink, DeviceReading> recognize, Action<DeviceReading> publish, ILogger log)
    {
        _display = board.KioskDisplay ?? throw new InvalidOperationException("kiosk mode needs a display (the ILI9341 or a framebuffer)");
        _touch = board.KioskTouch ?? throw new InvalidOperationException("kiosk mode needs a touch input (the XPT2046 or an evdev device)");
        _lcdLock = board.LcdLock;
        _leds = board.Leds;
        _options = options;
        _recognize = recognize;
        _publish = publish;
        _log = log;
        _canvas = new SKCanvas(_screen);
        ClearScreen();
    }

    /// <summary>Incremented on every LCD update (the page refreshes its mirror when it changes).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Touch polls completed so far (the simulator's pen waits for them, so it never moves faster than the panel is sampled).</summary>
    public long Polls => Interlocked.Read(ref _polls);

    /// <summary>The last result's time from the end of the pen-up pause to the number being on the LCD (recognition + drawing), ms.</summary>
    public double LastComputeMs { get; private set; }

    /// <summary>The last result's time from the final pen-up to the number being on the LCD (includes the pause), ms.</summary>
    public double LastPenUpToLcdMs { get; private set; }

    /// <summary>The app's copy of the screen (what was sent to the LCD), as PNG.</summary>
    public byte[] ScreenPng()
    {
        lock (_lcdLock)
        {
            using var data = _screen.Encode(SKEncodedImageFormat.Png, 100);
            return data.ToArray();
        }
    }

    /// <summary>Raised after a number was shown.</summary>
    public event Action<DeviceReading>? Shown;

    /// <summary>Runs the touch loop on its own thread until <paramref name="ct"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken ct, Action? heartbeat = null) => Task.Factory.StartNew(() =>
    {
        var poll = TimeSpan.FromMilliseconds(Math.Max(1, _options.PollMs));
        while (!ct.IsCancellationRequested)
        {
            try { Step(); }
            catch (Exception ex)
            {
                _log.LogError("kiosk: {Error}", ex.Message);
                _leds?.Error();
                Thread.Sleep(200);
            }
            heartbeat?.Invoke();
            Thread.Sleep(poll);
        }
    }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).ContinueWith(_ => { }, TaskScheduler.Default);

    /// <summary>One poll of the touch input: every sample since the last poll, then the pen-up pause (public for tests that step it).</summary>
    public void Step()
    {
        _samples.Clear();
        _touch.Poll(_samples);
        var now = Stopwatch.GetTimestamp();
        foreach (var sample in _samples) Apply(sample, now);
        if (!_penDown && _strokes.Count > 0 && Stopwatch.GetElapsedTime(_penUpAt, now).TotalMilliseconds >= _options.PenUpMs)
            RecognizeAndShow();
        Interlocked.Increment(ref _polls);
    }

    private void Apply(KioskTouchSample sample, long now)
    {
        if (sample.Down)
        {
            if (sample.Point is not { } p) return; // a noisy sample while the pen is down: skip it, keep the stroke
            var (x, y) = ((int)Math.Round(p.X), (int)Math.Round(p.Y));
            if (!_penDown)
            {
                _penDown = true;
                if (InClearArea(x, y))
                {
                    ClearInk();
                    _waitForLift = true;
                    return;
                }
                if (_showingResult) { ClearScreen(); _showingResult = false; }
                if (_strokes.Count == 0) _inkStart = now;
                _stroke = new();
                _strokes.Add(_stroke);
            }
            if (_waitForLift || _stroke is null) return;
            var t = (long)Stopwatch.GetElapsedTime(_inkStart, now).TotalMilliseconds;
            (int X, int Y, long T) prev = _stroke.Count > 0 ? _stroke[^1] : (x, y, t);
            if (_stroke.Count > 0 && prev.X == x && prev.Y == y) return;
            _stroke.Add((x, y, t));
            DrawSegment(prev.X, prev.Y, x, y);
            return;
        }
        if (_penDown)
        {
            _penDown = false;
            _waitForLift = false;
            _stroke = null;
            _penUpAt = now;
        }
    }

    private bool InClearArea(int x, int y)
    {
        var a = _options.ClearArea;
        return x >= a.X && x < a.X + a.Width && y >= a.Y && y < a.Y + a.Height;
    }

    /// <summary>The ink collected so far, in panel pixels and ms since the first pen-down.</summary>
    public Ink CollectedInk() =>
        new(Width, Height, _strokes.Where(s => s.Count > 0).Select(s => s.Select(p => new InkPoint(p.X, p.Y, p.T)).ToArray()).ToList());

    private void RecognizeAndShow()
    {
        var start = Stopwatch.GetTimestamp();
        var penUp = _penUpAt;
        _leds?.Busy();
        var ink = CollectedInk();
        _strokes.Clear();
        DeviceReading reading;
        try
        {
            reading = _recognize(ink) with { Mode = "kiosk", Source = "touch", Time = DateTimeOffset.UtcNow, Ink = ink };
        }
        catch (Exception ex)
        {
            _log.LogError("kiosk: recognition failed: {Error}", ex.Message);
            _leds?.Error();
            ClearScreen();
            return;
        }
        var uncertain = reading.Digits.Select(d => d.Digit == "?").ToList();
        lock (_lcdLock)
        {
            _canvas.Clear(SKColors.Black);
            DrawClearIcon();
            SevenSegmentRenderer.Draw(_canvas, ShownDigits.Of(reading), ResultArea, InkColor, UncertainColor);
            _canvas.Flush();
            _display.Draw(_screen, FullScreen);
        }
        Interlocked.Increment(ref _version);
        _showingResult = true;
        LastComputeMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        LastPenUpToLcdMs = Stopwatch.GetElapsedTime(penUp).TotalMilliseconds;
        reading = reading with { LatencyMs = LastComputeMs };
        if (reading.Digits.Count == 0 || uncertain.Any(u => u)) _leds?.Error(); else _leds?.Ok();
        _publish(reading);
        Shown?.Invoke(reading);
    }

    private void DrawSegment(int x0, int y0, int x1, int y1)
    {
        var pad = (int)Math.Ceiling(_ink.StrokeWidth / 2) + 1;
        var rect = SKRectI.Intersect(new SKRectI(Math.Min(x0, x1) - pad, Math.Min(y0, y1) - pad, Math.Max(x0, x1) + pad + 1, Math.Max(y0, y1) + pad + 1), new SKRectI(0, 0, Width, Height));
        if (rect.IsEmpty) return;
        lock (_lcdLock)
        {
            if (x0 == x1 && y0 == y1) _canvas.DrawPoint(x0, y0, _ink);
            else _canvas.DrawLine(x0, y0, x1, y1, _ink);
            _canvas.Flush();
            _display.Draw(_screen, rect);
        }
        Interlocked.Increment(ref _version);
    }

    private void ClearInk()
    {
        _strokes.Clear();
        _stroke = null;
        _showingResult = false;
        ClearScreen();
        _leds?.Off();
    }

    private void ClearScreen()
    {
        lock (_lcdLock)
        {
            _canvas.Clear(SKColors.Black);
            DrawClearIcon();
            _canvas.Flush();
            _display.Draw(_screen, FullScreen);
        }
        Interlocked.Increment(ref _version);
    }

    private void DrawClearIcon()
    {
        var a = _options.ClearArea;
        using var p = new SKPaint { Color = new SKColor(90, 90, 90), Style = SKPaintStyle.Stroke, StrokeWidth = 3, IsAntialias = false };
        var r = new SKRect(a.X + 2, a.Y + 2, a.X + a.Width - 3, a.Y + a.Height - 3);
        _canvas.DrawRect(r, p);
        var cx = r.MidX;
        var cy = r.MidY;
        var h = Math.Min(r.Width, r.Height) / 3;
        _canvas.DrawLine(cx - h, cy - h, cx + h, cy + h, p);
        _canvas.DrawLine(cx - h, cy + h, cx + h, cy - h, p);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _canvas.Dispose();
        _screen.Dispose();
        _ink.Dispose();
    }
}
