using EdgeDigits.Device.Modes;
using EdgeDigits.Hardware.Simulation.Xpt204x;
using EdgeDigits.Hardware.Simulation.Ili934x;
using EdgeDigits.Hardware.Simulation.Tm16xx;
using EdgeDigits.Hardware.Tm16xx;
using System.Device.Gpio;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;
using EdgeDigits.Device.Web;

namespace EdgeDigits.Device.Tests;

/// <summary>The whole app in the simulator profile: real model, real drivers on the chip emulators, real Kestrel and mosquitto.</summary>
public class DeviceEndToEndTests
{
    private static readonly string[] Quiet = ["--EdgeDigits:Meter:IntervalSeconds=3600"];

    private static async Task<DeviceReading> NextReadingAsync(DeviceApp app, string mode, long after, TimeSpan timeout) =>
        await app.WaitForAsync(() => Task.FromResult(app.Service<ReadingHub>().Recent(50).FirstOrDefault(r => r.Mode == mode && r.Id > after)), timeout, $"a {mode} reading");

    [Fact]
    public async Task Kiosk_InkPlayedIntoEmulatedTouch_PanelShowsRecognizedNumber()
    {
        // Two strokes, one number: a pen-up pause much longer than the replay's gap between strokes.
        await using var app = await DeviceApp.StartAsync([.. Quiet, "--EdgeDigits:Kiosk:PenUpMs=1000", $"--EdgeDigits:Meter:Camera:ReplayDir={TestFrames.Folder("1")}", $"--EdgeDigits:Sorter:Camera:ReplayDir={TestFrames.Folder("1")}"]);
        var hub = app.Service<ReadingHub>();
        var before = hub.Total;
        var ink = TestInks.Json([.. TestInks.One(110), .. TestInks.Zero(210)]);
        var post = await app.Client.PostAsync("/api/sim/ink", new StringContent(ink, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var reading = await NextReadingAsync(app, "kiosk", before, TimeSpan.FromSeconds(10));
        Assert.Equal("10", reading.Text);
        var modes = app.Service<ModeRunner>();
        Assert.True(KioskControllerTests.PanelShows(modes.Board!.Part<Ili9341Emulator>()!, "10", out var why), why);
        Assert.Empty(modes.Board.Part<Ili9341Emulator>()!.Violations);
        Assert.Equal(0, modes.Board.Part<Xpt2046Emulator>()!.UnexpectedModes);

        // A correction of an ink reading keeps the ink with its label, beside the crops; a label the grouping
        // cannot match digit for digit still keeps the ink (what the next model should learn from).
        var corr = await app.Client.PostAsJsonAsync("/api/correct", new { id = reading.Id, label = "10" });
        Assert.Equal(HttpStatusCode.OK, corr.StatusCode);
        var saved = Assert.Single(Directory.GetFiles(Path.Combine(app.DataDir, "ink-corrections"), "*.json"));
        var kept = EdgeDigits.Core.Inks.Ink.Load(saved);
        Assert.Equal("10", kept.Label);
        Assert.Equal(2, kept.Strokes.Count);
        Assert.Single(Directory.GetFiles(Path.Combine(app.DataDir, "corrections", "0"), "*.png"));
        var onlyInk = await app.Client.PostAsJsonAsync("/api/correct", new { id = reading.Id, label = "100" });
        Assert.Equal(HttpStatusCode.OK, onlyInk.StatusCode);
        Assert.Contains("only the ink was saved", (await onlyInk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("note").GetString());
    }

    [Fact]
    public async Task Kiosk_SampleInk7ThroughPage_PanelShows7()
    {
        var frames = TestFrames.Folder("1");
        await using var app = await DeviceApp.StartAsync([.. Quiet, "--EdgeDigits:Kiosk:PenUpMs=500", $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}",
            $"--EdgeDigits:Simulator:SamplesDir={RepoPaths.Samples}"]);
        var before = app.Service<ReadingHub>().Total;
        Assert.Equal(HttpStatusCode.Accepted, (await app.Client.PostAsync("/api/sim/inks/7.json", null)).StatusCode);
        var reading = await NextReadingAsync(app, "kiosk", before, TimeSpan.FromSeconds(10));
        Assert.Equal("7", reading.Text);
        var modes = app.Service<ModeRunner>();
        Assert.True(KioskControllerTests.PanelShows(modes.Board!.Part<Ili9341Emulator>()!, "7", out var why), why);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.PostAsync("/api/sim/inks/..%2Fsecret.json", null)).StatusCode);
    }

