using EdgeDigits.Device.Configuration;
using EdgeDigits.Hardware.Camera;
using Microsoft.Extensions.Logging;

namespace EdgeDigits.Device.Modes;

/// <summary>Where meter and sorter frames come from: one encoded image (JPEG/PNG) per capture, on demand.</summary>
public interface ICaptureSource : IDisposable
{
    /// <summary>Captures one frame and returns its encoded bytes plus a name for logs.</summary>
    Task<(byte[] Encoded, string Name)> CaptureAsync(CancellationToken ct);
}

/// <summary>Replays the images of a folder in name order, round and round (the simulator's camera).</summary>
public sealed class ReplayCaptureSource : ICaptureSource
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];
    private readonly string[] _files;
    private int _next;

    /// <summary>Lists the images in <paramref name="dir"/>; throws when there are none.</summary>
    public ReplayCaptureSource(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"camera replay folder '{dir}' not found");
        _files = Directory.EnumerateFiles(dir).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (_files.Length == 0) throw new FileNotFoundException($"camera replay folder '{dir}' holds no images ({string.Join(", ", Extensions)})");
    }

    /// <summary>The images replayed, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc />
    public async Task<(byte[] Encoded, string Name)> CaptureAsync(CancellationToken ct)
    {
        var file = _files[(int)((uint)Interlocked.Increment(ref _next) - 1) % _files.Length];
        return (await File.ReadAllBytesAsync(file, ct).ConfigureAwait(false), Path.GetFileName(file));
    }

    /// <inheritdoc />
    public void Dispose() { }
}

/// <summary>
/// A continuous MJPEG camera (a process writing MJPEG to stdout, restarted with back-off by the hardware layer when it
/// dies): a background reader keeps the newest frame; a capture returns the first frame that arrives after it was asked
/// for, so a sorter never reads a frame from before its trigger.
/// </summary>
public sealed class StreamCaptureSource : ICaptureSource
{
    private readonly ProcessMjpegSource _source;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly object _gate = new();
    private CameraFrame? _latest;
    private TaskCompletionSource<CameraFrame> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts <paramref name="command"/> and reads its frames in the background.</summary>
    public StreamCaptureSource(CameraCommand command, ILogger log)
    {
        _source = new ProcessMjpegSource(command);
        _source.Restarting += (why, delay) => log.LogWarning("camera {Name}: {Why}; restarting in {Delay} ms", _source.Name, why, delay.TotalMilliseconds);
        _reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var f in _source.ReadFramesAsync(_stop.Token).ConfigureAwait(false))
                {
                    TaskCompletionSource<CameraFrame> done;
                    lock (_gate)
                    {
                        _latest = f;
                        done = _next;
                        _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    done.TrySetResult(f);
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception ex)
            {
                log.LogError("camera {Name} stopped: {Error}", _source.Name, ex.Message);
                lock (_gate) _next.TrySetException(ex);
            }
        });
    }

    /// <inheritdoc />
    public async Task<(byte[] Encoded, string Name)> CaptureAsync(CancellationToken ct)
    {
        Task<CameraFrame> next;
        lock (_gate) next = _next.Task;
        var f = await next.WaitAsync(TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        return (f.Data, $"{f.Source}#{f.Sequence}");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        try { _reader.Wait(TimeSpan.FromSeconds(3)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}

/// <summary>A still-capture command (e.g. <c>rpicam-still -o -</c>) run once per capture.</summary>
public sealed class StillCaptureSource(CameraCommand command) : ICaptureSource
{
    private readonly StillCaptureCamera _camera = new(command);

    /// <inheritdoc />
    public async Task<(byte[] Encoded, string Name)> CaptureAsync(CancellationToken ct)
    {
        var f = await _camera.CaptureAsync(ct).ConfigureAwait(false);
        return (f.Data, $"{f.Source}#{f.Sequence}");
    }

    /// <inheritdoc />
    public void Dispose() { }
}

/// <summary>Opens the capture source a <see cref="CameraOptions"/> describes.</summary>
public static class CaptureSources
{
    /// <summary>Opens the configured camera; relative folders resolve through <paramref name="resolve"/>.</summary>
    public static ICaptureSource Open(CameraOptions o, Func<string, string> resolve, ILogger log) => o.Kind.ToLowerInvariant() switch
    {
        "replay" => new ReplayCaptureSource(resolve(o.ReplayDir)),
        "mjpeg" => new StreamCaptureSource(CameraCommand.Parse(o.Command), log),
        "still" => new StillCaptureSource(CameraCommand.Parse(o.Command)),
        _ => throw new NotSupportedException($"camera kind '{o.Kind}' (use Replay, Mjpeg or Still)"),
    };
}
