using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Synthesis;

namespace EdgeDigits.Core.Recognition;

/// <summary>Latency and allocation figures of one path.</summary>
/// <param name="Text">What the path read (shows the benchmark read something real).</param>
/// <param name="P50Ms">Median latency in milliseconds.</param>
/// <param name="P99Ms">99th percentile latency in milliseconds.</param>
/// <param name="AllocatedBytesPerRead">Managed bytes allocated per read after warm-up.</param>
/// <param name="Iterations">Timed iterations.</param>
public readonly record struct PathFigures(string Text, double P50Ms, double P99Ms, double AllocatedBytesPerRead, int Iterations);

/// <summary>
/// The work behind <c>edgedigits bench</c>: one ink → reading and one 640x480 frame with 6 digits →
/// reading on one ONNX Runtime thread, with warm-up, reporting p50/p99 latency and allocated bytes.
/// The inputs are drawn with <see cref="StrokeFont"/>, so the benchmark needs no data set.
/// </summary>
public static class RecognitionBenchmark
{
    /// <summary>Target for ink → reading, in ms (issue 3).</summary>
    public const double InkTargetMs = 1.0;

    /// <summary>Target for a 640x480 frame with 6 digits → reading, in ms (issue 3).</summary>
    public const double FrameTargetMs = 5.0;

    /// <summary>Text written in the benchmark inputs.</summary>
    public const string FrameText = "204817";

    /// <summary>The 640x480 benchmark frame: <see cref="FrameText"/> in pen strokes on uneven paper with sensor noise.</summary>
    public static GrayImage CreateFrame()
    {
        var ink = StrokeFont.Write(FrameText, 90, 40, 190, 640, 480);
        var strokes = new InkRasterizer().RasterizePanel(ink, 9);
        var rng = new Random(42);
        var frame = new GrayImage(640, 480);
        for (int y = 0; y < 480; y++)
        {
            var src = strokes.Row(y);
            var dst = frame.Row(y);
            for (int x = 0; x < 640; x++)
            {
                double paper = 225 - 40.0 * x / 640 - 15.0 * y / 480;
                double v = paper - src[x] / 255.0 * (paper - 35) + DigitComposer.Gaussian(rng) * 4;
                dst[x] = (byte)Math.Clamp(v, 0, 255);
            }
        }
        return frame;
    }

    /// <summary>The benchmark ink: "2024" on a 320x240 panel.</summary>
    public static Ink CreateInk() => StrokeFont.Write("2024", 70, 15, 60, 320, 240);

    /// <summary>Runs both paths with <paramref name="iterations"/> timed reads each (after warm-up).</summary>
    public static (PathFigures Ink, PathFigures Frame, double ClassifyAllocatedBytes) Run(DigitClassifier classifier, int iterations = 300, int warmup = 50)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), "iterations must be at least 1");
        var reader = new NumberReader(classifier);
        var result = new Reading();
        var ink = CreateInk();
        var frame = CreateFrame();
        var inkFigures = Measure(() => reader.ReadInto(ink, result), result, iterations, warmup);
        var (frameFigures, classifyBytes) = MeasureFrame(classifier, reader, frame, result, iterations, warmup);
        return (inkFigures, frameFigures, classifyBytes);
    }

    /// <summary>The ink path with the ink sequence model <paramref name="sequence"/> read beside <paramref name="classifier"/> (what the kiosk does).</summary>
    public static PathFigures RunInk(DigitClassifier classifier, DigitClassifier sequence, int iterations = 300, int warmup = 50)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(sequence);
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), "iterations must be at least 1");
        var reader = new NumberReader(classifier, null, sequence);
        var result = new Reading();
        var ink = CreateInk();
        return Measure(() => reader.ReadInto(ink, result), result, iterations, warmup);
    }

    private static (PathFigures Frame, double ClassifyBytes) MeasureFrame(DigitClassifier classifier, NumberReader reader, GrayImage frame, Reading result, int iterations, int warmup)
    {
        var frameFigures = Measure(() => reader.ReadInto(frame, result), result, iterations, warmup);

        // The classify step alone: six crops of the frame, batched.
        reader.ReadInto(frame, result);
        int n = reader.CropCount;
        void Classify()
        {
            for (int i = 0; i < n; i++) classifier.SetInput(i, reader.Crop(i));
            classifier.Run(n);
        }
        for (int i = 0; i < warmup; i++) Classify();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++) Classify();
        double classifyBytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)iterations;
        return (frameFigures, classifyBytes);
    }

    /// <summary>
    /// The benchmark report as JSON (targets and whether they were met included); with <paramref name="inkModel"/>, also the ink
    /// path with that ink sequence model (<paramref name="inkWithSequence"/>), which counts for the allocation verdict too.
    /// </summary>
    public static JsonObject ToJson(string model, int threads, PathFigures ink, PathFigures frame, double classifyBytes, string? inkModel = null, PathFigures? inkWithSequence = null)
    {
        static JsonObject Path(PathFigures f, double target) => new()
        {
            ["text"] = f.Text,
            ["p50Ms"] = Math.Round(f.P50Ms, 4),
            ["p99Ms"] = Math.Round(f.P99Ms, 4),
            ["allocatedBytesPerRead"] = Math.Round(f.AllocatedBytesPerRead, 1),
            ["iterations"] = f.Iterations,
            ["targetMs"] = target,
            ["met"] = f.P50Ms <= target,
        };
        var report = new JsonObject
        {
            ["model"] = model,
            ["intraOpThreads"] = threads,
            ["processorCount"] = Environment.ProcessorCount,
            ["ink"] = Path(ink, InkTargetMs),
            ["frame640x480"] = Path(frame, FrameTargetMs),
            ["classifyAllocatedBytes"] = Math.Round(classifyBytes, 1),
            ["zeroAllocation"] = classifyBytes == 0 && ink.AllocatedBytesPerRead == 0 && frame.AllocatedBytesPerRead == 0 && inkWithSequence is not { AllocatedBytesPerRead: > 0 },
        };
        if (inkWithSequence is { } s)
        {
            report["inkModel"] = inkModel;
            report["inkWithSequenceModel"] = Path(s, InkTargetMs);
        }
        return report;
    }

    private static PathFigures Measure(Action read, Reading result, int iterations, int warmup) =>
        Measure(read, () => new string(result.TextSpan), iterations, warmup);

    /// <summary>Times <paramref name="iterations"/> calls of <paramref name="read"/> after <paramref name="warmup"/> untimed ones; <paramref name="text"/> tells what the last call read.</summary>
    internal static PathFigures Measure(Action read, Func<string> text, int iterations, int warmup)
    {
        for (int i = 0; i < warmup; i++) read();
        var times = new double[iterations];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            read();
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        double bytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)iterations;
        Array.Sort(times);
        return new PathFigures(text(), times[iterations / 2], times[Math.Min(iterations - 1, (int)Math.Ceiling(iterations * 0.99) - 1)], bytes, iterations);
    }

    /// <summary>Indented JSON text of a report.</summary>
    public static string ToJsonText(JsonObject report) => report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
