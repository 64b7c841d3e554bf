using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Cli;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Modes;
using SkiaSharp;

namespace EdgeDigits.Device.Cli;

/// <summary>
/// <c>EdgeDigits.Device bench --meter-sequence DIR [--model M] [--burst N] [--max-rate-per-hour R] [--no-settle] [--publish-tenth [--tenth-jitter N]] [--out DIR]</c>: replays a sequence of meter frames
/// (DIR: the frames, <c>meter.json</c>, <c>truth.csv</c> with <c>file,value[,position]</c>; <c>edgedigits samples --meter-sequence</c>
/// writes one) through meter mode's own reader and plausibility check — alignment, windows, gear model, burst, last-value
/// fallback, rate and decrease rules — one reading per frame a minute apart, and reports the share of published values
/// that are right, every value that went down, and the time per frame on one core. With <c>--publish-tenth</c>
/// (<see cref="MeterOptions.PublishTenth"/>) the published values carry the lowest wheel's tenth, scored against truth.csv's
/// position (the tenths of the windows' own labels) as well. <c>--out</c> gets <c>meter-sequence.png</c>: frames with the true
/// and the published value under each.
/// </summary>
public static class MeterSequenceBench
{
    /// <summary>Target share of published (accepted) values that equal the meter's true value.</summary>
    public const double TargetRight = 0.995;

    /// <summary>Target time per frame (alignment, windows, gear model, plausibility; the JPEG decode apart) on one core, ms (p50).</summary>
    public const double TargetMsPerFrame = 5;

    /// <summary>Time between two frames of the replay (the meter interval), for the rate rule.</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMinutes(1);

    /// <summary>A wrong value closer than this (in counter units) to the true position (truth.csv's third column) is counted as a near miss.</summary>
    public const decimal NearMissUnits = 0.5m;

    /// <summary>With <c>--publish-tenth</c>: a published value this close to the true position is counted as within one tenth.</summary>
    public const decimal OneTenth = 0.1m;

    /// <summary>Frames shown in the picture.</summary>
    public const int PictureFrames = 12;

