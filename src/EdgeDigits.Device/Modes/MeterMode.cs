using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Mqtt;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Modes;

/// <summary>
/// Meter mode: every <c>Meter:IntervalSeconds</c> (and on the page's "read now") capture, read, check plausibility
/// (<see cref="MeterPlausibility"/>), publish the retained <c>/meter</c> state.
/// </summary>
public sealed class MeterMode(IOptions<DeviceOptions> options, ModelHost models, ReadingHub hub, HealthState health, PathResolver paths, IServiceProvider sp, ILogger<MeterMode> log)
    : IDeviceMode, IMeterControl
{
    /// <summary>The meter's registration: its display (<c>Meter:Display</c>; the camera opens with the mode), the page's capture API, the <c>/meter</c> sensors.</summary>
    public static readonly ModeRegistration Registration = new("Meter", PartFactory.OpenMeterParts, s =>
    {
        s.AddSingleton<MeterMode>();
        s.AddSingleton<IDeviceMode>(p => p.GetRequiredService<MeterMode>());
        s.AddSingleton<IMeterControl>(p => p.GetRequiredService<MeterMode>());
    }, Sensors);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly MeterOptions _o = options.Value.Meter;
    private ICaptureSource? _camera;
    private IMeterFrameReader? _reader;
    private DeviceBoard? _board;

    /// <summary>The plausibility state, once started.</summary>
    public MeterPlausibility? Plausibility { get; private set; }

    /// <inheritdoc />
    public string Name => "meter";

    /// <inheritdoc />
    public CameraStatus? Camera => _camera?.Status;

    /// <summary>
    /// The Home Assistant sensors of <c>/meter</c>: value (with the meter's kind and unit, and its decimals: one with
    /// <see cref="MeterOptions.PublishTenth"/>, else none), rate, status.
    /// </summary>
    public static IEnumerable<MqttSensor> Sensors(DeviceOptions o) =>
    [
        new("meter_value", "Meter value", "meter", "{{ value_json.value }}", StateClass: "total_increasing",
            Unit: o.Meter.EffectiveUnit.Length > 0 ? o.Meter.EffectiveUnit : null, DeviceClass: o.Meter.Kind.Length > 0 ? o.Meter.Kind : null,
            Precision: o.Meter.PublishTenth ? 1 : 0),
        new("meter_rate", "Meter rate", "meter", "{{ value_json.ratePerHour }}", Unit: "/h"),
        new("meter_status", "Meter status", "meter", "{{ value_json.status }}"),
    ];

    /// <inheritdoc />
    public Task StartAsync(DeviceBoard board, CancellationToken stop)
    {
        _board = board;
        _camera = CaptureSources.Open(_o.Camera, paths.Resolve, log);
        _reader = IMeterFrameReader.Create(_o, models, paths.Resolve);
        Plausibility = new MeterPlausibility(_o, _reader.DigitConfidenceThreshold);
        return Task.Run(() => LoopAsync(stop), CancellationToken.None);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_o.IntervalSeconds));
        try
        {
            do
            {
                health.Beat(Name);
                try { await CaptureNowAsync(ct).ConfigureAwait(false); }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
                catch (Exception ex)
                {
                    log.LogError("meter: {Error}", ex.Message);
                    health.SetError(Name, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <inheritdoc />
    public async Task<string> CaptureNowAsync(CancellationToken ct)
    {
        if (_camera is null || _reader is null || Plausibility is null) throw new InvalidOperationException("meter mode is not running");
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _board?.Leds?.Busy();
            var (frame, name) = await _camera.CaptureAsync(ct).ConfigureAwait(false);
            var frames = new List<byte[]> { frame };
            while (frames.Count < _reader.FramesPerReading) frames.Add((await _camera.CaptureAsync(ct).ConfigureAwait(false)).Encoded);
            var now = DateTimeOffset.UtcNow;
            DeviceReading reading;
            try { reading = _reader.Read(frames); }
            catch (Exception ex) when (ex is FrameRefusedException or ImageFormatException or ArgumentException)
            {
                return Refuse(ex.Message.ReplaceLineEndings(" "), name, now);
            }
            var d = Plausibility.Check(reading, now);
            var value = d.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var outcome = d.Accepted ? $"value {value}{(d.Reason is null ? "" : " (" + d.Reason + ")")}" : $"rejected: {d.Reason}; keeping {value ?? "nothing"}";
            if (reading.Outcome is not null) outcome += $"; {reading.Outcome}";
            var reason = string.Join("; ", new[] { d.Reason, reading.Outcome }.Where(s => !string.IsNullOrEmpty(s)));
            hub.Add(reading with
            {
                Mode = Name, Source = name, Time = now, Outcome = outcome, Value = d.Accepted ? d.Value : null, ShowsTenth = _o.PublishTenth,
                Status = d.Status, Reason = reason.Length > 0 ? reason : null,
            });
            health.SetError(Name, null);
            if (d.Accepted) _board?.Leds?.Ok(); else _board?.Leds?.Error();
            Publish(new MeterState(d.Value, d.Text, d.RatePerHour, d.Status, d.Reason, now.ToString("O"), name));
            return outcome;
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// A frame that cannot be read (not aligned, undecodable, a window off the frame): the reason goes to the log, to
    /// <c>errors.meter</c> on <c>/api/health</c> and to the <c>/meter</c> state; the last good value stays.
    /// </summary>
    private string Refuse(string reason, string source, DateTimeOffset now)
    {
        var keeping = Plausibility!.LastValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing";
        var outcome = $"refused: {reason}; keeping {keeping}";
        log.LogWarning("meter: {Source}: {Outcome}", source, outcome);
        health.SetError(Name, $"reading refused: {reason}");
        hub.Add(new DeviceReading { Mode = Name, Source = source, Time = now, Outcome = outcome, Status = "refused", Reason = reason });
        _board?.Leds?.Error();
        Publish(new MeterState(Plausibility.LastValue, Plausibility.LastText ?? "", null, "rejected", $"reading refused: {reason}", now.ToString("O"), source));
        return outcome;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The new reader is opened before the old one is let go, and swapped between two readings (under the capture gate).
    /// The plausibility state stays when the number of windows stays (the same meter, windows moved); with another number
    /// of windows the value has other digits, so it starts afresh.
    /// </remarks>
    public async Task<string?> ApplyLayoutAsync(string layoutPath, CancellationToken ct)
    {
        if (_reader is null || Plausibility is null) return "meter mode is not running";
        var next = new MeterOptions { Layout = layoutPath, WindowModel = _o.WindowModel, Burst = _o.Burst };
        IMeterFrameReader reader;
        try
        {
            next.ApplyLayout(paths.Resolve);
            reader = IMeterFrameReader.Create(next, models, paths.Resolve);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or ImageFormatException or Core.Recognition.ModelLoadException)
        {
            return ex.Message.ReplaceLineEndings(" ");
        }
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var old = _reader;
            var sameDigits = _o.Windows.Count == next.Windows.Count;
            (_o.Layout, _o.Windows, _o.Alignment) = (layoutPath, next.Windows, next.Alignment);
            _reader = reader;
            if (!sameDigits) Plausibility = new MeterPlausibility(_o, reader.DigitConfidenceThreshold);
            old.Dispose();
            log.LogInformation("meter: layout {Layout} applied ({Windows} windows, alignment {Mode})", layoutPath, next.Windows.Count, next.Alignment.Mode);
            return null;
        }
        finally { _gate.Release(); }
    }

    private void Publish(MeterState state) =>
        sp.GetService<MqttSink>()?.PublishRaw("meter", JsonSerializer.Serialize(state, HealthJsonContext.Default.MeterState), retain: true);

    /// <inheritdoc />
    public JsonElement? HealthSection() => Plausibility is { } p
        ? JsonSerializer.SerializeToElement(new MeterHealth(p.LastValue, p.LastTime), HealthJsonContext.Default.MeterHealth)
        : null;

    /// <inheritdoc />
    public void Dispose()
    {
        _camera?.Dispose();
        _reader?.Dispose();
        (_camera, _reader) = (null, null);
    }
}
