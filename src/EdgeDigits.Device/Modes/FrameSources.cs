using EdgeDigits.Device.Configuration;
using EdgeDigits.Hardware;
using EdgeDigits.Hardware.Camera;
using Microsoft.Extensions.Logging;

namespace EdgeDigits.Device.Modes;

/// <summary>What a camera is doing, for <c>/api/health</c>.</summary>
/// <param name="Kind">The configured kind as it runs (<c>Replay</c>, <c>FfmpegReplay</c>, <c>Mjpeg</c>, <c>Still</c>).</param>
/// <param name="Source">The command line or the folder.</param>
/// <param name="ProcessId">The camera process now running, if any.</param>
/// <param name="Restarts">Times the camera process was restarted.</param>
/// <param name="Frames">Frames received.</param>
/// <param name="LastExitCode">Exit code of the last camera process that ended.</param>
/// <param name="LastProblem">Why the last camera process ended.</param>
/// <param name="Error">Why the camera delivers no frames at all (it could not start, or gave up); null while it works.</param>
/// <param name="Note">Anything else worth knowing (e.g. a fallback taken at start-up).</param>
public sealed record CameraStatus(string Kind, string Source, int? ProcessId = null, int Restarts = 0, long Frames = 0, int? LastExitCode = null,
    string? LastProblem = null, string? Error = null, string? Note = null);

/// <summary>Where meter and sorter frames come from: one encoded image (JPEG/PNG) per capture, on demand.</summary>
public interface ICaptureSource : IDisposable
{
    /// <summary>Captures one frame and returns its encoded bytes plus a name for logs.</summary>
    Task<(byte[] Encoded, string Name)> CaptureAsync(CancellationToken ct);

    /// <summary>What the camera is doing now.</summary>
    CameraStatus Status { get; }
}

/// <summary>Replays the images of a folder in name order, round and round (the simulator's camera when ffmpeg is missing).</summary>
public sealed class ReplayCaptureSource : ICaptureSource
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];
    private readonly string[] _files;
    private readonly string _dir;
    private readonly string? _note;
    private int _next;

    /// <summary>Lists the images in <paramref name="dir"/>; throws when there are none. <paramref name="note"/> shows in the status.</summary>
    public ReplayCaptureSource(string dir, string? note = null)
    {
        _dir = dir;
        _note = note;
        _files = ListImages(dir);
    }

    /// <summary>The images replayed, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <inheritdoc />
    public CameraStatus Status => new("Replay", _dir, Frames: Volatile.Read(ref _next), Note: _note);

    /// <summary>The images of <paramref name="dir"/> in name order; throws naming the folder when it is missing or holds none.</summary>
    public static string[] ListImages(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"camera replay folder '{dir}' not found");
        var files = Directory.EnumerateFiles(dir).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"camera replay folder '{dir}' holds no images ({string.Join(", ", Extensions)})");
        return files;
    }

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
/// for, so a sorter never reads a frame from before its trigger. A camera that cannot start, or gives up, is reported by
/// every capture and in <see cref="Status"/>; the app keeps running.
/// </summary>
public sealed class StreamCaptureSource : ICaptureSource
{
    private readonly ProcessMjpegSource _source;
    private readonly CameraCommand _command;
    private readonly string _kind;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly object _gate = new();
    private TaskCompletionSource<(CameraFrame Frame, int? Pid)> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;

