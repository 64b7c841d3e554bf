using System.Globalization;
using System.Text;
using SkiaSharp;

namespace EdgeDigits.Hardware.Camera;

/// <summary>A program and its arguments that writes images to stdout (no shell involved).</summary>
/// <param name="FileName">Program name (looked up on PATH) or path.</param>
/// <param name="Arguments">Arguments, one per element.</param>
public sealed record CameraCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>libcamera on Raspberry Pi OS: MJPEG at the given size and rate to stdout, no preview, runs until stopped.</summary>
    public static CameraCommand RpicamVid(int width = 640, int height = 480, int framerate = 15, int camera = 0) =>
        new("rpicam-vid", ["-t", "0", "-n", "--camera", I(camera), "--codec", "mjpeg", "--width", I(width), "--height", I(height), "--framerate", I(framerate), "-o", "-"]);

    /// <summary>libcamera still: one JPEG to stdout.</summary>
    public static CameraCommand RpicamStill(int width = 1280, int height = 960, int camera = 0) =>
        new("rpicam-still", ["-n", "--immediate", "-t", "1", "--camera", I(camera), "--encoding", "jpg", "--width", I(width), "--height", I(height), "-o", "-"]);

    /// <summary>A USB/V4L2 camera through ffmpeg, passing the camera's own MJPEG through without re-encoding.</summary>
    public static CameraCommand FfmpegV4l2(string device = "/dev/video0", int width = 640, int height = 480, int framerate = 15) =>
        new("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "v4l2", "-input_format", "mjpeg", "-video_size", $"{width}x{height}", "-framerate", I(framerate), "-i", device, "-c:v", "copy", "-f", "mjpeg", "-"]);

    /// <summary>A video file decoded and re-encoded as MJPEG by ffmpeg; <paramref name="realtime"/> paces it at its own frame rate.</summary>
    public static CameraCommand FfmpegFile(string path, bool realtime = true, bool loop = false, double? framerate = null)
    {
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-nostdin" };
        if (realtime) args.Add("-re");
        if (loop) args.AddRange(["-stream_loop", "-1"]);
        args.AddRange(["-i", path]);
        if (framerate is { } fps) args.AddRange(["-r", fps.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-f", "mjpeg", "-q:v", "3", "-"]);
        return new CameraCommand("ffmpeg", args);
    }

    /// <summary>Most images <see cref="FfmpegSlideshow"/> takes: each is one ffmpeg input and one branch of the filter graph.</summary>
    public const int MaxSlideshowImages = 200;

    /// <summary>
    /// ffmpeg as a camera filming a slideshow: each image scaled to fit <paramref name="width"/>x<paramref name="height"/>, padded with its
    /// own border colour, each held for <paramref name="framesPerImage"/> frames in the order given, round and round, paced in real time
    /// at <paramref name="framerate"/> frames per second and encoded as MJPEG on stdout, the way rpicam-vid delivers a live camera. Reads
    /// each image once to pick its padding colour; throws <see cref="ArgumentException"/> for an empty or too long list and
    /// <see cref="FormatException"/> naming a file that is not an image.
    /// </summary>
    public static CameraCommand FfmpegSlideshow(IReadOnlyList<string> images, int width = 640, int height = 480, double framerate = 2, string ffmpeg = "ffmpeg", int framesPerImage = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(framesPerImage, 1);
        if (images.Count is 0 or > MaxSlideshowImages) throw new ArgumentException($"a slideshow camera takes 1..{MaxSlideshowImages} images, got {images.Count}", nameof(images));
        if (width is < 16 or > 4096 || height is < 16 or > 4096 || width % 2 != 0 || height % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"slideshow frame size {width}x{height} must be even and 16..4096");
        if (!(framerate is >= 0.1 and <= 60)) throw new ArgumentOutOfRangeException(nameof(framerate), $"slideshow frame rate {framerate} must be 0.1..60");
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-nostdin" };
        var graph = new StringBuilder();
        for (var i = 0; i < images.Count; i++)
        {
            args.AddRange(["-i", images[i]]);
            // Padding with the image's own background keeps the frame one scene: a white band beside a dark image would read as ink.
            graph.Append(CultureInfo.InvariantCulture, $"[{i}:v]scale={width}:{height}:force_original_aspect_ratio=decrease,")
                .Append(CultureInfo.InvariantCulture, $"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color=0x{BorderColor(images[i]):X6},setsar=1,format=yuvj420p[v{i}];");
        }
        for (var i = 0; i < images.Count; i++) graph.Append(CultureInfo.InvariantCulture, $"[v{i}]");
        // loop replays the N decoded frames forever; setpts gives each the time of framesPerImage frames, fps repeats it to fill
        // that time (only the N frames are buffered), and realtime paces the output like a sensor.
        var fps = framerate.ToString("0.###", CultureInfo.InvariantCulture);
        var hold = framesPerImage == 1 ? $"setpts=N/({fps}*TB)" : $"setpts=N*{framesPerImage}/({fps}*TB),fps={fps}";
        graph.Append(CultureInfo.InvariantCulture, $"concat=n={images.Count}:v=1:a=0,loop=loop=-1:size={images.Count},{hold},realtime[out]");
        args.AddRange(["-filter_complex", graph.ToString(), "-map", "[out]", "-fps_mode", "passthrough", "-f", "mjpeg", "-q:v", "3", "-"]);
        return new CameraCommand(ffmpeg, args);
    }

    /// <summary>The median colour of an image's outermost pixels, as 0xRRGGBB.</summary>
    private static int BorderColor(string path)
    {
        using var bmp = SKBitmap.Decode(path) ?? throw new FormatException($"{path}: not a decodable image");
        var r = new List<byte>();
        var g = new List<byte>();
        var b = new List<byte>();
        void Add(int x, int y)
        {
            var c = bmp.GetPixel(x, y);
            r.Add(c.Red); g.Add(c.Green); b.Add(c.Blue);
        }
        for (var x = 0; x < bmp.Width; x++) { Add(x, 0); Add(x, bmp.Height - 1); }
        for (var y = 1; y < bmp.Height - 1; y++) { Add(0, y); Add(bmp.Width - 1, y); }
        static int Median(List<byte> v) { v.Sort(); return v[v.Count / 2]; }
        return Median(r) << 16 | Median(g) << 8 | Median(b);
    }

    /// <summary>Where <paramref name="fileName"/> would be run from: itself when it holds a '/', else the first executable file of that name on PATH (as execvp looks); null when there is none.</summary>
    public static string? FindExecutable(string fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName)) return null;
        static bool IsExecutable(string path) =>
            File.Exists(path) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
        if (fileName.Contains('/')) return IsExecutable(fileName) ? fileName : null;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, fileName);
            if (IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Parses a command line from config: whitespace separates arguments, double or single quotes group them.</summary>
    public static CameraCommand Parse(string commandLine)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in commandLine ?? "")
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else current.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0 || any) parts.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else current.Append(c);
        }
        if (quote is not null) throw new FormatException($"camera command \"{commandLine}\": unclosed quote");
        if (current.Length > 0 || any) parts.Add(current.ToString());
        if (parts.Count == 0) throw new FormatException("camera command is empty");
        return new CameraCommand(parts[0], parts.Skip(1).ToArray());
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', new[] { FileName }.Concat(Arguments.Select(a => a.Contains(' ') ? $"\"{a}\"" : a)));

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
