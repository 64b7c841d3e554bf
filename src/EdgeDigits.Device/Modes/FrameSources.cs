using EdgeDigits.Device.Configuration;

namespace EdgeDigits.Device.Modes;

/// <summary>Where meter and sorter frames come from: one encoded image (JPEG/PNG) per capture.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>Captures one frame and returns its encoded bytes plus a name for logs.</summary>
    Task<(byte[] Encoded, string Name)> CaptureAsync(CancellationToken ct);
}

/// <summary>Replays the images of a folder in name order, round and round (the simulator's camera).</summary>
public sealed class ReplayFrameSource : IFrameSource
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];
    private readonly string[] _files;
    private int _next;

    /// <summary>Lists the images in <paramref name="dir"/>; throws when there are none.</summary>
    public ReplayFrameSource(string dir)
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

/// <summary>Opens the frame source a <see cref="CameraOptions"/> describes.</summary>
public static class FrameSources
{
    /// <summary>Opens the configured camera; relative folders resolve through <paramref name="resolve"/>.</summary>
    public static IFrameSource Open(CameraOptions o, Func<string, string> resolve) => o.Kind.ToLowerInvariant() switch
    {
        "replay" => new ReplayFrameSource(resolve(o.ReplayDir)),
        _ => throw new NotSupportedException($"camera kind '{o.Kind}' is not available in this build (use Replay)"),
    };
}