    /// <summary>Starts <paramref name="command"/> and reads its frames in the background; <paramref name="kind"/> names it in the status.</summary>
    public StreamCaptureSource(CameraCommand command, ILogger log, string kind = "Mjpeg", ProcessMjpegOptions? options = null)
    {
        _command = command;
        _kind = kind;
        _source = new ProcessMjpegSource(command, options);
        _source.Restarting += (why, delay) => log.LogWarning("camera {Name}: {Why}; restarting in {Delay} ms", _source.Name, why, delay.TotalMilliseconds);
        _reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var f in _source.ReadFramesAsync(_stop.Token).ConfigureAwait(false))
                {
                    TaskCompletionSource<(CameraFrame, int?)> done;
                    lock (_gate)
                    {
                        done = _next;
                        _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                    done.TrySetResult((f, _source.ProcessId));
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
            catch (Exception ex)
            {
                log.LogError("camera {Name} stopped: {Error}", _source.Name, ex.Message);
                lock (_gate)
                {
                    _failure = ex;
                    _next.TrySetException(ex);
                }
            }
        });
    }

    /// <summary>How long a capture waits for the next frame.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public CameraStatus Status => new(_kind, _command.ToString(), _source.ProcessId, _source.Restarts, _source.Frames, _source.LastExitCode, _source.LastProblem, _failure?.Message);

    /// <inheritdoc />
    public async Task<(byte[] Encoded, string Name)> CaptureAsync(CancellationToken ct)
    {
        Task<(CameraFrame Frame, int? Pid)> next;
        lock (_gate) next = _next.Task;
        try
        {
            var (f, pid) = await next.WaitAsync(FrameTimeout, ct).ConfigureAwait(false);
            return (f.Data, $"{f.Source}#{f.Sequence} (pid {pid})");
        }
        catch (TimeoutException)
        {
            var s = Status;
            throw new HardwareFaultException(_source.Name, $"no frame within {FrameTimeout.TotalSeconds:0.#} s (restarts {s.Restarts}{(s.LastProblem is null ? "" : ", last: " + s.LastProblem)})");
        }
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
    private long _frames;
    private string? _error;

    /// <inheritdoc />
    public CameraStatus Status => new("Still", command.ToString(), Frames: Interlocked.Read(ref _frames), Error: _error);

    /// <inheritdoc />
    public async Task<(byte[] Encoded, string Name)> CaptureAsync(CancellationToken ct)
    {
        try
        {
            var f = await _camera.CaptureAsync(ct).ConfigureAwait(false);
            Interlocked.Increment(ref _frames);
            _error = null;
            return (f.Data, $"{f.Source}#{f.Sequence}");
        }
        catch (HardwareException ex)
        {
            _error = ex.Message;
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() { }
}

/// <summary>Opens the capture source a <see cref="CameraOptions"/> describes.</summary>
public static class CaptureSources
{
    /// <summary>Opens the configured camera; relative folders resolve through <paramref name="resolve"/>.</summary>
    public static ICaptureSource Open(CameraOptions o, Func<string, string> resolve, ILogger log) => OptionKinds.Parse<CameraKind>(o.Kind) switch
    {
        CameraKind.Replay => new ReplayCaptureSource(resolve(o.ReplayDir)),
        CameraKind.FfmpegReplay => OpenFfmpegReplay(o, resolve(o.ReplayDir), log),
        CameraKind.Mjpeg => new StreamCaptureSource(CameraCommand.Parse(o.Command), log),
        CameraKind.Still => new StillCaptureSource(CameraCommand.Parse(o.Command)),
        _ => throw new NotSupportedException($"camera kind '{o.Kind}' (use {OptionKinds.Names<CameraKind>()})"),
    };

    /// <summary>
    /// The simulator's camera: ffmpeg turns the folder's images into a live MJPEG stream that goes through the same process source
    /// and frame parser as rpicam-vid on a board. Without ffmpeg the folder is replayed from the files, and the log says why.
    /// </summary>
    private static ICaptureSource OpenFfmpegReplay(CameraOptions o, string dir, ILogger log)
    {
        var images = ReplayCaptureSource.ListImages(dir);
        if (CameraCommand.FindExecutable(o.Ffmpeg) is null)
        {
            var where = o.Ffmpeg.Contains('/') ? "" : " on PATH";
            var why = $"'{o.Ffmpeg}' not found{where}, so the camera cannot run as an MJPEG process; replaying {dir} from the files instead (install ffmpeg: tools/setup.sh or apt-get install ffmpeg)";
            log.LogWarning("camera: {Why}", why);
            return new ReplayCaptureSource(dir, why);
        }
        if (images.Length > CameraCommand.MaxSlideshowImages)
        {
            log.LogWarning("camera: {Dir} holds {Count} images; the ffmpeg camera shows the first {Max}", dir, images.Length, CameraCommand.MaxSlideshowImages);
            images = images[..CameraCommand.MaxSlideshowImages];
        }
        int hold = Math.Max(1, (int)Math.Round(o.SecondsPerImage * o.FramesPerSecond));
        var command = CameraCommand.FfmpegSlideshow(images, o.Width, o.Height, o.FramesPerSecond, o.Ffmpeg, hold);
        log.LogInformation("camera: ffmpeg encodes the {Count} images of {Dir} as MJPEG at {Fps} fps, {Hold} frame(s) each", images.Length, dir, o.FramesPerSecond, hold);
        return new StreamCaptureSource(command, log, "FfmpegReplay");
    }
}
