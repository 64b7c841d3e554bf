using System.Text.Json.Nodes;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Core.Meters;

/// <summary>
/// The work behind <c>edgedigits bench --meter LAYOUT</c>: the cost of one meter frame on one core — alignment by marks, marker-free
/// registration, and the whole frame (the layout's alignment, every window read in one batch, the row settled by the gear model) —
/// on the images in the layout's folder, cycled.
/// </summary>
public static class MeterFrameBenchmark
{
    /// <summary>Target for one meter frame (alignment + 8 windows + plausibility), in ms (issue 11).</summary>
    public const double FrameTargetMs = 5.0;

    /// <summary>Runs the benchmark and returns the JSON report.</summary>
    /// <exception cref="InvalidDataException">The layout cannot be used, or has no reference, or its folder holds no frames.</exception>
    /// <exception cref="ImageFormatException">A frame or the reference cannot be decoded.</exception>
    /// <exception cref="FileNotFoundException">No meter model.</exception>
    public static JsonObject Run(string layoutPath, string? model, int iterations, int warmup)
    {
        var layout = MeterLayout.Load(layoutPath);
        if (layout.Reference is null) throw new InvalidDataException($"{layoutPath}: no Alignment:Reference to align frames to");
        var reference = GrayImageCodec.Decode(layout.Reference);
        var folder = Path.GetDirectoryName(Path.GetFullPath(layoutPath))!;
        var frames = Directory.GetFiles(folder).Where(f => ReadService.ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal)
            .Select(f => GrayImageCodec.Decode(f)).ToArray();
        if (frames.Length == 0) throw new InvalidDataException($"{folder}: no frames beside the layout");
        var windows = layout.Windows.ToArray();
        var modelPath = ModelLocator.Resolve(model, ModelLocator.MeterNames);
        using var reader = new MeterWindowReader(modelPath, maxWindows: windows.Length);
        var resolver = new MeterValueResolver();
        var wheels = new RollingDigit[windows.Length];

        IFrameAligner? aligner;
        try
        {
            aligner = layout.CreateAligner(reference);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{layoutPath}: {e.Message}", e);
        }
        int next = 0;
        string text = "";
        GrayImage Next() => frames[next++ % frames.Length];
        PathFigures Align(IFrameAligner a) => RecognitionBenchmark.Measure(() =>
        {
            var r = a.Align(Next());
            text = r.Aligned ? $"score {r.Score:0.00}" : r.Reason!;
        }, () => text, iterations, warmup);

        var report = new JsonObject
        {
            ["layout"] = layoutPath,
            ["model"] = modelPath,
            ["frames"] = frames.Length,
            ["windows"] = windows.Length,
            ["frameSize"] = $"{reference.Width}x{reference.Height}",
            ["processorCount"] = Environment.ProcessorCount,
        };
        if (layout.Marks.Count == 2) report["alignMarks"] = Figures(Align(new MarkAligner(reference, layout.Marks, layout.Options)), null);
        report["alignRegistration"] = Figures(Align(new RegistrationAligner(reference, windows, layout.Options)), null);
        var frame = RecognitionBenchmark.Measure(() =>
        {
            var f = Next();
            var alignment = aligner?.Align(f);
            if (alignment is { Aligned: false })
            {
                text = alignment.Reason!;
                return;
            }
            reader.Read(f, windows, alignment?.Transform ?? FrameTransform.Identity, wheels);
            text = resolver.Resolve(wheels).Text;
        }, () => text, iterations, warmup);
        report["frame"] = Figures(frame, FrameTargetMs);
        report["frame"]!["alignment"] = layout.Mode.ToString();
        return report;
    }

    private static JsonObject Figures(PathFigures f, double? target)
    {
        var o = new JsonObject
        {
            ["last"] = f.Text,
            ["p50Ms"] = Math.Round(f.P50Ms, 4),
            ["p99Ms"] = Math.Round(f.P99Ms, 4),
            ["allocatedBytesPerRead"] = Math.Round(f.AllocatedBytesPerRead, 1),
            ["iterations"] = f.Iterations,
        };
        if (target is { } t)
        {
            o["targetMs"] = t;
            o["met"] = f.P50Ms <= t;
        }
        return o;
    }
}
