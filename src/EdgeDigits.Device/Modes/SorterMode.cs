using System.Diagnostics;
using System.Text.Json;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Modes;

/// <summary>Sorter mode: a light-barrier edge → capture → read the sort code → pulse a gate (<see cref="SorterPipeline"/>).</summary>
public sealed class SorterMode(IOptions<DeviceOptions> options, ModelHost models, ReadingHub hub, PathResolver paths, ILogger<SorterMode> log) : IDeviceMode
{
    /// <summary>The sorter's registration: its gates and trigger on GPIO, no MQTT topics of its own.</summary>
    public static readonly ModeRegistration Registration = new("Sorter", PartFactory.OpenSorterParts, s =>
    {
        s.AddSingleton<SorterMode>();
        s.AddSingleton<IDeviceMode>(sp => sp.GetRequiredService<SorterMode>());
    }, _ => []);

    private ICaptureSource? _camera;

    /// <summary>The pipeline, once started.</summary>
    public SorterPipeline? Pipeline { get; private set; }

    /// <inheritdoc />
    public string Name => "sorter";

    /// <inheritdoc />
    public CameraStatus? Camera => _camera?.Status;

    /// <inheritdoc />
    public Task StartAsync(DeviceBoard board, CancellationToken stop)
    {
        var camera = _camera = CaptureSources.Open(options.Value.Sorter.Camera, paths.Resolve, log);
        var sorter = Pipeline = new SorterPipeline(options.Value.Sorter, async c =>
        {
            var (frame, name) = await camera.CaptureAsync(c).ConfigureAwait(false);
            return models.Current.ReadImage(frame) with { Source = name };
        }, board);
        sorter.Sorted += e => hub.Add(e.Reading with { Mode = Name, Time = DateTimeOffset.UtcNow, LatencyMs = e.LatencyMs });
        board.Trigger!.Triggered += e =>
        {
            if (!e.Active) return;
            // Latency counts from the first edge, before the debounce delay.
            var stamp = Stopwatch.GetTimestamp() - (long)((DateTimeOffset.UtcNow - e.At).TotalSeconds * Stopwatch.Frequency);
            if (!sorter.Trigger(stamp)) log.LogWarning("sorter: queue full, trigger dropped ({Dropped} so far)", sorter.Dropped);
        };
        return sorter.RunAsync(stop);
    }

    /// <inheritdoc />
    public JsonElement? HealthSection() => Pipeline is { } so
        ? JsonSerializer.SerializeToElement(new SorterHealth(
            so.GateCounts.ToDictionary(k => k.Key, k => k.Value), so.Dropped, so.Errors,
            so.Latency.Count == 0 ? null : Math.Round(so.Latency.Percentile(50), 2),
            so.Latency.Count == 0 ? null : Math.Round(so.Latency.Percentile(99), 2)), HealthJsonContext.Default.SorterHealth)
        : null;

    /// <inheritdoc />
    public void Dispose()
    {
        _camera?.Dispose();
        _camera = null;
    }
}
