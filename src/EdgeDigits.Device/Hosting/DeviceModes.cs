using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Mqtt;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Hosting;

/// <summary>
/// Opens the board and runs the configured modes; on stop, cancels the loops and leaves the hardware safe (gates off,
/// LCD cleared). In the simulator it also takes the page's pen strokes and trigger presses into the emulated chips.
/// </summary>
public sealed class DeviceModes : IHostedService, ILcdMirror, ISimulatorInputs, IMeterControl, IDisposable
{
    private readonly DeviceOptions _o;
    private readonly ModelHost _models;
    private readonly ReadingHub _hub;
    private readonly HealthState _health;
    private readonly PathResolver _paths;
    private readonly ILogger<DeviceModes> _log;
    private readonly IServiceProvider _sp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = new();
    private readonly SemaphoreSlim _inkGate = new(1, 1);
    private readonly SemaphoreSlim _meterGate = new(1, 1);
    private ICaptureSource? _meterCamera;
    private IMeterFrameReader? _meterReader;
    private ICaptureSource? _sorterCamera;

    /// <summary>Creates the modes service.</summary>
    public DeviceModes(IOptions<DeviceOptions> options, ModelHost models, ReadingHub hub, HealthState health, PathResolver paths, ILogger<DeviceModes> log, IServiceProvider sp)
    {
        _o = options.Value;
        _models = models;
        _hub = hub;
        _health = health;
        _paths = paths;
        _log = log;
        _sp = sp;
    }

    /// <summary>The board, once started.</summary>
    public DeviceBoard? Board { get; private set; }

    /// <summary>The kiosk, when running.</summary>
    public KioskController? Kiosk { get; private set; }

    /// <summary>The meter plausibility state, when running.</summary>
    public MeterPlausibility? Meter { get; private set; }

    /// <summary>The sorter pipeline, when running.</summary>
    public SorterPipeline? Sorter { get; private set; }

