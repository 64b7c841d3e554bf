using System.Runtime.CompilerServices;

namespace EdgeDigits.Hardware.Camera;

/// <summary>Replays the JPEG/PNG files of a folder in name order as camera frames, at a fixed rate, once or in a loop.</summary>
public sealed class ImageFolderSource : IFrameSource
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];
    private readonly string _folder;
    private readonly TimeProvider _time;

    /// <summary>Creates the source; <paramref name="interval"/> between frames (zero: as fast as read).</summary>
    public ImageFolderSource(string folder, TimeSpan? interval = null, bool loop = false, TimeProvider? time = null)
    {
        _folder = folder;
        Interval = interval ?? TimeSpan.Zero;
        Loop = loop;
        _time = time ?? TimeProvider.System;
        Name = $"image folder {folder}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Time between frames.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Start again after the last file.</summary>
    public bool Loop { get; }

    /// <inheritdoc />
    public async IAsyncEnumerable<CameraFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_folder)) throw new DirectoryNotFoundException($"{_folder}: replay folder not found");
        var files = Directory.EnumerateFiles(_folder).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new FileNotFoundException($"{_folder}: no .jpg, .jpeg or .png files to replay");
        long sequence = 0;
        do
        {
            foreach (var file in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var data = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
                yield return new CameraFrame(data, sequence++, _time.GetUtcNow(), file);
                if (Interval > TimeSpan.Zero) await Task.Delay(Interval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        while (Loop);
    }
}

/// <summary>Replays a video file through ffmpeg as MJPEG frames (the same reader as a live camera).</summary>
public sealed class VideoFileSource : IFrameSource
{
    private readonly string _path;
    private readonly ProcessMjpegSource _inner;

    /// <summary>Creates the source; <paramref name="realtime"/> paces frames at the video's rate, <paramref name="loop"/> repeats it.</summary>
    public VideoFileSource(string path, bool realtime = true, bool loop = false, double? framerate = null, string ffmpeg = "ffmpeg", TimeProvider? time = null)
    {
        _path = path;
        var cmd = CameraCommand.FfmpegFile(path, realtime, loop, framerate) with { FileName = ffmpeg };
        _inner = new ProcessMjpegSource(cmd, new ProcessMjpegOptions { RestartOnExit = false, StallTimeout = TimeSpan.FromSeconds(30) }, time);
        Name = $"video {path}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IAsyncEnumerable<CameraFrame> ReadFramesAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(_path)) throw new FileNotFoundException($"{_path}: video file not found", _path);
        return _inner.ReadFramesAsync(cancellationToken);
    }
}
