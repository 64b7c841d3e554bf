namespace EdgeDigits.Device.Configuration;

/// <summary>A camera source.</summary>
public sealed class CameraOptions
{
    /// <summary>
    /// <c>Replay</c> (the image files of a folder, one per capture), <c>FfmpegReplay</c> (the same images encoded by an ffmpeg process
    /// into a live MJPEG stream, read like rpicam-vid: the simulator's camera), <c>Mjpeg</c> (a process writing MJPEG to stdout), or
    /// <c>Still</c> (a command writing one JPEG).
    /// </summary>
    public string Kind { get; set; } = "Replay";

    /// <summary>Image folder for <c>Replay</c> and <c>FfmpegReplay</c>.</summary>
    public string ReplayDir { get; set; } = "samples";

    /// <summary>Command for <c>Mjpeg</c>/<c>Still</c>.</summary>
    public string Command { get; set; } = "rpicam-vid -t 0 --codec mjpeg --width 640 --height 480 --framerate 5 -o -";

    /// <summary><c>FfmpegReplay</c>: the ffmpeg program (name on PATH or path); when it is not there the camera replays the files directly, with a warning.</summary>
    public string Ffmpeg { get; set; } = "ffmpeg";

    /// <summary><c>FfmpegReplay</c>: frames per second of the stream (the images in name order, round and round).</summary>
    public double FramesPerSecond { get; set; } = 2;

    /// <summary>
    /// <c>FfmpegReplay</c>: how long each image stays in front of the camera, in seconds (0 = one frame each). Set it to the meter's
    /// capture interval so that successive captures see successive images instead of the same one of every round.
    /// </summary>
    public double SecondsPerImage { get; set; }

    /// <summary><c>FfmpegReplay</c>: frame width; each image is scaled to fit and padded with its own border colour.</summary>
    public int Width { get; set; } = 640;

    /// <summary><c>FfmpegReplay</c>: frame height.</summary>
    public int Height { get; set; } = 480;
}

/// <summary>A rectangle in source pixels.</summary>
public sealed class RectOptions
{
    /// <summary>Left.</summary>
    public int X { get; set; }

    /// <summary>Top.</summary>
    public int Y { get; set; }

    /// <summary>Width.</summary>
    public int Width { get; set; }

    /// <summary>Height.</summary>
    public int Height { get; set; }

    /// <summary>The rectangle as Core takes it.</summary>
    public Core.Imaging.PixelRect ToPixelRect() => new(X, Y, Width, Height);

    /// <inheritdoc />
    public override string ToString() => $"{X},{Y},{Width},{Height}";
}