    /// <summary>Runs the replay; 0 when every target is met, 1 when one is missed, <see cref="ExitCodes.BadInput"/> for a bad sequence.</summary>
    /// <remarks>
    /// <paramref name="maxRatePerHour"/> is <see cref="MeterOptions.MaxRatePerHour"/> as a user sets it for the meter (0 = no limit).
    /// <paramref name="settle"/> false (<c>--no-settle</c>) turns off the lowest wheel's wait for the next frame
    /// (<see cref="Core.Meters.LowestWheelFloor.Settle"/> 0), for the figure without settling. <paramref name="publishTenth"/>
    /// (<c>--publish-tenth</c>) publishes the tenth (<see cref="MeterOptions.PublishTenth"/>); truth.csv must then give the positions.
    /// <paramref name="tenthJitter"/> (<c>--tenth-jitter</c>) is <see cref="MeterOptions.TenthJitter"/> (null: its default).
    /// </remarks>
    public static int Run(string dir, string? model, int burst, double maxRatePerHour, string? outDir, TextWriter stdout, TextWriter stderr, bool settle = true, bool publishTenth = false,
        int? tenthJitter = null)
    {
        List<(string File, string Value, decimal? Position)> truth;
        MeterOptions options;
        try
        {
            truth = ReadTruth(dir);
            if (publishTenth && truth.Any(t => t.Position is null))
                throw new InvalidDataException($"{Path.Combine(dir, "truth.csv")}: --publish-tenth is scored to the tenth, so every line needs its position (file,value,position)");
            options = new MeterOptions
            {
                Layout = Path.Combine(dir, "meter.json"), Burst = burst, MaxRatePerHour = maxRatePerHour, WindowModel = model ?? "models/meter-int8.onnx", PublishTenth = publishTenth,
            };
            if (tenthJitter is { } jitter) options.TenthJitter = jitter;
            options.ApplyLayout(p => p);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"bench: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }
        var paths = new PathResolver();
        WindowMeterReader reader;
        try
        {
            reader = new WindowMeterReader(paths.Resolve(options.WindowModel), options.Windows, burst, options.Alignment.OpenAligner(options.Windows, paths.Resolve),
                settle ? null : new Core.Meters.LowestWheelFloor { Settle = 0 });
        }
        catch (Exception e) when (e is ModelLoadException or ImageFormatException or ArgumentException)
        {
            stderr.WriteLine($"bench: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }
        using var _ = reader;
        var plausibility = new MeterPlausibility(options, reader.DigitConfidenceThreshold);
        var start = DateTimeOffset.UnixEpoch;
        var results = new List<(string File, string Truth, string Read, decimal? Published, string Status)>();
        List<double> times = [], withoutDecode = [];
        // A burst is the frame and its burst captures (frame-0000-1.jpg, …; samples --meter-sequence --burst N writes them) or,
        // when the sequence has none, the frame read that many times.
        var frameBytes = new List<byte[]>();
        var captured = burst > 1 && File.Exists(Path.Combine(dir, Core.Meters.MeterSequenceFiles.BurstFrameName(truth[0].File, 1)));
        for (int i = 0; i < truth.Count; i++)
        {
            var (file, value, _) = truth[i];
            byte[] bytes;
            frameBytes.Clear();
            try
            {
                bytes = File.ReadAllBytes(Path.Combine(dir, file));
                for (int b = 0; b < burst; b++) frameBytes.Add(b == 0 || !captured ? bytes : File.ReadAllBytes(Path.Combine(dir, Core.Meters.MeterSequenceFiles.BurstFrameName(file, b))));
            }
            catch (IOException e) { stderr.WriteLine($"bench: {e.Message}"); return ExitCodes.BadInput; }
            // The JPEG decode is timed on its own too, so that the figure the target speaks of (alignment, windows, plausibility) can be told apart.
            var d0 = Stopwatch.GetTimestamp();
            try { GrayImageCodec.Decode(bytes, file); } catch (ImageFormatException) { }
            var decodeMs = Stopwatch.GetElapsedTime(d0).TotalMilliseconds * burst;
            var t0 = Stopwatch.GetTimestamp();
            string read, status;
            decimal? published;
            try
            {
                var reading = reader.Read(frameBytes);
                var decision = plausibility.Check(reading, start + i * FrameInterval);
                (read, published, status) = (reading.Text, decision.Accepted ? decision.Value : null, decision.Status);
            }
            catch (Exception e) when (e is FrameRefusedException or ImageFormatException or ArgumentException)
            {
                (read, published, status) = ("", null, "refused");
            }
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            times.Add(ms);
            withoutDecode.Add(Math.Max(0, ms - decodeMs));
            results.Add((file, value, read, published, status));
        }

        var accepted = results.Where(r => r.Published is not null).ToList();
        // What the meter counts (the whole number): with the tenth published, its whole part.
        var wrong = accepted.Where(r => decimal.Floor(r.Published!.Value) != long.Parse(r.Truth, CultureInfo.InvariantCulture)).ToList();
        var positions = truth.ToDictionary(t => t.File, t => t.Position);
        var wrongTenth = publishTenth ? accepted.Where(r => r.Published != positions[r.File]).ToList() : null;
        var decreases = new JsonArray();
        decimal? last = null;
        foreach (var r in accepted)
        {
            if (last is { } l && r.Published < l) decreases.Add((JsonNode)new JsonObject { ["file"] = r.File, ["from"] = l, ["to"] = r.Published });
            last = r.Published;
        }
        // How far a wrong value is from where the counter really was: the lowest wheel at x.8 published as x+1 is a tenth or two off.
        int nearMisses = wrong.Count(r => positions[r.File] is { } exact && Math.Abs(r.Published!.Value - exact) < NearMissUnits);
        var right = accepted.Count == 0 ? 0 : 1 - (double)wrong.Count / accepted.Count;
        // How long the published value stood still while the meter read nothing new (rejected, refused or waiting to settle).
        int longestWait = 0, wait = 0;
        foreach (var r in results) longestWait = Math.Max(longestWait, wait = r.Published is null ? wait + 1 : 0);
        static double P(List<double> samples, double q) => LatencyStats.NearestRank(samples, q * 100);
        var p50 = P(withoutDecode, 0.5);
        bool met = right >= TargetRight && decreases.Count == 0 && p50 <= TargetMsPerFrame && accepted.Count > 0;
        var report = new JsonObject
        {
            ["sequence"] = Path.GetFullPath(dir),
            ["model"] = paths.Resolve(options.WindowModel),
            ["burst"] = burst,
            ["burstFrames"] = burst == 1 ? "none" : captured ? "captured" : "repeated",
            ["settle"] = settle,
            ["publishTenth"] = publishTenth,
            ["tenthJitter"] = publishTenth ? options.TenthJitter : null,
            ["maxRatePerHour"] = maxRatePerHour,
            ["frames"] = results.Count,
            ["published"] = accepted.Count,
            ["rejected"] = results.Count(r => r.Status == "rejected"),
            ["refused"] = results.Count(r => r.Status == "refused"),
            ["longestRunUnpublished"] = longestWait,
            ["publishedRight"] = Math.Round(right, 5),
            ["publishedWrongCount"] = wrong.Count,
            ["publishedWrongWithinNearMiss"] = nearMisses,
            ["publishedWrong"] = new JsonArray([.. wrong.Take(20).Select(r => (JsonNode)new JsonObject { ["file"] = r.File, ["truth"] = r.Truth, ["published"] = r.Published })]),
            // With the tenth published: right to the tenth, within one tenth, and the first values that were not right to the tenth.
            ["publishedRightToTenth"] = wrongTenth is null ? null : Math.Round(accepted.Count == 0 ? 0 : 1 - (double)wrongTenth.Count / accepted.Count, 5),
            ["publishedRightToTenthCount"] = wrongTenth is null ? null : accepted.Count - wrongTenth.Count,
            ["publishedWithinOneTenth"] = wrongTenth is null ? null : accepted.Count(r => Math.Abs(r.Published!.Value - positions[r.File]!.Value) <= OneTenth),
            // How many tenths the published values are off (published − true position, in tenths), as "-1": count, "1": count, ….
            ["publishedTenthsOff"] = wrongTenth is null ? null : new JsonObject(wrongTenth
                .GroupBy(r => (long)((r.Published!.Value - positions[r.File]!.Value) * 10)).OrderBy(g => g.Key)
                .Select(g => KeyValuePair.Create(g.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)g.Count()))),
            ["publishedWrongToTenth"] = wrongTenth is null ? null
                : new JsonArray([.. wrongTenth.Take(20).Select(r => (JsonNode)new JsonObject { ["file"] = r.File, ["position"] = positions[r.File], ["published"] = r.Published })]),
            ["decreasesWithoutRollover"] = decreases,
            ["msPerFrame"] = new JsonObject
            {
                ["p50"] = Math.Round(p50, 2), ["p99"] = Math.Round(P(withoutDecode, 0.99), 2), ["threads"] = 1,
                ["includes"] = "alignment, windows, gear model, plausibility (the JPEG decode, timed apart, taken off)",
                ["withDecodeP50"] = Math.Round(P(times, 0.5), 2), ["withDecodeP99"] = Math.Round(P(times, 0.99), 2),
            },
            ["targets"] = new JsonObject { ["publishedRight"] = TargetRight, ["msPerFrame"] = TargetMsPerFrame, ["met"] = met },
        };
        stdout.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            var picture = Path.Combine(outDir, "meter-sequence.png");
            Picture(dir, options, results, publishTenth ? positions : null, picture);
            stderr.WriteLine($"bench: {picture}");
        }
        return met ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>Reads <c>truth.csv</c> (<c>file,value[,position]</c> with a header line).</summary>
    /// <exception cref="InvalidDataException">Missing, empty or a line that is not <c>file,digits[,number]</c> (naming the line).</exception>
    private static List<(string File, string Value, decimal? Position)> ReadTruth(string dir)
    {
        var path = Path.Combine(dir, "truth.csv");
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: not found (a sequence folder holds its frames, meter.json and truth.csv; edgedigits samples --meter-sequence writes one)");
        var lines = File.ReadAllLines(path);
        var rows = new List<(string, string, decimal?)>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var parts = lines[i].Split(',');
            decimal position = 0;
            if (parts.Length is not (2 or 3) || parts[1].Length == 0 || !parts[1].All(char.IsAsciiDigit)
                || parts.Length == 3 && !decimal.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out position))
                throw new InvalidDataException($"{path}:{i + 1}: '{lines[i]}' is not file,value[,position] (the digits the meter shows, where it is to a tenth)");
            rows.Add((parts[0], parts[1], parts.Length == 3 ? position : null));
        }
        if (rows.Count == 0) throw new InvalidDataException($"{path}: no frames listed");
        return rows;
    }

