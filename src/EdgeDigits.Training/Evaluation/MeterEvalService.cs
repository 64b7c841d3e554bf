using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Meters;
using EdgeDigits.Training.Data.Meters;

namespace EdgeDigits.Training.Evaluation;

/// <summary>One meter model's figures on a set of windows: overall and per meter family, and the latency per window.</summary>
/// <param name="Model">The model file.</param>
/// <param name="Overall">All windows scored.</param>
/// <param name="ByFamily">Per meter family.</param>
/// <param name="Decoder">The decoder settings: from the model's metadata, or chosen on <paramref name="ChosenOn"/>.</param>
/// <param name="MicrosecondsPerWindow">Median latency of one window in a batch of 8 (normalized input to decoded digit).</param>
/// <param name="ChosenOn">The meter families the decoder settings were chosen on (disjoint from those scored), or empty when they come from the metadata.</param>
/// <param name="Crops">Test-time cuts per window whose probabilities were averaged (<see cref="MeterTestTimeCrops"/>; 1 = the plain read).</param>
public sealed record MeterEvaluation(string Model, MeterScore Overall, IReadOnlyList<(string Family, MeterScore Score)> ByFamily, TenthsDecoder Decoder, double MicrosecondsPerWindow, IReadOnlyList<string> ChosenOn, int Crops = 1);

/// <summary>
/// <c>edgedigits eval</c> for meter wheel models: reads every window of a meter folder (optionally only some meter
/// families, e.g. those held out in training) and reports clean windows read right / wrong, rolling windows shown as a
/// confident wrong digit, and the position error, with ONNX Runtime as on the device. The decoder settings come from
/// the model's metadata, or are chosen afresh on other meter families (<c>--choose-on</c>): scoring one held-out family
/// with settings chosen on another keeps a test family out of every choice, even for a model whose metadata settings
/// were chosen on it.
/// </summary>
public static class MeterEvalService
{
    /// <summary>Evaluates each model on the windows of <paramref name="dataPath"/> whose family is in <paramref name="families"/> (all when empty).</summary>
    /// <exception cref="InvalidDataException">No windows of those families, or bad data.</exception>
    /// <param name="models">Meter wheel models.</param>
    /// <param name="dataPath">Folder of windows, <c>DIR/&lt;d.t&gt;/*.jpg</c>.</param>
    /// <param name="families">Meter families to score (all when empty).</param>
    /// <param name="threads">ONNX Runtime intra-op threads.</param>
    /// <param name="outDir">Folder for a gallery of the windows each model got wrong or refused, or null.</param>
    /// <param name="progress">Progress lines.</param>
    /// <param name="chooseOn">Meter families whose windows choose the decoder settings (<see cref="MeterScore.Choose"/>) instead of the metadata; empty = the metadata's. Must not overlap <paramref name="families"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="chooseOn"/> overlaps the scored families.</exception>
    /// <param name="crops">Test-time cuts per window, probabilities averaged (<see cref="MeterTestTimeCrops"/>); null = the model's metadata.</param>
    /// <param name="confidence">How the decoder measures confidence (<see cref="TenthsConfidence"/>); null = the model's metadata. The threshold (the metadata's, or chosen on <paramref name="chooseOn"/>) applies to that measure.</param>
    public static IReadOnlyList<MeterEvaluation> Run(IReadOnlyList<string> models, string dataPath, IReadOnlyList<string> families, int threads, string? outDir, TextWriter progress, IReadOnlyList<string>? chooseOn = null, MeterTestTimeCrops? crops = null, TenthsConfidence? confidence = null)
    {
        chooseOn ??= [];
        if (chooseOn.Count > 0 && (families.Count == 0 || chooseOn.Intersect(families).Any()))
            throw new ArgumentException($"--choose-on {string.Join(" ", chooseOn)}: the families the decoder settings are chosen on must not be scored (give --families without them)");
        var all = MeterDigitSet.Load(dataPath, progress);
        var set = families.Count == 0 ? all : all.SplitByFamily(families.ToHashSet()).Selected;
        if (set.Count == 0) throw new InvalidDataException($"{dataPath}: no windows of the families {string.Join(", ", families)}");
        var chooseSet = chooseOn.Count == 0 ? null : all.SplitByFamily(chooseOn.ToHashSet()).Selected;
        if (chooseSet is { Count: 0 }) throw new InvalidDataException($"{dataPath}: no windows of the families {string.Join(", ", chooseOn)} to choose the decoder settings on");
        var results = new List<MeterEvaluation>();
        foreach (var model in models)
        {
            progress.WriteLine($"eval: {model} on {set.Count:N0} meter windows");
            using var reader = new MeterWindowReader(model, maxWindows: 64, intraOpThreads: threads, crops: crops);
            if (reader.Crops.Count > 1) progress.WriteLine($"eval: each window read as {reader.Crops.Count} cuts moved by {reader.Crops.Shift} input pixels, probabilities averaged");
            var pixels = set.Cuts(reader.Crops);
            var probs = Probabilities(reader, set.Count, pixels);
            var decoder = confidence is { } measure ? reader.Decoder with { Confidence = measure } : reader.Decoder;
            if (chooseSet is not null)
            {
                (decoder, var chosen) = MeterScore.Choose(Probabilities(reader, chooseSet.Count, chooseSet.Cuts(reader.Crops)), chooseSet.Windows.Labels, decoder);
                progress.WriteLine($"eval: decoder chosen on {string.Join(", ", chooseOn)} ({chooseSet.Count:N0} windows): tolerance {decoder.CleanTolerance}, threshold {decoder.ConfidenceThreshold}: {chosen}");
            }
            var overall = MeterScore.Of(probs, set.Windows.Labels, decoder);
            var byFamily = set.Families.Distinct().Order(StringComparer.Ordinal).Select(f =>
            {
                var idx = Enumerable.Range(0, set.Count).Where(i => set.Families[i] == f).ToArray();
                var p = idx.SelectMany(i => probs.AsSpan(i * TenthsDecoder.Classes, TenthsDecoder.Classes).ToArray()).ToArray();
                return (f, MeterScore.Of(p, idx.Select(i => set.Windows.Labels[i]).ToArray(), decoder));
            }).ToList();
            results.Add(new MeterEvaluation(model, overall, byFamily, decoder, Latency(reader, pixels), chooseOn, reader.Crops.Count));
            if (outDir is not null) WriteGallery(set, probs, decoder, Path.Combine(outDir, Path.GetFileNameWithoutExtension(model) + "-wrong.png"));
        }
        return results;
    }

