using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeDigits.Training.Evaluation;

/// <summary>The result of <c>edgedigits eval</c>: the data set, one evaluation per model, and figures written.</summary>
public sealed class EvalReport
{
    /// <summary>Identifies the JSON format (docs/eval-json.md).</summary>
    public const string Format = "edgedigits-eval/1";

    /// <summary>The data path as given.</summary>
    public required string DataPath { get; init; }

    /// <summary>"mnist-test", "mnist-train" or "folder".</summary>
    public required string DataKind { get; init; }

    /// <summary>Class names of the data set.</summary>
    public required string[] DataClasses { get; init; }

    /// <summary>One evaluation per model, in command-line order.</summary>
    public required IReadOnlyList<ModelEvaluation> Models { get; init; }

    /// <summary>Per model: confusion heat map and gallery PNG paths (null when --out was not given).</summary>
    public IReadOnlyList<(string? Confusion, string? Gallery)> Figures { get; init; } = [];

    /// <summary>ORT per-operator profiles (eval --profile), per model at the batch size and at batch 1.</summary>
    public IReadOnlyList<OpProfile> OpProfiles { get; init; } = [];

    /// <summary>Batch-1 times of each model cut after each layer (eval --profile), per model.</summary>
    public IReadOnlyList<LayerCutProfile> LayerCuts { get; init; } = [];

    /// <summary>Seed of the held-out "not a digit" crops, when they were evaluated.</summary>
    public int? NotDigitSeed { get; init; }

    /// <summary>Confidence thresholds tried by <see cref="ThresholdSweep"/>.</summary>
    public static IReadOnlyList<float> SweepValues { get; } = [0.3f, 0.35f, 0.4f, 0.45f, 0.5f, 0.55f, 0.6f, 0.65f, 0.7f, 0.8f, 0.9f];

    /// <summary>
    /// What the device would show at each of <see cref="SweepValues"/>: the fraction of samples shown
    /// as a wrong digit (top class a digit, confidence at or above the threshold, not the truth), shown
    /// as uncertain ('?': below the threshold, or the reject class) and shown correctly.
    /// </summary>
    public static IEnumerable<(float Value, double WrongDigit, double Uncertain, double Correct)> ThresholdSweep(ModelEvaluation e)
    {
        var reject = e.Metadata.RejectClass is { } r ? Array.IndexOf(e.Metrics.Classes, r) : -1;
        int n = e.Truth.Length;
        foreach (var t in SweepValues)
        {
            int wrong = 0, uncertain = 0, correct = 0;
            for (var i = 0; i < n; i++)
            {
                if (e.Predicted[i] == reject || e.Confidence[i] < t) uncertain++;
                else if (e.Predicted[i] == e.Truth[i]) correct++;
                else wrong++;
            }
            yield return (t, n == 0 ? 0 : wrong / (double)n, n == 0 ? 0 : uncertain / (double)n, n == 0 ? 0 : correct / (double)n);
        }
    }

