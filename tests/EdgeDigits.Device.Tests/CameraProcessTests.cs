using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;
using EdgeDigits.Device.Web;

namespace EdgeDigits.Device.Tests;

/// <summary>The simulator's camera is a real ffmpeg process read through the board's MJPEG path; it dying is survived.</summary>
public class CameraProcessTests
{
    private static async Task<JsonElement> MeterCameraAsync(DeviceApp app) =>
        (await app.Client.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("cameras").GetProperty("meter");

    private static string Comm(int pid) => File.ReadAllText($"/proc/{pid}/comm").Trim();

    private static bool IsRunning(int pid)
    {
        // A killed child stays a zombie until reaped; only a live process counts as running.
        try { return !File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].TrimStart().StartsWith('Z'); }
        catch (IOException) { return false; }
    }

    [Fact]
    public async Task SimulatorProfile_MeterCamera_IsFfmpegEncodingTheRealMeterFramesReadThroughMjpegParser()
    {
        var frames = TestFrames.Folder("1");
        // The meter keeps the profile's own settings: samples/meter-frames through ffmpeg, windows and marks from its meter.json.
        await using var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Meter:Layout=samples/meter-frames/meter.json",
            $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}");
        var cam = await app.WaitForAsync(async () => await MeterCameraAsync(app) is { } c && c.GetProperty("pid").ValueKind == JsonValueKind.Number && c.GetProperty("frames").GetInt64() > 0 ? (object)c : null,
            TimeSpan.FromSeconds(20), "the ffmpeg camera to deliver frames");
        var camera = (JsonElement)cam;
        Assert.Equal("FfmpegReplay", camera.GetProperty("kind").GetString());
        Assert.Contains(Path.Combine("samples", "meter-frames", "frame-0.jpg"), camera.GetProperty("source").GetString());
        var pid = camera.GetProperty("pid").GetInt32();
        Assert.Equal("ffmpeg", Comm(pid));

