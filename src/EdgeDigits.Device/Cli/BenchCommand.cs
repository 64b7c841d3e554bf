using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Cli;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeDigits.Device.Cli;

/// <summary>
/// <c>EdgeDigits.Device bench [--triggers N] [--readings N] [--inks N] [--model M] [--frames DIR] [--ink FILE]</c>: runs the
/// simulator profile in-process and prints JSON figures: start-up to first reading, trigger → gate latency p50/p99,
/// pen-up → number on the LCD, resident memory while making N readings. These are whole-device figures (the host, the
/// emulated buses, the modes), so this verb is the device's own; <c>edgedigits bench</c> measures recognition alone. Both
/// use the one set of <see cref="ExitCodes"/>.
/// </summary>
public static class BenchCommand
{
    private const string Usage = "bench [--triggers N] [--readings N] [--inks N] [--model M] [--frames DIR] [--ink FILE] | bench --meter-sequence DIR [--model M] [--burst N] [--max-rate-per-hour R] [--no-settle] [--publish-tenth [--tenth-jitter N]] [--out DIR]";

    /// <summary>Runs the benchmark (or, with <c>--meter-sequence</c>, <see cref="MeterSequenceBench"/>); returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var triggers = 500;
        var readings = 10_000;
        var inks = 20;
        var burst = 1;
        var maxRate = 0.0;
        var settle = true;
        var publishTenth = false;
        int? tenthJitter = null;
        string? model = null, frames = null, ink = null, meterSequence = null, outDir = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--triggers": triggers = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--readings": readings = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--inks": inks = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--model": model = Next(); break;
                    case "--frames": frames = Next(); break;
                    case "--ink": ink = Next(); break;
                    case "--meter-sequence": meterSequence = Next(); break;
                    case "--burst": burst = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--out": outDir = Next(); break;
                    case "--no-settle": settle = false; break;
                    case "--publish-tenth": publishTenth = true; break;
                    case "--tenth-jitter": tenthJitter = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--max-rate-per-hour": maxRate = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"unknown option '{args[i]}'");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
            {
                stderr.WriteLine($"bench: {ex.Message} (usage: {Usage})");
                return ExitCodes.Usage;
            }
        }
        if (meterSequence is not null)
        {
            if (frames is not null || ink is not null) { stderr.WriteLine($"bench: --meter-sequence replays its own frames; it takes no --frames or --ink (usage: {Usage})"); return ExitCodes.Usage; }
            if (burst is < 1 or > 10) { stderr.WriteLine($"bench: --burst {burst} must be 1..10"); return ExitCodes.Usage; }
            if (!Directory.Exists(meterSequence)) { stderr.WriteLine($"bench: --meter-sequence '{meterSequence}' is not a folder"); return ExitCodes.BadInput; }
            if (!(maxRate >= 0)) { stderr.WriteLine($"bench: --max-rate-per-hour {maxRate} must be ≥ 0 (0 = no limit)"); return ExitCodes.Usage; }
            if (tenthJitter is not null && !publishTenth) { stderr.WriteLine($"bench: --tenth-jitter is for --publish-tenth (usage: {Usage})"); return ExitCodes.Usage; }
            if (tenthJitter is < 0 or > 9) { stderr.WriteLine($"bench: --tenth-jitter {tenthJitter} must be 0..9 tenths"); return ExitCodes.Usage; }
            return MeterSequenceBench.Run(meterSequence, model, burst, maxRate, outDir, stdout, stderr, settle, publishTenth, tenthJitter);
        }
        if (!settle) { stderr.WriteLine($"bench: --no-settle is for --meter-sequence (usage: {Usage})"); return ExitCodes.Usage; }
        if (publishTenth) { stderr.WriteLine($"bench: --publish-tenth is for --meter-sequence (usage: {Usage})"); return ExitCodes.Usage; }
        if (frames is null || !Directory.Exists(frames)) { stderr.WriteLine($"bench: --frames DIR with camera images is required (got '{frames}')"); return ExitCodes.Usage; }
        if (ink is not null && !File.Exists(ink)) { stderr.WriteLine($"bench: ink file '{ink}' not found"); return ExitCodes.Usage; }
        return RunAsync(triggers, readings, inks, model, frames, ink, stdout, stderr).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(int triggers, int readings, int inks, string? model, string frames, string? inkFile, TextWriter stdout, TextWriter stderr)
    {
        var t0 = Stopwatch.GetTimestamp();
        var data = Path.Combine(Path.GetTempPath(), "edgedigits-bench-" + Environment.ProcessId);
        var argv = new List<string>
        {
            "--profile", "Simulator", "--EdgeDigits:Http:Url=http://127.0.0.1:0", "--EdgeDigits:Simulator:PrintReadings=false",
            // Files, not the ffmpeg stream: the figures are about recognition and GPIO, not the frame rate of a stand-in camera.
            "--EdgeDigits:Meter:Camera:Kind=Replay", $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}",
            "--EdgeDigits:Meter:Layout=", "--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Sorter:PulseMs=5", "--EdgeDigits:Kiosk:PenUpMs=700",
            $"--EdgeDigits:CorrectionsDir={data}", "--Logging:LogLevel:Default=Warning",
        };
        if (model is not null) argv.Add($"--EdgeDigits:Model:Path={model}");
        WebApplication app;
        try { app = DeviceHost.Build(argv.ToArray()); }
        catch (DeviceHost.ConfigException ex) { stderr.WriteLine("bench: " + ex.Message); return ExitCodes.Usage; }
        await app.StartAsync();
        var hub = app.Services.GetRequiredService<ReadingHub>();
        var modes = app.Services.GetRequiredService<ModeRunner>();
        while (hub.Total == 0) await Task.Delay(1);
        var startupMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        stderr.WriteLine($"bench: first reading after {startupMs:0} ms");

        // Trigger → gate: real edges on the emulated GPIO, debounced by the real TriggerInput, gates pulsed by the real Gate driver.
        var sim = app.Services.GetRequiredService<ISimulatorInputs>();
        var sorter = modes.Mode<SorterMode>()!.Pipeline!;
        var trigger = modes.Board!.Trigger!;
        for (var i = 0; i < triggers; i++)
        {
            // Each simulated parcel holds the beam for 100 ms; the next arrives after the beam is clear again.
            sim.FireTrigger();
            await Task.Delay(160);
            if (i % 100 == 99) stderr.WriteLine($"bench: {i + 1}/{triggers} triggers");
        }
        var waitUntil = DateTime.UtcNow.AddSeconds(10);
        while (sorter.Latency.Count + sorter.Dropped < triggers - trigger.RejectedGlitches && DateTime.UtcNow < waitUntil) await Task.Delay(10);

        // Pen-up → LCD: an ink played through the emulated XPT2046, the kiosk's pause, recognition, the 7-segment draw over SPI.
        var inkJson = inkFile is not null ? await File.ReadAllTextAsync(inkFile) :
            "{\"width\":320,\"height\":240,\"strokes\":[[" + string.Join(",", Enumerable.Range(0, 25).Select(i => $"[160,{60 + i * 5},{i * 12}]")) + "]]}";
        var penUp = new List<double>();
        var compute = new List<double>();
        for (var i = 0; i < inks; i++)
        {
            var before = hub.Total;
            await sim.PlayInkAsync(inkJson, CancellationToken.None);
            while (hub.Total == before) await Task.Delay(2);
            var kiosk = modes.Mode<KioskMode>()!.Controller!;
            penUp.Add(kiosk.LastPenUpToLcdMs);
            compute.Add(kiosk.LastComputeMs);
        }

        // Memory: N readings through the meter path (capture, decode, read, plausibility, hub).
        var meter = app.Services.GetRequiredService<IMeterControl>();
        var rss = new JsonArray();
        var sw = Stopwatch.StartNew();
        for (var i = 1; i <= readings; i++)
        {
            await meter.CaptureNowAsync(CancellationToken.None);
            if (i % Math.Max(1, readings / 10) == 0)
            {
                var mb = Process.GetCurrentProcess().WorkingSet64 / 1048576.0;
                rss.Add((JsonNode)new JsonObject { ["readings"] = i, ["rssMb"] = Math.Round(mb, 1) });
                stderr.WriteLine($"bench: {i}/{readings} readings, RSS {mb:0.0} MB");
            }
        }
        var perReading = sw.Elapsed.TotalMilliseconds / Math.Max(1, readings);
        await app.StopAsync();
        await app.DisposeAsync();

        static double P(List<double> v, double p) => LatencyStats.NearestRank(v, p);
        static JsonNode? N(double v, int digits) => double.IsFinite(v) ? Math.Round(v, digits) : null;
        var report = new JsonObject
        {
            ["startupToFirstReadingMs"] = Math.Round(startupMs, 1),
            ["triggerToGate"] = new JsonObject
            {
                ["triggers"] = triggers, ["count"] = sorter.Latency.Count, ["dropped"] = sorter.Dropped, ["glitches"] = trigger.RejectedGlitches,
                ["p50Ms"] = N(sorter.Latency.Percentile(50), 2), ["p99Ms"] = N(sorter.Latency.Percentile(99), 2), ["maxMs"] = N(sorter.Latency.Percentile(100), 2),
            },
            ["penUpToLcd"] = new JsonObject
            {
                ["count"] = penUp.Count, ["pauseMs"] = 700, ["p50Ms"] = N(P(penUp, 50), 1), ["p99Ms"] = N(P(penUp, 99), 1),
                ["computeP50Ms"] = N(P(compute, 50), 2), ["computeP99Ms"] = N(P(compute, 99), 2),
            },
            ["memory"] = new JsonObject { ["readings"] = readings, ["msPerReading"] = Math.Round(perReading, 2), ["rss"] = rss },
        };
        stdout.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return ExitCodes.Success;
    }
}