    /// <summary>The stable JSON document described in docs/eval-json.md.</summary>
    public JsonObject ToJson()
    {
        var models = new JsonArray();
        for (var m = 0; m < Models.Count; m++)
        {
            var e = Models[m];
            var perClass = new JsonArray();
            foreach (var c in e.Metrics.PerClass)
                perClass.Add(new JsonObject { ["class"] = c.Class, ["precision"] = c.Precision, ["recall"] = c.Recall, ["f1"] = c.F1, ["support"] = c.Support });
            var matrix = new JsonArray();
            foreach (var row in e.Metrics.Confusion) matrix.Add(new JsonArray(row.Select(v => (JsonNode)v).ToArray()));
            JsonNode? none = null;
            if (e.NotADigit is { } nd)
            {
                var byKind = new JsonObject();
                foreach (var kv in nd.ByKind) byKind[kv.Key] = kv.Value;
                none = new JsonObject
                {
                    ["count"] = nd.Count, ["method"] = nd.Method, ["readAsDigit"] = nd.ReadAsDigit, ["readAsDigitRate"] = nd.ReadAsDigitRate,
                    ["argmaxDigitRate"] = nd.ArgmaxDigitRate, ["seed"] = NotDigitSeed, ["byKind"] = byKind,
                };
            }
            var fig = m < Figures.Count ? Figures[m] : (null, null);
            models.Add(new JsonObject
            {
                ["path"] = e.ModelPath,
                ["name"] = Path.GetFileName(e.ModelPath),
                ["sizeBytes"] = e.SizeBytes,
                ["metadata"] = e.MetadataFromFile ? "file" : "mnist-default",
                ["classes"] = new JsonArray(e.Metadata.Classes.Select(c => (JsonNode)c).ToArray()),
                ["rejectClass"] = e.Metadata.RejectClass,
                ["count"] = e.Metrics.Count,
                ["correct"] = e.Metrics.Correct,
                ["accuracy"] = e.Metrics.Accuracy,
                ["macroF1"] = e.Metrics.MacroF1,
                ["perClass"] = perClass,
                ["confusion"] = new JsonObject { ["classes"] = new JsonArray(e.Metrics.Classes.Select(c => (JsonNode)c).ToArray()), ["matrix"] = matrix },
                ["threshold"] = new JsonObject { ["value"] = e.Threshold.Value, ["accepted"] = e.Threshold.Accepted, ["acceptedAccuracy"] = e.Threshold.AcceptedAccuracy },
                ["thresholdSweep"] = new JsonArray(ThresholdSweep(e).Select(t => (JsonNode)new JsonObject
                {
                    ["value"] = t.Value, ["wrongDigitRate"] = t.WrongDigit, ["uncertainRate"] = t.Uncertain, ["correctRate"] = t.Correct,
                }).ToArray()),
                ["latency"] = new JsonObject
                {
                    ["batchSize"] = e.Latency.BatchSize, ["threads"] = e.Latency.Threads, ["msPerImage"] = e.Latency.MsPerImage,
                    ["imagesPerSecond"] = e.Latency.ImagesPerSecond, ["singleImageMsMedian"] = e.Latency.SingleImageMsMedian,
                },
                ["notADigit"] = none,
                ["baseline"] = e.Baseline is not { } b ? null : new JsonObject
                {
                    ["learner"] = b.Learner, ["features"] = b.Features, ["settings"] = b.Settings,
                    ["trainSources"] = new JsonArray(b.TrainSources.Select(t => (JsonNode)t).ToArray()), ["trainCount"] = b.TrainCount, ["trainSeconds"] = b.TrainSeconds,
                },
                ["figures"] = new JsonObject { ["confusionPng"] = fig.Confusion, ["misclassifiedPng"] = fig.Gallery },
            });
        }
        JsonNode? comparison = null;
        if (Models.Count == 2)
        {
            var (a, b) = (Models[0], Models[1]);
            var agree = a.Predicted.Zip(b.Predicted).Count(p => p.First == p.Second) / (double)a.Predicted.Length;
            comparison = new JsonObject
            {
                ["baseline"] = Path.GetFileName(a.ModelPath),
                ["candidate"] = Path.GetFileName(b.ModelPath),
                ["accuracyDropPoints"] = (a.Metrics.Accuracy - b.Metrics.Accuracy) * 100,
                ["agreement"] = agree,
                ["sizeRatio"] = b.SizeBytes / (double)a.SizeBytes,
                ["speedup"] = a.Latency.SingleImageMsMedian / Math.Max(1e-9, b.Latency.SingleImageMsMedian),
                ["singleImageTimeRatio"] = b.Latency.SingleImageMsMedian / Math.Max(1e-9, a.Latency.SingleImageMsMedian),
                ["batchTimeRatio"] = b.Latency.MsPerImage / Math.Max(1e-9, a.Latency.MsPerImage),
            };
        }
        return new JsonObject
        {
            ["format"] = Format,
            ["data"] = new JsonObject { ["path"] = DataPath, ["kind"] = DataKind, ["count"] = Models.Count > 0 ? Models[0].Metrics.Count : 0, ["classes"] = new JsonArray(DataClasses.Select(c => (JsonNode)c).ToArray()) },
            ["models"] = models,
            ["comparison"] = comparison,
            ["opProfiles"] = new JsonArray(OpProfiles.Select(p => (JsonNode)new JsonObject
            {
                ["model"] = Path.GetFileName(p.Model), ["batchSize"] = p.BatchSize, ["runs"] = p.Runs, ["file"] = p.ProfileFile, ["medianRunUs"] = p.MedianRunUs,
                ["ops"] = new JsonArray(p.Ops.Select(o => (JsonNode)new JsonObject { ["node"] = o.Node, ["opType"] = o.OpType, ["medianUs"] = o.MedianUs, ["share"] = o.Share }).ToArray()),
            }).ToArray()),
            ["layerCuts"] = new JsonArray(LayerCuts.Select(l => (JsonNode)new JsonObject
            {
                ["model"] = Path.GetFileName(l.Model), ["runs"] = l.Runs,
                ["prefixes"] = new JsonArray(l.Prefixes.Select(p => (JsonNode)new JsonObject { ["tensor"] = p.Tensor, ["opType"] = p.OpType, ["nodes"] = p.Nodes, ["us"] = p.Us, ["addedUs"] = p.AddedUs }).ToArray()),
            }).ToArray()),
        };
    }

