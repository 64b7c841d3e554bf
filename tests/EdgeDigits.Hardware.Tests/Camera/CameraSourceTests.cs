using EdgeDigits.Hardware.Camera;
using EdgeDigits.Tests.Shared;
using SkiaSharp;

namespace EdgeDigits.Hardware.Tests.Camera;

/// <summary>Camera sources against a real ffmpeg producing MJPEG (the stand-in for rpicam-vid).</summary>
public class CameraSourceTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static CameraCommand FfmpegTestPattern(int frames, int w = 160, int h = 120) =>
        new("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", $"testsrc=size={w}x{h}:rate=30", "-frames:v", frames.ToString(), "-f", "mjpeg", "-q:v", "5", "-"]);

    private static async Task<List<CameraFrame>> Take(IFrameSource source, int count)
    {
        using var cts = new CancellationTokenSource(Limit);
        var frames = new List<CameraFrame>();
        await foreach (var f in source.ReadFramesAsync(cts.Token))
        {
            frames.Add(f);
            if (frames.Count == count) break;
        }
        return frames;
    }

    [Fact]
    public async Task ReadFramesAsync_FfmpegMjpeg_DecodesEveryFrame()
    {
        var source = new ProcessMjpegSource(FfmpegTestPattern(10), new ProcessMjpegOptions { RestartOnExit = false });
        var frames = await Take(source, 100);
        Assert.Equal(10, frames.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), frames.Select(f => f.Sequence));
        foreach (var f in frames)
        {
            using var bmp = f.Decode();
            Assert.Equal((160, 120), (bmp.Width, bmp.Height));
        }
        var gray = frames[0].ToGray();
        Assert.Equal((160, 120), (gray.Width, gray.Height));
        Assert.Equal(0, source.SkippedBytes);
    }

    [Fact]
    public async Task ReadFramesAsync_CameraProcessDies_IsRestartedWithBackoff()
    {
        // The "camera" writes 3 frames then dies with an error, every time.
        var cmd = new CameraCommand("sh", ["-c", "ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc=size=64x48:rate=30 -frames:v 3 -f mjpeg - ; echo 'camera lost' >&2; exit 3"]);
        var source = new ProcessMjpegSource(cmd, new ProcessMjpegOptions { InitialBackoff = TimeSpan.FromMilliseconds(50) });
        var reasons = new List<string>();
        source.Restarting += (reason, _) => reasons.Add(reason);

        var frames = await Take(source, 8);

        Assert.Equal(8, frames.Count);
        Assert.Equal(2, source.Restarts);
        Assert.Equal(3, source.LastExitCode);
        Assert.All(reasons, r => Assert.Equal("exited with code 3: camera lost", r));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), frames.Select(f => f.Sequence));
    }

    [Fact]
    public async Task ReadFramesAsync_CameraNeverProducesFrames_GivesUpWithStderr()
    {
        var cmd = new CameraCommand("sh", ["-c", "echo 'ERROR: no cameras available' >&2; exit 1"]);
        var source = new ProcessMjpegSource(cmd, new ProcessMjpegOptions { MaxRestarts = 2, InitialBackoff = TimeSpan.FromMilliseconds(20) });
        var waits = new List<TimeSpan>();
        source.Restarting += (_, wait) => waits.Add(wait);
        var ex = await Assert.ThrowsAsync<HardwareFaultException>(() => Take(source, 1));
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40) }, waits); // back-off doubles
        Assert.StartsWith("camera 'sh': gave up after 3 starts without a frame; last run exited with code 1: ERROR: no cameras available", ex.Message);
        Assert.Equal(2, source.Restarts);
    }

    [Fact]
    public async Task ReadFramesAsync_TextBeforeAndBetweenFrames_IsSkipped()
    {
        var cmd = new CameraCommand("sh", ["-c", "echo 'rpicam-vid v1.4 banner'; ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc=size=64x48:rate=30 -frames:v 2 -f mjpeg -; echo 'Still running...'; ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc=size=64x48:rate=30 -frames:v 2 -f mjpeg -"]);
        var source = new ProcessMjpegSource(cmd, new ProcessMjpegOptions { RestartOnExit = false });
        var frames = await Take(source, 100);
        Assert.Equal(4, frames.Count);
        Assert.Equal("rpicam-vid v1.4 banner\n".Length + "Still running...\n".Length, source.SkippedBytes);
        Assert.All(frames, f => f.Decode().Dispose());
    }

    [Fact]
    public void RpicamVid_SizeAndRate_GivesMjpegToStdoutArguments()
    {
        var cmd = CameraCommand.RpicamVid(1280, 720, 10);
        Assert.Equal("rpicam-vid -t 0 -n --camera 0 --codec mjpeg --width 1280 --height 720 --framerate 10 -o -", cmd.ToString());
    }

    [Fact]
    public async Task ReadFramesAsync_MissingCommand_ThrowsNamingIt()
    {
        var source = new ProcessMjpegSource(CameraCommand.RpicamVid() with { FileName = "rpicam-vid-not-installed" });
        var ex = await Assert.ThrowsAsync<HardwareUnavailableException>(() => Take(source, 1));
        Assert.StartsWith("camera 'rpicam-vid-not-installed': camera command 'rpicam-vid-not-installed' not found", ex.Message);
    }

    [Fact]
    public async Task ReadFramesAsync_ProcessStalls_IsKilledNotHung()
    {
        var source = new ProcessMjpegSource(new CameraCommand("sleep", ["30"]), new ProcessMjpegOptions { StallTimeout = TimeSpan.FromMilliseconds(300), MaxRestarts = 0 });
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<HardwareFaultException>(() => Take(source, 1));
        Assert.Contains("no data for 0.3 s (stalled)", ex.Message);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CaptureAsync_StillCommand_ReturnsOneJpeg()
    {
        var cmd = new CameraCommand("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc=size=96x64", "-frames:v", "1", "-f", "image2pipe", "-c:v", "mjpeg", "-"]);
        var camera = new StillCaptureCamera(cmd);
        var frame = await camera.CaptureAsync();
        using var bmp = frame.Decode();
        Assert.Equal((96, 64), (bmp.Width, bmp.Height));
    }

    [Fact]
    public async Task CaptureAsync_CommandHangs_TimesOutWithClearError()
    {
        var camera = new StillCaptureCamera(new CameraCommand("sleep", ["30"]), TimeSpan.FromMilliseconds(300));
        var ex = await Assert.ThrowsAsync<HardwareFaultException>(() => camera.CaptureAsync());
        Assert.StartsWith("camera 'sleep': no image within 0.3 s", ex.Message);
    }

    [Fact]
    public async Task CaptureAsync_CommandWritesText_RejectsIt()
    {
        var camera = new StillCaptureCamera(new CameraCommand("sh", ["-c", "echo hello world, not a picture"]));
        var ex = await Assert.ThrowsAsync<HardwareFaultException>(() => camera.CaptureAsync());
        Assert.Contains("not a JPEG or PNG", ex.Message);
    }

    [Fact]
    public async Task ImageFolderSource_Folder_ReplaysInNameOrder()
    {
        var dir = RepoPaths.NewTempDir();
        for (var i = 0; i < 3; i++)
        {
            using var bmp = new SKBitmap(10 + i, 10);
            bmp.Erase(SKColors.White);
            using var png = bmp.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(dir, $"frame{i}.png"), png.ToArray());
        }
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "ignored");
        var frames = await Take(new ImageFolderSource(dir), 10);
        Assert.Equal(new[] { 10, 11, 12 }, frames.Select(f => f.ToGray().Width));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task ImageFolderSource_MissingFolder_ThrowsNamingIt()
    {
        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => Take(new ImageFolderSource("/nonexistent/replay"), 1));
        Assert.Equal("/nonexistent/replay: replay folder not found", ex.Message);
    }

    [Fact]
    public async Task VideoFileSource_AviFile_ReplaysOnceAndInALoop()
    {
        var dir = RepoPaths.NewTempDir();
        var video = Path.Combine(dir, "meter.avi");
        using (var p = System.Diagnostics.Process.Start("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc=size=128x96:rate=10", "-frames:v", "6", "-c:v", "mjpeg", video])!)
            await p.WaitForExitAsync();
        var frames = await Take(new VideoFileSource(video, realtime: false), 100);
        Assert.Equal(6, frames.Count);
        using var bmp = frames[5].Decode();
        Assert.Equal((128, 96), (bmp.Width, bmp.Height));
        var looped = await Take(new VideoFileSource(video, realtime: false, loop: true), 15);
        Assert.Equal(15, looped.Count);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void VideoFileSource_MissingFile_ThrowsNamingIt()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => new VideoFileSource("/nonexistent/video.mp4").ReadFramesAsync());
        Assert.Equal("/nonexistent/video.mp4: video file not found", ex.Message);
    }

    [Theory]
    [InlineData("rpicam-vid -t 0 --codec mjpeg -o -", "rpicam-vid", 6)]
    [InlineData("ffmpeg -i \"my file.mp4\" -f mjpeg -", "ffmpeg", 5)]
    public void Parse_CommandLine_SplitsArguments(string line, string program, int args)
    {
        var cmd = CameraCommand.Parse(line);
        Assert.Equal(program, cmd.FileName);
        Assert.Equal(args, cmd.Arguments.Count);
    }

    [Fact]
    public void Parse_UnclosedQuote_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => CameraCommand.Parse("ffmpeg -i \"x"));
        Assert.Contains("unclosed quote", ex.Message);
    }
}