    /// <summary>The cameras by mode (<c>meter</c>, <c>sorter</c>) and what each is doing: process id, restarts, frames, errors.</summary>
    public IReadOnlyDictionary<string, CameraStatus> Cameras
    {
        get
        {
            var d = new Dictionary<string, CameraStatus>();
            if (_meterCamera is { } m) d["meter"] = m.Status;
            if (_sorterCamera is { } s) d["sorter"] = s.Status;
            return d;
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Board = DeviceBoard.Open(_o, _log);
        var ct = _stop.Token;
        if (_o.HasMode("Kiosk"))
        {
            Kiosk = new KioskController(Board, _o.Kiosk, json => _models.Current.ReadInk(json), r => _hub.Add(r), _log);
            _loops.Add(Kiosk.RunAsync(ct, () => _health.Beat("kiosk")));
        }
        if (_o.HasMode("Meter"))
        {
            _meterCamera = CaptureSources.Open(_o.Meter.Camera, _paths.Resolve, _log);
            _meterReader = IMeterFrameReader.Create(_o.Meter, _models, _paths.Resolve);
            Meter = new MeterPlausibility(_o.Meter, _meterReader.DigitConfidenceThreshold);
            _loops.Add(Task.Run(() => MeterLoopAsync(ct), CancellationToken.None));
        }
        if (_o.HasMode("Sorter"))
        {
            _sorterCamera = CaptureSources.Open(_o.Sorter.Camera, _paths.Resolve, _log);
            Sorter = new SorterPipeline(_o.Sorter, async c =>
            {
                var (frame, name) = await _sorterCamera.CaptureAsync(c).ConfigureAwait(false);
                return _models.Current.ReadImage(frame) with { Source = name };
            }, Board);
            Sorter.Sorted += e => _hub.Add(e.Reading with { Mode = "sorter", Time = DateTimeOffset.UtcNow, LatencyMs = e.LatencyMs });
            Board.Trigger!.Triggered += e =>
            {
                if (!e.Active) return;
                // Latency counts from the first edge, before the debounce delay.
                var stamp = Stopwatch.GetTimestamp() - (long)((DateTimeOffset.UtcNow - e.At).TotalSeconds * Stopwatch.Frequency);
                if (!Sorter.Trigger(stamp)) _log.LogWarning("sorter: queue full, trigger dropped ({Dropped} so far)", Sorter.Dropped);
            };
            _loops.Add(Sorter.RunAsync(ct));
        }
        if (Board.Oled is not null || Board.Segments is not null) _hub.Added += ShowOnStatusDisplays;
        Board.Leds?.Ok();
        return Task.CompletedTask;
    }

    private async Task MeterLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_o.Meter.IntervalSeconds));
        try
        {
            await MeterTicksAsync(timer, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private async Task MeterTicksAsync(PeriodicTimer timer, CancellationToken ct)
    {
        do
        {
            _health.Beat("meter");
            try { await CaptureNowAsync(ct).ConfigureAwait(false); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                _log.LogError("meter: {Error}", ex.Message);
                _health.SetError("meter", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    private void ShowOnStatusDisplays(DeviceReading r)
    {
        try { Board?.ShowOnStatusDisplays(r); }
        catch (Exception ex) { _log.LogWarning("status display: {Error}", ex.Message); }
    }

    /// <inheritdoc />
    public async Task<string> CaptureNowAsync(CancellationToken ct)
    {
        if (_meterCamera is null || _meterReader is null || Meter is null) throw new InvalidOperationException("meter mode is not running");
        await _meterGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Board?.Leds?.Busy();
            var (frame, name) = await _meterCamera.CaptureAsync(ct).ConfigureAwait(false);
            var frames = new List<byte[]> { frame };
            while (frames.Count < _meterReader.FramesPerReading) frames.Add((await _meterCamera.CaptureAsync(ct).ConfigureAwait(false)).Encoded);
            var reading = _meterReader.Read(frames);
            var now = DateTimeOffset.UtcNow;
            var d = Meter.Check(reading, now);
            var outcome = d.Accepted ? $"value {d.Value}{(d.Reason is null ? "" : " (" + d.Reason + ")")}" : $"rejected: {d.Reason}; keeping {d.Value?.ToString() ?? "nothing"}";
            _hub.Add(reading with { Mode = "meter", Source = name, Time = now, Outcome = outcome });
            _health.SetError("meter", null);
            if (d.Accepted) Board?.Leds?.Ok(); else Board?.Leds?.Error();
            _sp.GetService<MqttSink>()?.PublishMeter(new JsonObject
            {
                ["value"] = d.Value, ["text"] = d.Text, ["ratePerHour"] = d.RatePerHour, ["status"] = d.Status, ["reason"] = d.Reason,
                ["time"] = now.ToString("O"), ["source"] = name,
            });
            return outcome;
        }
        finally { _meterGate.Release(); }
    }

    /// <inheritdoc />
    public byte[] SnapshotPng()
    {
        if (Board?.FramebufferEmulator is { } fb)
        {
            // What the framebuffer holds, read back from the emulated device: the kiosk's pixels after the real driver wrote them.
            lock (Board.LcdLock)
            {
                using var bmp = fb.Render();
                using var data = bmp.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
                return data.ToArray();
            }
        }
        if (Board?.LcdEmulator is { } emu)
        {
            lock (Board.LcdLock)
            {
                using var bmp = emu.RenderScreen();
                using var data = bmp.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
                return data.ToArray();
            }
        }
        return Kiosk?.ScreenPng() ?? throw new InvalidOperationException("no LCD content yet");
    }

    /// <inheritdoc />
    public long Version => Kiosk?.Version ?? 0;

    /// <inheritdoc />
    /// <remarks>
    /// The pen moves on its own thread with the ink's timing, but never faster than the kiosk polls the panel:
    /// after each point it waits for two completed polls (the XPT2046 is sampled, it keeps no history). On a loaded
    /// machine the stroke is then drawn slower instead of losing points, so what the kiosk reads is the ink that was played.
    /// </remarks>
    public async Task PlayInkAsync(string inkJson, CancellationToken ct)
    {
        var (touch, lift) = EmulatedPen();
        var strokes = ParseInk(inkJson);
        await _inkGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await Task.Factory.StartNew(() => PlayStrokes(strokes, touch, lift, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            lift();
            _inkGate.Release();
        }
    }

    private void PlayStrokes(List<List<(double X, double Y, long T)>> strokes, Action<double, double> touch, Action lift, CancellationToken ct)
    {
        var hold = TimeSpan.FromMilliseconds(Math.Max(15, _o.Kiosk.PollMs * 3));
        foreach (var stroke in strokes)
        {
            var start = Stopwatch.GetTimestamp();
            var t0 = stroke[0].T;
            foreach (var (x, y, t) in stroke)
            {
                var wait = TimeSpan.FromMilliseconds(t - t0) - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero && ct.WaitHandle.WaitOne(wait)) return;
                touch(x, y);
                WaitForPolls(2, ct);
            }
            // Hold the last point for a few polls so the driver sees where the stroke ended.
            if (ct.WaitHandle.WaitOne(hold)) return;
            lift();
            WaitForPolls(2, ct);
            if (ct.WaitHandle.WaitOne(hold)) return;
        }
    }

    /// <summary>Blocks until the kiosk has completed <paramref name="count"/> more touch polls (at most 1 s: a kiosk that stopped polling must not hang the replay).</summary>
    private void WaitForPolls(int count, CancellationToken ct)
    {
        if (Kiosk is not { } kiosk) return;
        var target = kiosk.Polls + count;
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (kiosk.Polls < target && Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested) Thread.Sleep(1);
    }

    /// <summary>The simulator's pen on whichever touch input the kiosk reads: the emulated XPT2046, or events into the emulated evdev device.</summary>
    private (Action<double, double> Touch, Action Lift) EmulatedPen()
    {
        if (Board?.TouchEmulator is { } xpt) return ((x, y) => xpt.Touch(x, y), xpt.Lift);
        if (Board is { EvdevEmulator: { } ev, KioskTouch: EvdevKioskTouch reader })
            return ((x, y) => { var (rx, ry) = reader.ToRaw(x, y); ev.Touch(rx, ry); }, ev.Lift);
        throw new ArgumentException("no emulated touch panel (kiosk mode in the simulator profile)");
    }

    /// <summary>Parses ink JSON (DESIGN.md format), scaling to the 320x240 panel; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static List<List<(double X, double Y, long T)>> ParseInk(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException ex) { throw new FormatException($"ink: malformed JSON ({ex.Message})"); }
        if (root is not JsonObject o || o["strokes"] is not JsonArray strokes) throw new FormatException("ink: expected {\"width\":W,\"height\":H,\"strokes\":[[[x,y,t],...],...]}");
        double w = 320, h = 240;
        try
        {
            if (o["width"] is JsonValue wv) w = wv.GetValue<double>();
            if (o["height"] is JsonValue hv) h = hv.GetValue<double>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException) { throw new FormatException("ink: width/height must be numbers"); }
        if (w <= 0 || h <= 0 || w > 10_000 || h > 10_000) throw new FormatException($"ink: size {w}x{h} is not plausible");
        var scale = Math.Min(320 / w, 240 / h);
        var result = new List<List<(double, double, long)>>();
        for (var i = 0; i < strokes.Count; i++)
        {
            if (strokes[i] is not JsonArray pts || pts.Count == 0) throw new FormatException($"ink: stroke {i} is not a non-empty array of points");
            if (pts.Count > 20_000) throw new FormatException($"ink: stroke {i} has {pts.Count} points (max 20000)");
            var s = new List<(double, double, long)>();
            long last = long.MinValue;
            for (var j = 0; j < pts.Count; j++)
            {
                try
                {
                    if (pts[j] is not JsonArray p || p.Count < 2) throw new FormatException();
                    // One scale for both axes keeps the writing's shape; the ink is centred on the panel.
                    var x = p[0]!.GetValue<double>() * scale + (320 - w * scale) / 2;
                    var y = p[1]!.GetValue<double>() * scale + (240 - h * scale) / 2;
                    var t = p.Count > 2 ? (long)p[2]!.GetValue<double>() : j * 10L;
                    if (double.IsNaN(x) || double.IsNaN(y) || x < -0.5 || y < -0.5 || x > 320.5 || y > 240.5) throw new FormatException();
                    t = Math.Max(t, last);
                    last = t;
                    s.Add((Math.Clamp(x, 0, 319), Math.Clamp(y, 0, 239), t));
                }
                catch (Exception ex) when (ex is FormatException or InvalidOperationException or NullReferenceException)
                {
                    throw new FormatException($"ink: stroke {i} point {j} must be [x,y,t_ms] inside the {w}x{h} panel");
                }
            }
            if (s[^1].Item3 - s[0].Item3 > 60_000) throw new FormatException($"ink: stroke {i} lasts over 60 s");
            result.Add(s);
        }
        if (result.Count == 0) throw new FormatException("ink: no strokes");
        return result;
    }

    /// <inheritdoc />
    public void FireTrigger()
    {
        var gpio = Board?.SimGpio ?? throw new InvalidOperationException("no emulated GPIO (simulator profile only)");
        var pin = _o.Pins.Trigger;
        // A parcel breaks the beam for ~100 ms (a 10 cm box at 1 m/s): the barrier pulls the line low, then releases it to the pull-up.
        gpio.Drive(pin, System.Device.Gpio.PinValue.Low);
        _ = Task.Delay(100).ContinueWith(_ => gpio.Drive(pin, null), TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        _hub.Added -= ShowOnStatusDisplays;
        try { await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false); }
        catch (TimeoutException) { _log.LogWarning("modes did not stop within 5 s"); }
        catch (OperationCanceledException) { }
        Kiosk?.Dispose();
        Kiosk = null;
        Board?.Dispose();
        _meterCamera?.Dispose();
        _meterReader?.Dispose();
        _sorterCamera?.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Dispose();
        _inkGate.Dispose();
        _meterGate.Dispose();
    }
}