        var capture = await app.Client.PostAsync("/api/meter/capture", null);
        Assert.Equal(HttpStatusCode.OK, capture.StatusCode);
        var r = app.Service<ReadingHub>().Recent(5).First(x => x.Mode == "meter");
        Assert.Matches(@"^camera 'ffmpeg'#\d+ \(pid \d+\)$", r.Source);
        Assert.Contains($"(pid {pid})", r.Source);
        // Whichever frame was on screen, it came through whole, aligned, and read as that meter reads (its lowest wheel may
        // wait a reading when it stands just below its digit after the previous frame's: LowestWheelFloor.Settle).
        Assert.Contains(Core.Synthesis.MeterFace.SampleValues, v => r.Text == v || r.Text == v[..^1] + "?");
        Assert.Equal(8, r.Digits.Count);
        Assert.Contains("; aligned ", r.Outcome);
        var frames2 = (await MeterCameraAsync(app)).GetProperty("frames").GetInt64();
        Assert.True(frames2 > camera.GetProperty("frames").GetInt64(), "the stream is not live");
    }

    [Fact]
    public async Task Meter_FfmpegCameraHoldsEachImageForTheInterval_SuccessiveCapturesSeeSuccessiveImages()
    {
        // Three images at 3 fps and a capture every second: one frame per image would put the same image in
        // front of every capture (3 frames per interval). Held for two seconds each, the captures walk through
        // all three within one round of six seconds, with room for a slow capture on a loaded machine.
        var frames = TestFrames.Folder("111", "222", "333");
        await using var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=1", "--EdgeDigits:Meter:Camera:Kind=FfmpegReplay",
            "--EdgeDigits:Meter:Camera:FramesPerSecond=3", "--EdgeDigits:Meter:Camera:SecondsPerImage=2",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}");
        var hub = app.Service<ReadingHub>();
        List<string> Texts() => hub.Recent(50).Where(r => r.Mode == "meter").Select(r => r.Text).ToList();
        await app.WaitForAsync(() => Task.FromResult(Texts().Count >= 9 ? (object)true : null), TimeSpan.FromSeconds(40), "nine meter readings");
        var texts = Texts();
        Assert.Equal(["111", "222", "333"], texts.Distinct().Order().ToArray());
    }

    [Fact]
    public async Task Meter_FfmpegCameraKilled_RestartedWithNewPidAndReadingsContinueOverMqtt()
    {
        using var broker = new MosquittoBroker();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "edgedigits/simulator/#");
        var frames = TestFrames.Folder("407");
        await using var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=1", "--EdgeDigits:Meter:Camera:Kind=FfmpegReplay", "--EdgeDigits:Meter:Camera:FramesPerSecond=4",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}", "--EdgeDigits:Mqtt:Enabled=true", $"--EdgeDigits:Mqtt:Port={broker.Port}");
        List<JsonElement> Readings() => rec.On("edgedigits/simulator/reading").Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();
        await rec.WaitForAsync(_ => Readings().Any(r => r.GetProperty("mode").GetString() == "meter"), TimeSpan.FromSeconds(20));
        var first = await MeterCameraAsync(app);
        var oldPid = first.GetProperty("pid").GetInt32();
        Assert.Equal("ffmpeg", Comm(oldPid));
        Assert.Equal(0, first.GetProperty("restarts").GetInt32());
        Assert.Contains(Readings(), r => r.GetProperty("source").GetString()!.EndsWith($"(pid {oldPid})", StringComparison.Ordinal) && r.GetProperty("text").GetString() == "407");

        using (var victim = Process.GetProcessById(oldPid)) victim.Kill();

        var after = await app.WaitForAsync(async () =>
        {
            var c = await MeterCameraAsync(app);
            return c.GetProperty("pid").ValueKind == JsonValueKind.Number && c.GetProperty("pid").GetInt32() != oldPid ? (object)c : null;
        }, TimeSpan.FromSeconds(20), "the camera process to be restarted");
        var camera = (JsonElement)after;
        var newPid = camera.GetProperty("pid").GetInt32();
        Assert.Equal("ffmpeg", Comm(newPid));
        Assert.False(IsRunning(oldPid), $"the killed camera {oldPid} still runs");
        Assert.Equal(1, camera.GetProperty("restarts").GetInt32());
        Assert.Contains("exited with code", camera.GetProperty("lastProblem").GetString());

        // Readings go on, made from frames of the new process, and reach the broker.
        await rec.WaitForAsync(_ => Readings().Any(r => r.GetProperty("source").GetString()!.EndsWith($"(pid {newPid})", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
        var fresh = Readings().First(r => r.GetProperty("source").GetString()!.EndsWith($"(pid {newPid})", StringComparison.Ordinal));
        Assert.Equal("407", fresh.GetProperty("text").GetString());
        var health = await app.Client.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("cameras").GetProperty("meter").GetProperty("restarts").GetInt32());
    }

    [Fact]
    public async Task Meter_CameraCommandCannotStart_HealthNamesCommandAndCaptureIs503NotACrash()
    {
        var frames = TestFrames.Folder("1");
        await using var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Meter:Camera:Kind=Mjpeg",
            "--EdgeDigits:Meter:Camera:Command=no-such-camera-xyz --codec mjpeg -o -", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}");
        const string Expected = "camera 'no-such-camera-xyz': camera command 'no-such-camera-xyz' not found or not executable";
        var health = (JsonElement)await app.WaitForAsync(async () =>
        {
            var h = await app.Client.GetFromJsonAsync<JsonElement>("/api/health");
            return h.GetProperty("errors").TryGetProperty("meter", out _) ? (object)h : null;
        }, TimeSpan.FromSeconds(20), "health to report the camera");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.StartsWith(Expected, health.GetProperty("errors").GetProperty("meter").GetString());
        var camera = health.GetProperty("cameras").GetProperty("meter");
        Assert.StartsWith(Expected, camera.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, camera.GetProperty("pid").ValueKind);

        var capture = await app.Client.PostAsync("/api/meter/capture", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, capture.StatusCode);
        Assert.StartsWith(Expected, (await capture.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // The rest of the device keeps working.
        var read = await app.Client.PostAsync("/api/read", new ByteArrayContent(TestFrames.Png("56")));
        Assert.Equal("56", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Meter_FfmpegNotThere_FallsBackToFileReplayAndHealthSaysWhy()
    {
        var frames = TestFrames.Folder("407");
        await using var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Meter:Camera:Kind=FfmpegReplay", "--EdgeDigits:Meter:Camera:Ffmpeg=/nonexistent/ffmpeg",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}");
        var meter = app.Service<IMeterControl>();
        Assert.StartsWith("value 407", await meter.CaptureNowAsync(CancellationToken.None));
        Assert.Equal("frame000.png", app.Service<ReadingHub>().Recent(5).First(x => x.Mode == "meter").Source);
        var camera = await MeterCameraAsync(app);
        Assert.Equal("Replay", camera.GetProperty("kind").GetString());
        Assert.StartsWith("'/nonexistent/ffmpeg' not found, so the camera cannot run as an MJPEG process; replaying", camera.GetProperty("note").GetString());
    }

    /// <summary>The simulator's meter: the first sample frame, read through its layout (windows aligned by the reference marks).</summary>
    private static readonly string SampleMeterReading = $"[meter] frame-0.jpg: {Core.Synthesis.MeterFace.SampleValues[0]}";

    [Fact]
    public async Task Run_SimulatorWithoutFfmpegOnPath_LogsTheFallbackAndStillReadsTheSamples()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "EdgeDigits.Device.dll"), "--profile", "Simulator",
            $"--EdgeDigits:Http:Url=http://127.0.0.1:{MosquittoBroker.FreePort()}", $"--EdgeDigits:Model:Path={DeviceApp.ModelPath}",
            $"--EdgeDigits:Model:SelfTestDir={Path.Combine(RepoPaths.Samples, "selftest")}", $"--EdgeDigits:CorrectionsDir={RepoPaths.NewTempDir("corr")}",
            $"--EdgeDigits:Mqtt:OutboxDir={RepoPaths.NewTempDir("outbox")}" })
            psi.ArgumentList.Add(a);
        // A machine without ffmpeg: nothing on PATH has it.
        psi.Environment["PATH"] = RepoPaths.NewTempDir("empty-path");
        psi.Environment.Remove("EDGEDIGITS_PROFILE");
        using var p = Process.Start(psi)!;
        var lines = new List<string>();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add(e.Data); };
        p.BeginOutputReadLine();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            var sw = Stopwatch.StartNew();
            bool Seen(string s) { lock (lines) return lines.Any(l => l.Contains(s, StringComparison.Ordinal)); }
            while (sw.Elapsed < TimeSpan.FromSeconds(60) && !(Seen("not found on PATH") && Seen(SampleMeterReading)) && !p.HasExited) await Task.Delay(100);
            lock (lines)
            {
                var all = string.Join("\n", lines);
                Assert.Contains("camera: 'ffmpeg' not found on PATH, so the camera cannot run as an MJPEG process; replaying", all);
                Assert.Contains("(install ffmpeg: tools/setup.sh or apt-get install ffmpeg)", all);
                Assert.Contains(SampleMeterReading, all);
            }
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }
}
