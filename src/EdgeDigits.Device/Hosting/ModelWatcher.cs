using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Hosting;

/// <summary>
/// Watches the configured model file: when it is replaced on disk (an operator copying a new model over it), the new
/// file goes through the same load + self-test as <c>POST /api/model/activate</c>; a corrupt replacement is reported in
/// <c>/api/health</c> and the model already in memory keeps running.
/// </summary>
public sealed class ModelWatcher(ModelHost models, IOptions<DeviceOptions> options, PathResolver paths, HealthState health, ILogger<ModelWatcher> log) : IHostedService, IDisposable
{
    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var path = paths.Resolve(options.Value.Model.Path);
        var dir = Path.GetDirectoryName(path);
        if (dir is null || !Directory.Exists(dir)) return Task.CompletedTask;
        // Copies arrive as several write events (or a rename); act once the file has been quiet for a second.
        _debounce = new Timer(_ => Reload(path), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(dir, Path.GetFileName(path)) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size };
        FileSystemEventHandler changed = (_, _) => _debounce.Change(1000, Timeout.Infinite);
        _watcher.Changed += changed;
        _watcher.Created += changed;
        _watcher.Renamed += (_, _) => _debounce.Change(1000, Timeout.Infinite);
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    private void Reload(string path)
    {
        var o = options.Value.Model;
        var selfTest = o.SelfTestDir is null ? ModelHost.SelfTestDirFor(path, paths.Resolve("samples/selftest")) : paths.Resolve(o.SelfTestDir);
        log.LogInformation("model file {Path} changed on disk; validating it", path);
        var r = models.Activate(path, selfTest);
        health.SetError("model", r.Ok ? null : r.Message + " (the previous model keeps running)");
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        _watcher = null;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
    }
}
