using System.Globalization;
using System.Text;

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