    /// <summary>
    /// Frames (the window row and a margin) side by side in rows, the true value and the published one under each (red when
    /// wrong, grey when nothing was published): the first frames and then every frame that went wrong, up to <see cref="PictureFrames"/>.
    /// With <paramref name="tenths"/> (the true positions, when the tenth is published) a value is right when it is right to the tenth.
    /// </summary>
    private static void Picture(string dir, MeterOptions options, List<(string File, string Truth, string Read, decimal? Published, string Status)> results,
        Dictionary<string, decimal?>? tenths, string path)
    {
        decimal TrueValue((string File, string Truth, string Read, decimal? Published, string Status) r) =>
            tenths?[r.File] ?? long.Parse(r.Truth, CultureInfo.InvariantCulture);
        var picks = results.Take(PictureFrames / 2)
            .Concat(results.Where(r => r.Published is { } p && p != TrueValue(r)))
            .Concat(results.Skip(PictureFrames / 2)).Distinct().Take(PictureFrames).ToList();
        int left = options.Windows.Min(w => w.X) - 24, top = options.Windows.Min(w => w.Y) - 24;
        int cropW = options.Windows.Max(w => w.X + w.Width) + 24 - left, cropH = options.Windows.Max(w => w.Y + w.Height) + 24 - top;
        const int captionH = 44, columns = 2, pad = 8;
        int rows = (picks.Count + columns - 1) / columns;
        using var bitmap = new SKBitmap(columns * (cropW + pad) + pad, rows * (cropH + captionH + pad) + pad);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 15);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var red = new SKPaint { Color = SKColors.Red, IsAntialias = true };
        using var grey = new SKPaint { Color = SKColors.Gray, IsAntialias = true };
        for (int i = 0; i < picks.Count; i++)
        {
            var r = picks[i];
            int x = pad + i % columns * (cropW + pad), y = pad + i / columns * (cropH + captionH + pad);
            using (var frame = SKBitmap.Decode(Path.Combine(dir, r.File)))
                canvas.DrawBitmap(frame, new SKRect(left, top, left + cropW, top + cropH), new SKRect(x, y, x + cropW, y + cropH));
            var truthValue = TrueValue(r);
            canvas.DrawText($"{r.File}  true {(tenths is null ? r.Truth : truthValue.ToString(CultureInfo.InvariantCulture))}", x, y + cropH + 16, SKTextAlign.Left, font, ink);
            var (text, paint) = r.Published is { } p
                ? ($"published {p.ToString(CultureInfo.InvariantCulture)}", p == truthValue ? ink : red)
                : ($"{r.Status}: kept the last value (read '{r.Read}')", grey);
            canvas.DrawText(text, x, y + cropH + 36, SKTextAlign.Left, font, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
