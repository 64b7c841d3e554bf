using System.Diagnostics;
using EdgeDigits.Hardware.Camera;
using EdgeDigits.Tests.Shared;
using SkiaSharp;

namespace EdgeDigits.Hardware.Tests.Camera;

/// <summary>ffmpeg filming a slideshow of image files: the simulator's camera, read through the same process source as rpicam-vid.</summary>
public class SlideshowCameraTests
{
    private static string Png(string dir, string name, int w, int h, SKColor background, SKColor mark)
    {
        using var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        bmp.Erase(background);
        using (var c = new SKCanvas(bmp)) c.DrawRect(w / 2 - 5, h / 2 - 5, 10, 10, new SKPaint { Color = mark });
        var path = Path.Combine(dir, name);
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    private static bool Near(SKColor a, SKColor b, int tolerance = 24) =>
        Math.Abs(a.Red - b.Red) <= tolerance && Math.Abs(a.Green - b.Green) <= tolerance && Math.Abs(a.Blue - b.Blue) <= tolerance;

    [Fact]
    public async Task FfmpegSlideshow_ImagesOfDifferentSizes_EveryFrameFullSizeInOrderPaddedWithItsOwnBackground()
    {
        var dir = RepoPaths.NewTempDir("slides");
        var dark = new SKColor(20, 20, 30);
        var light = new SKColor(230, 225, 210);
        var images = new[]
        {
            Png(dir, "a.png", 300, 100, light, SKColors.Black),
            Png(dir, "b.png", 100, 200, dark, SKColors.White),
        };
        var source = new ProcessMjpegSource(CameraCommand.FfmpegSlideshow(images, 320, 240, framerate: 10));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var frames = new List<CameraFrame>();
        var sw = Stopwatch.StartNew();
        await foreach (var f in source.ReadFramesAsync(cts.Token))
        {
            frames.Add(f);
            if (frames.Count == 6) break;
        }
        var elapsed = sw.Elapsed;

        for (var i = 0; i < frames.Count; i++)
        {
            using var bmp = frames[i].Decode();
            Assert.Equal((320, 240), (bmp.Width, bmp.Height));
            var expected = i % 2 == 0 ? light : dark;
            // The corners are padding (neither image fills 320x240 both ways); they match the image's own background.
            Assert.True(Near(bmp.GetPixel(2, 2), expected) && Near(bmp.GetPixel(317, 237), expected), $"frame {i}: corners {bmp.GetPixel(2, 2)}, {bmp.GetPixel(317, 237)}, expected {expected}");
            Assert.True(Near(bmp.GetPixel(160, 120), i % 2 == 0 ? SKColors.Black : SKColors.White, 60), $"frame {i}: centre {bmp.GetPixel(160, 120)}");
        }
        // Paced like a camera at 10 fps: six frames take about half a second, not the moment ffmpeg needs to encode them.
        Assert.True(elapsed > TimeSpan.FromMilliseconds(350), $"6 frames in {elapsed.TotalMilliseconds:0} ms: not paced");
        Assert.Equal(0, source.SkippedBytes);
    }

    [Fact]
    public async Task FfmpegSlideshow_FramesPerImage_HoldsEachImageThatManyFrames()
    {
        var dir = RepoPaths.NewTempDir("slides");
        var images = new[]
        {
            Png(dir, "a.png", 64, 48, SKColors.White, SKColors.Black),
            Png(dir, "b.png", 64, 48, SKColors.Black, SKColors.White),
        };
        var source = new ProcessMjpegSource(CameraCommand.FfmpegSlideshow(images, 64, 48, framerate: 20, framesPerImage: 3));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<char>();
        await foreach (var f in source.ReadFramesAsync(cts.Token))
        {
            using var bmp = f.Decode();
            seen.Add(Near(bmp.GetPixel(2, 2), SKColors.White) ? 'a' : Near(bmp.GetPixel(2, 2), SKColors.Black) ? 'b' : '?');
            if (seen.Count == 12) break;
        }
        Assert.Equal("aaabbbaaabbb", new string(seen.ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => CameraCommand.FfmpegSlideshow(images, framesPerImage: 0));
    }

    [Fact]
    public async Task ProcessId_CameraKilled_NewProcessAfterRestart()
    {
        var dir = RepoPaths.NewTempDir("slides");
        var source = new ProcessMjpegSource(CameraCommand.FfmpegSlideshow([Png(dir, "a.png", 64, 48, SKColors.White, SKColors.Black)], 64, 48, framerate: 20),
            new ProcessMjpegOptions { InitialBackoff = TimeSpan.FromMilliseconds(50) });
        Assert.Null(source.ProcessId);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var pids = new List<int>();
        await foreach (var f in source.ReadFramesAsync(cts.Token))
        {
            var pid = source.ProcessId!.Value;
            if (!pids.Contains(pid)) pids.Add(pid);
            if (pids.Count == 1 && source.Frames == 3) Process.GetProcessById(pid).Kill();
            if (pids.Count == 2 && source.Frames >= 6) break;
        }
        Assert.Equal(2, pids.Count);
        Assert.NotEqual(pids[0], pids[1]);
        Assert.Equal(1, source.Restarts);
        Assert.Equal(137, source.LastExitCode);
    }

    [Fact]
    public void FfmpegSlideshow_NotAnImage_ThrowsNamingFile()
    {
        var dir = RepoPaths.NewTempDir("slides");
        var bad = Path.Combine(dir, "notes.png");
        File.WriteAllText(bad, "not an image");
        var ex = Assert.Throws<FormatException>(() => CameraCommand.FfmpegSlideshow([bad]));
        Assert.Equal($"{bad}: not a decodable image", ex.Message);
        Assert.Throws<ArgumentException>(() => CameraCommand.FfmpegSlideshow([]));
    }

    [Fact]
    public void FindExecutable_OnPathAndMissing_AsExecvpWould()
    {
        Assert.Equal("/bin/sh", CameraCommand.FindExecutable("/bin/sh"));
        Assert.EndsWith("/sh", CameraCommand.FindExecutable("sh"));
        Assert.Null(CameraCommand.FindExecutable("no-such-camera-xyz"));
        Assert.Null(CameraCommand.FindExecutable("/nonexistent/ffmpeg"));
        var plain = Path.Combine(RepoPaths.NewTempDir("exe"), "ffmpeg");
        File.WriteAllText(plain, "#!/bin/sh\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.Null(CameraCommand.FindExecutable(plain)); // there, but not executable
    }
}