    /// <summary>The JSON text (indented, invariant culture).</summary>
    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>A human-readable report: summary per model, per-class table, confusion matrix, comparison.</summary>
    public string ToText()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"data: {DataPath} ({DataKind}, {(Models.Count > 0 ? Models[0].Metrics.Count : 0)} images)");
        if (Models.Count > 1)
        {
            // The models side by side in one table before the details of each.
            var w = Math.Max(5, Models.Max(e => Path.GetFileName(e.ModelPath).Length));
            sb.AppendLine();
            sb.AppendLine(ci, $"{"model".PadRight(w)}  accuracy  macro F1         bytes  ms/image  single ms");
            foreach (var e in Models)
                sb.AppendLine(ci, $"{Path.GetFileName(e.ModelPath).PadRight(w)}  {e.Metrics.Accuracy * 100,7:F2}%  {e.Metrics.MacroF1,8:F4}  {e.SizeBytes,12:N0}  {e.Latency.MsPerImage,8:F4}  {e.Latency.SingleImageMsMedian,9:F3}");
        }
        for (var m = 0; m < Models.Count; m++)
        {
            var e = Models[m];
            sb.AppendLine();
            sb.AppendLine(ci, $"== {Path.GetFileName(e.ModelPath)} ({e.SizeBytes:N0} bytes, {(e.Baseline is not null ? "classical baseline" : e.MetadataFromFile ? "metadata: file" : "metadata: MNIST default")})");
            if (e.Baseline is { } b)
                sb.AppendLine(ci, $"baseline   {b.Learner} on {b.Features} features ({b.Settings}); {b.TrainCount} training images from {string.Join(", ", b.TrainSources)}, trained in {b.TrainSeconds:F1} s");
            sb.AppendLine(ci, $"accuracy   {e.Metrics.Accuracy * 100:F2}%  ({e.Metrics.Correct}/{e.Metrics.Count})   macro F1 {e.Metrics.MacroF1:F4}");
            sb.AppendLine(ci, $"latency    {e.Latency.MsPerImage:F4} ms/image, {e.Latency.ImagesPerSecond:F0} images/s (batch {e.Latency.BatchSize}, {e.Latency.Threads} thread(s)); single image {e.Latency.SingleImageMsMedian:F4} ms (lower quartiles of single runs)");
            sb.AppendLine(ci, $"threshold  {e.Threshold.Value:F2}: {e.Threshold.Accepted * 100:F2}% accepted, {e.Threshold.AcceptedAccuracy * 100:F2}% of them correct");
            if (e.NotADigit is { } nd)
            {
                sb.AppendLine(ci, $"not a digit: {nd.ReadAsDigit}/{nd.Count} held-out non-digit crops read as a digit ({nd.ReadAsDigitRate * 100:F2}%, {nd.Method}; top class a digit: {nd.ArgmaxDigitRate * 100:F1}%)");
                if (nd.ByKind.Count > 0) sb.AppendLine("             " + string.Join("  ", nd.ByKind.Select(kv => string.Create(ci, $"{kv.Key} {kv.Value * 100:F1}%"))));
            }
            sb.AppendLine("class   precision  recall     f1   support");
            foreach (var c in e.Metrics.PerClass)
                sb.AppendLine(ci, $"{c.Class,-6} {c.Precision,9:F4} {c.Recall,7:F4} {c.F1,6:F4} {c.Support,9}");
            sb.AppendLine("confusion (rows: true, columns: predicted)");
            var w = Math.Max(5, e.Metrics.Confusion.SelectMany(r => r).DefaultIfEmpty(0).Max().ToString(ci).Length + 1);
            sb.Append("      ");
            foreach (var c in e.Metrics.Classes) sb.Append(c.PadLeft(w));
            sb.AppendLine();
            for (var r = 0; r < e.Metrics.Classes.Length; r++)
            {
                sb.Append(e.Metrics.Classes[r].PadRight(6));
                foreach (var v in e.Metrics.Confusion[r]) sb.Append(v.ToString(ci).PadLeft(w));
                sb.AppendLine();
            }
            if (m < Figures.Count && Figures[m].Confusion is { } cp) sb.AppendLine(ci, $"figures: {cp}, {Figures[m].Gallery}");
        }
        if (Models.Count == 2)
        {
            var (a, b) = (Models[0], Models[1]);
            var agree = a.Predicted.Zip(b.Predicted).Count(p => p.First == p.Second) / (double)a.Predicted.Length;
            sb.AppendLine();
            sb.AppendLine(ci, $"== {Path.GetFileName(a.ModelPath)} vs {Path.GetFileName(b.ModelPath)}");
            sb.AppendLine(ci, $"accuracy   {a.Metrics.Accuracy * 100:F2}% vs {b.Metrics.Accuracy * 100:F2}%: drop {(a.Metrics.Accuracy - b.Metrics.Accuracy) * 100:F2} points; predictions agree on {agree * 100:F2}%");
            sb.AppendLine(ci, $"size       {a.SizeBytes:N0} vs {b.SizeBytes:N0} bytes ({b.SizeBytes / (double)a.SizeBytes:P0})");
            sb.AppendLine(ci, $"time/image batch {a.Latency.BatchSize}: {a.Latency.MsPerImage:F4} vs {b.Latency.MsPerImage:F4} ms ({b.Latency.MsPerImage / Math.Max(1e-9, a.Latency.MsPerImage):F2}x); batch 1: {a.Latency.SingleImageMsMedian:F4} vs {b.Latency.SingleImageMsMedian:F4} ms ({b.Latency.SingleImageMsMedian / Math.Max(1e-9, a.Latency.SingleImageMsMedian):F2}x) (lower quartiles of runs timed in alternating rounds)");
        }
        foreach (var p in OpProfiles)
        {
            sb.AppendLine();
            sb.Append(p.ToText());
        }
        foreach (var l in LayerCuts)
        {
            sb.AppendLine();
            sb.Append(l.ToText());
        }
        return sb.ToString();
    }
}