    [Fact]
    public async Task Kiosk_PanelPolledSlowerThanInkPoints_EveryPlayedPointStillArrives()
    {
        // The sample 7 has 26 points 8 ms apart. Polled every 40 ms, a pen that kept the ink's own timing would be
        // sampled about 6 times in the stroke; the simulator's pen waits for the polls, so all points reach the kiosk.
        var frames = TestFrames.Folder("1");
        await using var app = await DeviceApp.StartAsync([.. Quiet, "--EdgeDigits:Kiosk:PollMs=40", "--EdgeDigits:Kiosk:PenUpMs=500",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}", $"--EdgeDigits:Simulator:SamplesDir={RepoPaths.Samples}"]);
        var before = app.Service<ReadingHub>().Total;
        var played = EdgeDigits.Device.Simulator.PenPlayback.ToPanel(EdgeDigits.Core.Inks.Ink.Load(Path.Combine(RepoPaths.Samples, "ink", "7.json")), 320, 240);
        Assert.Equal(HttpStatusCode.Accepted, (await app.Client.PostAsync("/api/sim/inks/7.json", null)).StatusCode);
        var reading = await NextReadingAsync(app, "kiosk", before, TimeSpan.FromSeconds(20));
        var collected = reading.Ink!.Strokes;
        Assert.Single(collected);
        // Every played point was sampled: each has a collected point within 3 px (the panel is noisy, so a point
        // held for two polls may arrive twice, a pixel apart). Played points are about 6 px apart.
        foreach (var p in played[0])
        {
            var nearest = collected[0].Min(c => Math.Max(Math.Abs(c.X - p.X), Math.Abs(c.Y - p.Y)));
            Assert.True(nearest <= 3, $"played point ({p.X:F1}, {p.Y:F1}) at {p.TimeMs} ms never reached the kiosk (nearest collected point {nearest:F1} px away)");
        }
        Assert.Equal("7", reading.Text);
    }

    [Fact]
    public async Task Meter_FramesReplayed_MeterValuePublishedToRealMosquitto()
    {
        using var broker = new MosquittoBroker();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "edgedigits/simulator/#");
        var frames = TestFrames.Folder("407", "408", "401");
        // Replay from files: the plausibility sequence needs exactly these frames in this order, one per capture.
        await using var app = await DeviceApp.StartAsync(["--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Meter:Camera:Kind=Replay", $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}",
            "--EdgeDigits:Mqtt:Enabled=true", $"--EdgeDigits:Mqtt:Port={broker.Port}"]);
        await rec.WaitForAsync(r => r.On("/meter").Count >= 1, TimeSpan.FromSeconds(15));
        var meter = app.Service<IMeterControl>();
        Assert.StartsWith("value 408", await meter.CaptureNowAsync(CancellationToken.None));
        Assert.StartsWith("rejected: value went down from 408 to 401", await meter.CaptureNowAsync(CancellationToken.None));
        await rec.WaitForAsync(r => r.On("/meter").Count >= 3, TimeSpan.FromSeconds(10));
        var states = rec.On("edgedigits/simulator/meter").Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();
        Assert.Equal(407, states[0].GetProperty("value").GetInt64());
        Assert.Equal(408, states[1].GetProperty("value").GetInt64());
        Assert.Equal("rejected", states[2].GetProperty("status").GetString());
        Assert.Equal(408, states[2].GetProperty("value").GetInt64());
        Assert.Contains(rec.On("edgedigits/simulator/reading"), m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("text").GetString() == "407");
    }

    /// <summary>
    /// The device reading four real meter windows, one frame per capture, publishing to <paramref name="broker"/>: 0791, then the units
    /// rolling 6->7 (a window labelled 6.4: 0796.4), then a misread that goes down. <paramref name="extra"/> adds settings; without a
    /// broker MQTT stays off.
    /// </summary>
    internal static async Task<(DeviceApp App, List<Configuration.RectOptions> Windows)> StartRollingMeterAsync(MosquittoBroker? broker, params string[] extra)
    {
        var (frames, windows) = MeterFrames.Folder(["0.0", "7.0", "9.0", "1.0"], ["0.0", "7.0", "9.0", "6.4"], ["0.0", "7.0", "5.0", "1.0"]);
        var windowArgs = windows.SelectMany((w, i) => new[] { $"--EdgeDigits:Meter:Windows:{i}:X={w.X}", $"--EdgeDigits:Meter:Windows:{i}:Y={w.Y}", $"--EdgeDigits:Meter:Windows:{i}:Width={w.Width}", $"--EdgeDigits:Meter:Windows:{i}:Height={w.Height}" });
        var app = await DeviceApp.StartAsync(["--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Meter:Camera:Kind=Replay", $"--EdgeDigits:Meter:Camera:ReplayDir={frames}",
            $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}", "--EdgeDigits:Meter:Burst=1", "--EdgeDigits:Meter:RecoverAfter=0", .. windowArgs,
            .. broker is null ? Array.Empty<string>() : ["--EdgeDigits:Mqtt:Enabled=true", $"--EdgeDigits:Mqtt:Port={broker.Port}"], .. extra]);
        return (app, windows);
    }

    [Fact]
    public async Task Meter_DigitWindowsOfRealMeterFrames_SettledValuePublishedToRealMosquitto()
    {
        using var broker = new MosquittoBroker();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "edgedigits/simulator/meter");
        var (started, windows) = await StartRollingMeterAsync(broker);
        await using var app = started;
        await rec.WaitForAsync(r => r.Messages.Count >= 1, TimeSpan.FromSeconds(15));
        var meter = app.Service<IMeterControl>();
        Assert.StartsWith("value 796", await meter.CaptureNowAsync(CancellationToken.None));
        Assert.StartsWith("rejected: value went down from 796 to 751", await meter.CaptureNowAsync(CancellationToken.None));
        await rec.WaitForAsync(r => r.Messages.Count >= 3, TimeSpan.FromSeconds(10));
        var states = rec.Messages.Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();
        Assert.Equal(791, states[0].GetProperty("value").GetInt64());
        Assert.Equal("0791", states[0].GetProperty("text").GetString());
        Assert.Equal(796, states[1].GetProperty("value").GetInt64());
        Assert.Equal("rejected", states[2].GetProperty("status").GetString());
        var reading = app.Service<ReadingHub>().Recent(5).First(x => x.Mode == "meter");
        Assert.Equal(4, reading.Digits.Count);
        Assert.Equal(new[] { windows[0].X, windows[0].Y, windows[0].Width, windows[0].Height }, reading.Digits[0].Box);
        // Without PublishTenth the reading shows the digits read, no point; the simulator's 4-digit TM1637 keeps the value published
        // (the 751 read was rejected).
        Assert.Equal("0751", reading.Shown);
        Assert.Equal("0796", app.Service<ModeRunner>().Board!.Part<Tm1637Emulator>()!.Text);
    }

    [Fact]
    public async Task Meter_PublishTenth_ValueWithTheLowestWheelsTenthInMqttPayloadPageAndDiscovery()
    {
        using var broker = new MosquittoBroker();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "#");
        var (started, _) = await StartRollingMeterAsync(broker, "--EdgeDigits:Meter:PublishTenth=true");
        await using var app = started;
        await rec.WaitForAsync(r => r.On("edgedigits/simulator/meter").Count >= 1, TimeSpan.FromSeconds(15));
        var meter = app.Service<IMeterControl>();
        var second = await meter.CaptureNowAsync(CancellationToken.None);
        Assert.Matches(@"^value 796\.\d", second);
        Assert.Matches(@"^rejected: value went down from 796\.\d to 751\.\d ", await meter.CaptureNowAsync(CancellationToken.None));
        await rec.WaitForAsync(r => r.On("edgedigits/simulator/meter").Count >= 3, TimeSpan.FromSeconds(10));

        // The retained /meter payloads as the broker delivered them: the value is a number with one decimal, the lowest wheel's tenth.
        var states = rec.On("edgedigits/simulator/meter").Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();
        var values = states.Select(x => x.GetProperty("value").GetRawText()).ToList();
        Assert.Matches(@"^791\.\d$", values[0]);
        Assert.Equal("0791", states[0].GetProperty("text").GetString());
        Assert.Matches(@"^796\.\d$", values[1]);
        // The window is labelled 6.4: the tenth published is the wheel's roll as read, within a tenth of its label.
        Assert.InRange(decimal.Parse(values[1], System.Globalization.CultureInfo.InvariantCulture), 796.3m, 796.5m);
        Assert.Equal("rejected", states[2].GetProperty("status").GetString());
        Assert.Equal(values[1], values[2]);

        // The page's API: each meter reading carries its tenth and, when accepted, the value published.
        var readings = (await app.Client.GetFromJsonAsync<JsonElement>("/api/readings?n=10")).EnumerateArray()
            .Where(x => x.GetProperty("mode").GetString() == "meter").OrderBy(x => x.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(3, readings.Count);
        var accepted = readings[1];
        Assert.Equal(values[1], accepted.GetProperty("value").GetRawText());
        Assert.Equal("0796", accepted.GetProperty("text").GetString());
        Assert.Equal(values[1][^1] - '0', accepted.GetProperty("tenth").GetInt32());
        Assert.StartsWith($"value {values[1]}", accepted.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, readings[2].GetProperty("value").ValueKind);
        var health = await app.Client.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal(values[1], health.GetProperty("meter").GetProperty("lastValue").GetRawText());

        // What the displays and the page's big number show: the digits read, a point and the tenth. The page shows the last reading
        // (the rejected 0751.x); the status displays keep the value published (0796.x), the 4-digit TM1637 its last four digits, the
        // point on the third one's bit 7.
        Assert.Equal($"0796.{values[1][^1]}", accepted.GetProperty("shown").GetString());
        Assert.Matches(@"^0751\.\d$", readings[2].GetProperty("shown").GetString()!);
        var segments = app.Service<ModeRunner>().Board!.Part<Tm1637Emulator>()!;
        Assert.Equal($"796.{values[1][^1]}", segments.Text);
        Assert.Equal(SevenSegment.PointOrColon, segments.Segments[2] & SevenSegment.PointOrColon);

        // Home Assistant shows one decimal.
        var discovery = JsonDocument.Parse(rec.On("homeassistant/sensor/simulator_meter_value/config").Last().Payload).RootElement;
        Assert.Equal(1, discovery.GetProperty("suggested_display_precision").GetInt32());
        Assert.Equal("{{ value_json.value }}", discovery.GetProperty("value_template").GetString());
    }

    /// <summary>Meter-mode arguments for the sample meter's windows and alignment (samples/meter-frames).</summary>
    private static IEnumerable<string> SampleMeterArgs(string mode = "Marks")
    {
        var a = SampleMeter.Alignment(mode);
        foreach (var (w, i) in SampleMeter.Windows.Select((w, i) => (w, i)))
            yield return $"--EdgeDigits:Meter:Windows:{i}:X={w.X} --EdgeDigits:Meter:Windows:{i}:Y={w.Y} --EdgeDigits:Meter:Windows:{i}:Width={w.Width} --EdgeDigits:Meter:Windows:{i}:Height={w.Height}";
        foreach (var (m, i) in a.Marks.Select((m, i) => (m, i)))
            yield return $"--EdgeDigits:Meter:Alignment:Marks:{i}:X={m.X} --EdgeDigits:Meter:Alignment:Marks:{i}:Y={m.Y} --EdgeDigits:Meter:Alignment:Marks:{i}:Width={m.Width} --EdgeDigits:Meter:Alignment:Marks:{i}:Height={m.Height}";
        yield return $"--EdgeDigits:Meter:Alignment:Mode={mode} --EdgeDigits:Meter:Alignment:Reference={a.Reference}";
    }

    [Fact]
    public async Task Meter_FrameWhoseMarkIsCovered_RefusedOnHealthAndLastValueKept()
    {
        // a.jpg: the meter after the camera moved; b.jpg: the same meter with reference mark 1 covered.
        var frames = RepoPaths.NewTempDir("meter-align");
        File.WriteAllBytes(Path.Combine(frames, "a.jpg"), SampleMeter.Moved(9, -6, 2.5));
        File.WriteAllBytes(Path.Combine(frames, "b.jpg"), SampleMeter.Covered(SampleMeter.Layout.Marks[0]));
        var value = long.Parse(Core.Synthesis.MeterFace.SampleValues[0]);
        await using var app = await DeviceApp.StartAsync([.. Quiet, "--EdgeDigits:Meter:Camera:Kind=Replay", $"--EdgeDigits:Meter:Camera:ReplayDir={frames}",
            $"--EdgeDigits:Sorter:Camera:ReplayDir={TestFrames.Folder("1")}", "--EdgeDigits:Meter:Burst=1", .. SampleMeterArgs().SelectMany(a => a.Split(' '))]);
        await NextReadingAsync(app, "meter", 0, TimeSpan.FromSeconds(30));
        var meter = app.Service<IMeterControl>();

        var outcome = await meter.CaptureNowAsync(CancellationToken.None);
        Assert.StartsWith("refused: frame not aligned: reference mark 1 not found: score ", outcome);
        Assert.EndsWith($"; keeping {value}", outcome);
        var health = await app.Client.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.StartsWith("reading refused: frame not aligned: reference mark 1 not found: score ", health.GetProperty("errors").GetProperty("meter").GetString());
        Assert.Equal(value, health.GetProperty("meter").GetProperty("lastValue").GetInt64());
        Assert.Equal("degraded", health.GetProperty("status").GetString());

        // The replay goes round: the moved frame aligns again, is read, and the refusal is cleared.
        Assert.StartsWith($"value {value}", await meter.CaptureNowAsync(CancellationToken.None));
        health = await app.Client.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.False(health.GetProperty("errors").TryGetProperty("meter", out _));
    }

    [Fact]
    public async Task Meter_SimulatorMeterProfile_LcdShowsTheValueAndKeepsItWhenAFrameIsRefused()
    {
        // a.jpg: the meter after the camera moved; b.jpg: the same meter with reference mark 1 covered.
        var frames = RepoPaths.NewTempDir("meter-lcd");
        File.WriteAllBytes(Path.Combine(frames, "a.jpg"), SampleMeter.Moved(9, -6, 2.5));
        File.WriteAllBytes(Path.Combine(frames, "b.jpg"), SampleMeter.Covered(SampleMeter.Layout.Marks[0]));
        await using var app = await DeviceApp.StartAsync(["--profile", "SimulatorMeter", .. Quiet, "--EdgeDigits:Meter:Camera:Kind=Replay",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", "--EdgeDigits:Meter:Burst=1", .. SampleMeterArgs().SelectMany(a => a.Split(' '))]);
        var first = await NextReadingAsync(app, "meter", 0, TimeSpan.FromSeconds(30));
        var board = app.Service<ModeRunner>().Board!;
        var lcd = board.Part<Ili9341Emulator>()!;
        var display = board.Part<Display.Ili9341MeterDisplay>()!;
        Assert.Equal("ok", first.Status);
        Assert.NotNull(first.Tenth);
        // The hub hands a reading to the status displays right after it is stored: wait for the LCD to have drawn it.
        Assert.True(await Eventually.UntilAsync(() => display.ShownReading?.Id == first.Id, TimeSpan.FromSeconds(10)), "the LCD shows the first reading");
        // The value read from the real windows, with its tenth after the point, as every display shows it.
        MeterLcdTests.AssertValueBand(lcd, Display.ShownDigits.Of(first));
        MeterLcdTests.AssertText(lcd, "water m3", 4, 4, 2, Display.Ili9341MeterDisplay.TextColor);
        MeterLcdTests.AssertStatus(lcd, $"OK {MeterLcdTests.Clock(first.Time)}", Display.Ili9341MeterDisplay.OkColor);
        var version = (await app.Client.GetFromJsonAsync<JsonElement>("/api/lcd/version")).GetProperty("version").GetInt64();
        Assert.True(version > 0, "the page's LCD mirror follows the meter display's updates");

        var outcome = await app.Service<IMeterControl>().CaptureNowAsync(CancellationToken.None);
        Assert.StartsWith("refused: frame not aligned: reference mark 1 not found", outcome);
        var refused = app.Service<ReadingHub>().Last!;
        MeterLcdTests.AssertValueBand(lcd, Display.ShownDigits.Of(first));
        MeterLcdTests.AssertStatus(lcd, $"REFUSED {MeterLcdTests.Clock(refused.Time)}", Display.Ili9341MeterDisplay.UncertainColor, "frame not aligned: reference mark 1 not found");
        Assert.True((await app.Client.GetFromJsonAsync<JsonElement>("/api/lcd/version")).GetProperty("version").GetInt64() > version);
        // The page's mirror is the emulated panel: its PNG has the refused status in red.
        using var png = SkiaSharp.SKBitmap.Decode(await app.Client.GetByteArrayAsync("/api/lcd.png"));
        Assert.Equal(lcd.GetPixel(160, 80).ToColor(), png.GetPixel(160, 80));
        Assert.Equal(Hardware.Ili934x.Rgb565.FromColor(Display.Ili9341MeterDisplay.UncertainColor),
            Hardware.Ili934x.Rgb565.FromColor(Enumerable.Range(4, 40).Select(x => png.GetPixel(x, MeterLcdTests.StatusY + 2)).First(c => c != SkiaSharp.SKColors.Black)));
    }

    [Fact]
    public async Task Meter_MjpegCameraProcess_FramesReadFromStream()
    {
        var frames = TestFrames.Folder("407");
        var png = Path.Combine(frames, "frame000.png");
        // ffmpeg stands in for rpicam-vid: an MJPEG stream on stdout, read by the hardware layer's process source.
        var command = $"ffmpeg -loglevel error -re -loop 1 -i {png} -r 10 -q:v 2 -f mjpeg -";
        await using var app = await DeviceApp.StartAsync([.. Quiet, "--EdgeDigits:Meter:Camera:Kind=Mjpeg", $"--EdgeDigits:Meter:Camera:Command={command}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}"]);
        var meter = app.Service<IMeterControl>();
        Assert.StartsWith("value 407", await meter.CaptureNowAsync(CancellationToken.None));
        var r = app.Service<ReadingHub>().Recent(5).First(x => x.Mode == "meter");
        Assert.Contains("#", r.Source);
    }

    [Fact]
    public async Task Sorter_TriggerEdges_RightGatePulsedAndRejectOnBadRead()
    {
        var frames = TestFrames.Folder("123", "", "25");
        await using var app = await DeviceApp.StartAsync([.. Quiet, $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}", "--EdgeDigits:Sorter:PulseMs=100", "--EdgeDigits:Sorter:MinConfidence=0.5"]);
        var modes = app.Service<ModeRunner>();
        var gpio = modes.Board!.SimGpio!;
        var sim = app.Service<ISimulatorInputs>();
        var hub = app.Service<ReadingHub>();
        var expected = new[] { (Gate: 12, Text: "123"), (Gate: 26, Text: ""), (Gate: 13, Text: "25") };
        // Let start-up settle (the meter's first capture warms the model up) before parcels arrive.
        await NextReadingAsync(app, "meter", 0, TimeSpan.FromSeconds(10));
        foreach (var (gate, text) in expected)
        {
            // The previous parcel has left the beam (line released, debounced) before the next one breaks it;
            // on a loaded machine the simulated release can come late.
            var trigger = modes.Board.Trigger!;
            await Eventually.UntilAsync(() => !trigger.IsActive && gpio.GetLevel(trigger.Pin) == PinValue.High, TimeSpan.FromSeconds(3), pollMs: 10);
            await Task.Delay(trigger.Debounce * 2);
            var before = hub.Total;
            sim.FireTrigger();
            DeviceReading r;
            try { r = await NextReadingAsync(app, "sorter", before, TimeSpan.FromSeconds(10)); }
            catch (TimeoutException) { throw new TimeoutException($"no sorter reading for '{text}': raw edges {modes.Board.Trigger!.RawEdges}, glitches {modes.Board.Trigger.RejectedGlitches}, latencies {modes.Mode<SorterMode>()!.Pipeline!.Latency.Count}, errors {modes.Mode<SorterMode>()!.Pipeline!.Errors}, dropped {modes.Mode<SorterMode>()!.Pipeline!.Dropped}"); }
            Assert.Equal(text, r.Text);
            // Wait for the pulse to end (it runs on the gate's own thread), then check its width: 100 ms, with
            // room for a loaded machine's scheduling.
            List<(PinValue Value, TimeSpan Time)> t = [];
            await Eventually.UntilAsync(() =>
            {
                t = gpio.TransitionsOf(gate).Where(x => x.ByHost).Select(x => (x.Value, x.Time)).ToList();
                return t.Count >= 2 && t[^2].Value == PinValue.High && t[^1].Value == PinValue.Low;
            }, TimeSpan.FromSeconds(3));
            Assert.True(t.Count >= 2, $"GPIO{gate} not pulsed ({r.Outcome})");
            var width = (t[^1].Time - t[^2].Time).TotalMilliseconds;
            Assert.InRange(width, 90, 300);
        }
        foreach (var other in new[] { 16 }) Assert.DoesNotContain(gpio.TransitionsOf(other), x => x.Value == System.Device.Gpio.PinValue.High);
        Assert.Equal(3, modes.Mode<SorterMode>()!.Pipeline!.Latency.Count);
        var health = await app.Client.GetFromJsonAsync<JsonElement>("/api/health");
        var sorter = health.GetProperty("sorter");
        Assert.Equal(1, sorter.GetProperty("gates").GetProperty("reject").GetInt64());
        Assert.Equal(1, sorter.GetProperty("gates").GetProperty("A").GetInt64());
        Assert.True(sorter.GetProperty("latencyP99Ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Api_HealthReadCorrectAndModelSwap_BehaveAsDocumented()
    {
        var frames = TestFrames.Folder("56");
        await using var app = await DeviceApp.StartAsync([.. Quiet, $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}"]);
        var c = app.Client;
        var health = await c.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(DeviceApp.ModelPath, health.GetProperty("model").GetProperty("path").GetString());
        Assert.True(health.GetProperty("uptimeSeconds").GetDouble() >= 0);

        var read = await c.PostAsync("/api/read", new ByteArrayContent(TestFrames.Png("56")));
        read.EnsureSuccessStatusCode();
        var reading = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("56", reading.GetProperty("text").GetString());
        var id = reading.GetProperty("id").GetInt64();
        health = await c.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal(id, health.GetProperty("lastReading").GetProperty("id").GetInt64());

        // A correction saves one 28x28 crop per digit under DIR/<label>/.
        var corr = await c.PostAsJsonAsync("/api/correct", new { id, label = "58" });
        Assert.Equal(HttpStatusCode.OK, corr.StatusCode);
        var five = Directory.GetFiles(Path.Combine(app.DataDir, "corrections", "5"), "*.png");
        var eight = Directory.GetFiles(Path.Combine(app.DataDir, "corrections", "8"), "*.png");
        Assert.Single(five);
        Assert.Single(eight);
        Assert.Equal(784, CropImages.LoadGray28(eight[0])!.Length);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await c.PostAsJsonAsync("/api/correct", new { id, label = "5" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.PostAsJsonAsync("/api/correct", new { id, label = "5x" })).StatusCode);

        // A corrupt model is refused with 422 and the running one stays.
        var dir = RepoPaths.NewTempDir();
        var corrupt = Path.Combine(dir, "broken.onnx");
        File.WriteAllBytes(corrupt, Encoding.ASCII.GetBytes("this is not an onnx file"));
        var bad = await c.PostAsJsonAsync("/api/model/activate", new { path = corrupt });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var badBody = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("failed to load", badBody.GetProperty("error").GetString());
        Assert.Equal(DeviceApp.ModelPath, badBody.GetProperty("active").GetString());
        var again = await c.PostAsync("/api/read", new ByteArrayContent(TestFrames.Png("56")));
        Assert.Equal("56", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());

        // A good model (a copy) passes the self-test and is swapped in without restart.
        var copy = Path.Combine(dir, "copy.onnx");
        File.Copy(DeviceApp.ModelPath, copy);
        var meta = Core.Models.ModelMetadata.PathFor(DeviceApp.ModelPath);
        if (File.Exists(meta)) File.Copy(meta, Path.Combine(dir, "copy.json"));
        var ok = await c.PostAsJsonAsync("/api/model/activate", new { path = copy });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        health = await c.GetFromJsonAsync<JsonElement>("/api/health");
        Assert.Equal(copy, health.GetProperty("model").GetProperty("path").GetString());

        // Malformed requests are 4xx and the app keeps serving.
        Assert.Equal(HttpStatusCode.BadRequest, (await c.PostAsync("/api/model/activate", new StringContent("{not json", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.PostAsJsonAsync("/api/model/activate", new { model = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.PostAsJsonAsync("/api/model/activate", new { path = "/no/such.onnx" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.PostAsync("/api/read", new ByteArrayContent([1, 2, 3, 4]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.PostAsync("/api/sim/ink", new StringContent("{\"strokes\":[[[1,2,3],[\"x\"]]]}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/api/nothing")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/health")).StatusCode);
        var png = await c.GetByteArrayAsync("/api/lcd.png");
        Assert.Equal(0x89, png[0]);
    }

    [Fact]
    public async Task ModelFile_ReplacedByCorruptFile_OldModelKeepsRunningAndHealthSaysWhy()
    {
        var frames = TestFrames.Folder("56");
        var dir = RepoPaths.NewTempDir("model");
        var model = Path.Combine(dir, "digits.onnx");
        File.Copy(DeviceApp.ModelPath, model);
        var meta = Core.Models.ModelMetadata.PathFor(DeviceApp.ModelPath);
        if (File.Exists(meta)) File.Copy(meta, Path.Combine(dir, "digits.json"));
        await using var app = await DeviceApp.StartAsync([.. Quiet, $"--EdgeDigits:Model:Path={model}", $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}"]);
        File.WriteAllText(model, "garbage, not a model");
        var error = await app.WaitForAsync(async () =>
        {
            var h = await app.Client.GetFromJsonAsync<JsonElement>("/api/health");
            return h.GetProperty("status").GetString() == "degraded" && h.GetProperty("errors").TryGetProperty("model", out var m) ? m.GetString() : null;
        }, TimeSpan.FromSeconds(15), "health to report the corrupt model");
        Assert.Contains("failed to load", error);
        var read = await app.Client.PostAsync("/api/read", new ByteArrayContent(TestFrames.Png("56")));
        Assert.Equal("56", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Api_BoundBeyondLoopbackWithToken_RequestsWithoutTokenGet401()
    {
        var frames = TestFrames.Folder("1");
        var port = MosquittoBroker.FreePort();
        await using var app = await DeviceApp.StartAsync([.. Quiet, $"--EdgeDigits:Http:Url=http://0.0.0.0:{port}", "--EdgeDigits:Http:Token=test-token-123456",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.GetAsync("/api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.GetAsync("/api/health?token=wrong-token-123456")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/api/health?token=test-token-123456")).StatusCode);
        using var req = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        req.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test-token-123456");
        Assert.Equal(HttpStatusCode.OK, (await app.Client.SendAsync(req)).StatusCode);
    }
}