    /// <summary>Softmax outputs of the reader's model for <paramref name="count"/> windows given as the reader's cuts (<see cref="MeterDigitSet.Cuts"/>), averaged per window, in batches of 64 windows.</summary>
    private static float[] Probabilities(MeterWindowReader reader, int count, byte[] cuts)
    {
        var probs = new float[count * TenthsDecoder.Classes];
        int window = reader.Crops.Count * MeterWindowNormalizer.Pixels;
        for (int start = 0; start < count; start += 64)
        {
            int n = Math.Min(64, count - start);
            reader.Probabilities(cuts.AsSpan(start * window, n * window), n).CopyTo(probs.AsSpan(start * TenthsDecoder.Classes));
        }
        return probs;
    }

    /// <summary>A picture of the windows a model got wrong (clean shown as another digit, rolling shown as a digit it is not between) and of the clean ones it refused.</summary>
    private static void WriteGallery(MeterDigitSet set, float[] probs, TenthsDecoder decoder, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var read = Enumerable.Range(0, set.Count).Select(i => decoder.Decode(probs.AsSpan(i * TenthsDecoder.Classes, TenthsDecoder.Classes))).ToArray();
        bool Wrong(int i)
        {
            int label = set.Windows.Labels[i], d = label / 10;
            if (read[i].Digit is not { } shown) return label % 10 == 0;
            return label % 10 == 0 ? shown != d : shown != d && shown != (d + 1) % 10;
        }
        var items = Enumerable.Range(0, set.Count).Where(Wrong).OrderBy(i => read[i].Digit is null).Take(200).ToArray();
        EvalFigures.Gallery(set.Windows, items, i => $"t:{TenthsDecoder.ClassLabels[set.Windows.Labels[i]]} p:{read[i].Text} {read[i].Value:0.0}",
            $"{Path.GetFileName(path)}: {items.Length} windows shown as a wrong digit or clean ones refused (wrong first)", path);
    }

    private static double Latency(MeterWindowReader reader, byte[] pixels)
    {
        const int batch = 8, runs = 200;
        var n = Math.Min(batch, pixels.Length / (reader.Crops.Count * MeterWindowNormalizer.Pixels));
        var times = new double[runs];
        Span<RollingDigit> digits = stackalloc RollingDigit[batch];
        for (int r = -20; r < runs; r++)
        {
            var t = Stopwatch.GetTimestamp();
            var p = reader.Probabilities(pixels.AsSpan(0, n * reader.Crops.Count * MeterWindowNormalizer.Pixels), n);
            for (int i = 0; i < n; i++) digits[i] = reader.Decoder.Decode(p.Slice(i * TenthsDecoder.Classes, TenthsDecoder.Classes));
            if (r >= 0) times[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds / n;
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    /// <summary>The evaluations as text, one block per model.</summary>
    public static string ToText(IReadOnlyList<MeterEvaluation> evaluations)
    {
        var sb = new StringBuilder();
        foreach (var e in evaluations)
        {
            var origin = e.ChosenOn.Count == 0 ? "" : $" chosen on {string.Join(", ", e.ChosenOn)}";
            var cuts = e.Crops == 1 ? "" : $", {e.Crops} cuts averaged";
            sb.AppendLine(CultureInfo.InvariantCulture, $"{e.Model} (clean tolerance {e.Decoder.CleanTolerance}, threshold {e.Decoder.ConfidenceThreshold} on the {TenthsDecoder.NameOf(e.Decoder.Confidence)} confidence{origin}{cuts}, {e.MicrosecondsPerWindow:F1} µs/window)");
            sb.AppendLine(CultureInfo.InvariantCulture, $"  all {e.Overall.Windows} windows: {e.Overall}");
            foreach (var (family, score) in e.ByFamily) sb.AppendLine(CultureInfo.InvariantCulture, $"  {family} ({score.Windows}): {score}");
        }
        return sb.ToString();
    }

    /// <summary>The evaluations as JSON.</summary>
    public static string ToJson(IReadOnlyList<MeterEvaluation> evaluations) => new JsonArray(evaluations.Select(e => (JsonNode)new JsonObject
    {
        ["model"] = e.Model,
        ["cleanTolerance"] = e.Decoder.CleanTolerance,
        ["confidenceThreshold"] = e.Decoder.ConfidenceThreshold,
        ["confidenceMeasure"] = TenthsDecoder.NameOf(e.Decoder.Confidence),
        ["decoderChosenOn"] = new JsonArray(e.ChosenOn.Select(f => (JsonNode)f).ToArray()),
        ["testTimeCrops"] = e.Crops,
        ["microsecondsPerWindow"] = Math.Round(e.MicrosecondsPerWindow, 2),
        ["all"] = e.Overall.ToJson(),
        ["families"] = new JsonObject(e.ByFamily.Select(f => KeyValuePair.Create(f.Family, (JsonNode?)f.Score.ToJson()))),
    }).ToArray()).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
}
