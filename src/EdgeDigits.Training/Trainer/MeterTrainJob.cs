using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Models;
using EdgeDigits.Training.Augmentation;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.Meters;
using EdgeDigits.Training.Evaluation;
using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Onnx;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Trainer;

/// <summary>What a <see cref="MeterTrainJob"/> did.</summary>
/// <param name="Network">The trained network.</param>
/// <param name="Validation">Scores on the held-out meter families with the chosen decoder, or null when none were held out.</param>
/// <param name="Decoder">The decoder settings chosen on the held-out meters (or the defaults).</param>
/// <param name="TrainCount">Training windows.</param>
/// <param name="ValidationCount">Held-out windows.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record MeterTrainJobResult(Network Network, MeterScore? Validation, TenthsDecoder Decoder, int TrainCount, int ValidationCount, double Seconds);

/// <summary>
/// <c>edgedigits train --meter DIR</c>: trains the meter wheel model (100 classes, "0.0" … "9.9") on real meter digit
/// windows, holding out whole meter families for validation (never a random split: consecutive photos of one meter
/// are near-identical), chooses the decoder's clean tolerance and confidence threshold on them, and writes the ONNX
/// model with its metadata.
/// </summary>
public sealed class MeterTrainJob
{
    /// <summary>The default meter architecture: no global pooling, so where the digit stands in the window (its roll) reaches the classifier.</summary>
    public const string DefaultArchitecture = "c16,p,c32,p,c64,p,c64,fc";

    /// <summary>Folder of windows, <c>DIR/&lt;d.t&gt;/*.jpg</c>.</summary>
    public required string DataDir { get; init; }

    /// <summary>Families with fewer windows than this are held out together as <see cref="MeterDigitSet.RareFamily"/>.</summary>
    public int RareFamilyWindows { get; init; } = MeterDigitSet.DefaultRareFamilyWindows;

    /// <summary>Meter families (<see cref="MeterSeries.FamilyOf"/>, or <see cref="MeterDigitSet.RareFamily"/>) held out for validation; empty = train on all.</summary>
    public IReadOnlyList<string> HoldOut { get; init; } = [];

    /// <summary>Synthetic windows (<see cref="MeterWindowSynth"/>, training fonts) added to the real training windows; 0 = none.</summary>
    public int Synthetic { get; init; }

    /// <summary>The recipe (architecture, epochs, optimizer, seed, threads; <see cref="TrainOptions.Augment"/> scales the meter augmentation).</summary>
    public required TrainOptions Options { get; init; }

    /// <summary>Where to write the fp32 ONNX model (metadata beside it), or null.</summary>
    public string? OutPath { get; init; }

    /// <summary>The command line, recorded in the metadata.</summary>
    public string Command { get; init; } = "";

    /// <summary>Progress and summaries, or null.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>
    /// The meter augmentation at strength 1: small shifts only (a shift is a change of roll: 1 px of 28 is about a third
    /// of a tenth), mild rotation and scale (the camera and the cut of the window), contrast, blur, noise and the
    /// face's polarity swapped half the time.
    /// </summary>
    public static DigitAugmenter Augmenter(float strength) => new()
    {
        Strength = strength,
        MaxRotationDegrees = 4f,
        MaxShear = 0.06f,
        MaxScale = 0.08f,
        MaxShift = 0.8f,
        StrokeProbability = 0.2f,
        BlurProbability = 0.3f,
        ContrastProbability = 0.5f,
        NoiseProbability = 0.3f,
        InvertProbability = strength > 0 ? 0.5f : 0f,
    };

    /// <summary>Runs the job.</summary>
    /// <exception cref="DirectoryNotFoundException">The data folder is missing.</exception>
    /// <exception cref="InvalidDataException">The data is malformed, or a held-out family has no windows.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public MeterTrainJobResult Run(CancellationToken cancel = default)
    {
        Options.Validate();
        var watch = Stopwatch.StartNew();
        var all = MeterDigitSet.Load(DataDir, Log);
        var counts = all.FamilyCounts();
        Log?.WriteLine("meter families: " + string.Join(", ", counts.OrderByDescending(kv => kv.Value).Where(kv => kv.Value >= RareFamilyWindows).Select(kv => $"{kv.Key} {kv.Value}"))
            + $", {MeterDigitSet.RareFamily} {counts.Values.Where(v => v < RareFamilyWindows).Sum()} (in {counts.Count(kv => kv.Value < RareFamilyWindows)} families)");
        var (validation, train) = all.SplitByFamily(HoldOut.ToHashSet(), RareFamilyWindows);
        Log?.WriteLine($"meter windows: {train.Count:N0} training, {validation.Count:N0} held out ({string.Join(", ", HoldOut)})");

        var trainSet = train.Windows;
        if (Synthetic > 0)
        {
            var sw = Stopwatch.StartNew();
            trainSet = DigitSet.Concat(trainSet, new MeterWindowSynth().Generate(Synthetic, SyntheticSplit.Train, Options.Seed));
            Log?.WriteLine($"generated {Synthetic:N0} synthetic meter windows (training fonts) in {sw.Elapsed.TotalSeconds:F0}s");
        }
        var trainer = new ModelTrainer(Options, TenthsDecoder.ClassLabels) { Log = Log, Augmenter = Augmenter(Options.Augment) };
        Log?.WriteLine($"model: {Options.Architecture}: {trainer.Network.Macs:N0} MACs, {trainer.Network.ParameterCount:N0} parameters");
        var fit = trainer.Fit(trainSet, null, cancel);

        var decoder = new TenthsDecoder();
        MeterScore? score = null;
        if (validation.Count > 0)
        {
            var probs = Probabilities(trainer.Network, validation.Windows);
            (decoder, score) = MeterScore.Choose(probs, validation.Windows.Labels, decoder);
            Log?.WriteLine($"held-out meters ({validation.Count:N0} windows), tolerance {decoder.CleanTolerance}, threshold {decoder.ConfidenceThreshold}: {score}");
            foreach (var family in HoldOut)
            {
                var part = validation.SplitByFamily([family], RareFamilyWindows).Selected;
                Log?.WriteLine($"  {family}: {MeterScore.Of(Probabilities(trainer.Network, part.Windows), part.Windows.Labels, decoder)}");
            }
        }
        if (OutPath is not null) WriteModel(trainer.Network, fit, decoder, score, train.Count, validation.Count, watch.Elapsed.TotalSeconds);
        return new MeterTrainJobResult(trainer.Network, score, decoder, train.Count, validation.Count, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Softmax outputs of <paramref name="network"/> (evaluation mode) for every window of <paramref name="set"/>.</summary>
    public static float[] Probabilities(Network network, DigitSet set, int batchSize = 256)
    {
        var classes = network.Outputs;
        var result = new float[set.Count * classes];
        var input = new float[batchSize * DigitSet.ImageSize];
        for (var start = 0; start < set.Count; start += batchSize)
        {
            var n = Math.Min(batchSize, set.Count - start);
            for (var i = 0; i < n; i++) set.CopyImageAsFloat(start + i, input.AsSpan(i * DigitSet.ImageSize));
            var logits = network.Forward(input, n, training: false);
            for (var i = 0; i < n; i++)
            {
                var dst = result.AsSpan((start + i) * classes, classes);
                logits.Slice(i * classes, classes).CopyTo(dst);
                var max = float.MinValue;
                foreach (var v in dst) max = Math.Max(max, v);
                float sum = 0;
                for (var c = 0; c < classes; c++) sum += dst[c] = MathF.Exp(dst[c] - max);
                for (var c = 0; c < classes; c++) dst[c] /= sum;
            }
        }
        return result;
    }

    private void WriteModel(Network network, TrainResult fit, TenthsDecoder decoder, MeterScore? score, int trainCount, int valCount, double seconds)
    {
        var path = OutPath!;
        OnnxExporter.Export(network, path, $"EdgeDigits meter wheel model ({Options.Architecture}), tenths of a digit");
        var metrics = new JsonObject
        {
            ["macsPerWindow"] = network.Macs,
            ["parameters"] = network.ParameterCount,
            ["fileBytes"] = new FileInfo(path).Length,
        };
        if (score is not null) metrics["heldOutMetersFp32"] = score.ToJson();
        var meta = new ModelMetadata
        {
            Name = Path.GetFileNameWithoutExtension(ModelMetadata.PathFor(path)),
            Kind = ModelMetadata.MeterTenthsKind,
            Classes = TenthsDecoder.ClassLabels,
            ConfidenceThreshold = decoder.ConfidenceThreshold,
            CleanTolerance = decoder.CleanTolerance,
            Training = new JsonObject
            {
                ["command"] = Command,
                ["recipe"] = Options.ToJson(),
                ["data"] = new JsonObject
                {
                    ["meterWindows"] = DataDir,
                    ["heldOutFamilies"] = new JsonArray(HoldOut.Select(h => (JsonNode)h).ToArray()),
                    ["trainWindows"] = trainCount,
                    ["syntheticWindows"] = Synthetic,
                    ["heldOutWindows"] = valCount,
                },
                ["epochs"] = new JsonArray(fit.History.Select(h => (JsonNode)new JsonObject
                {
                    ["epoch"] = h.Epoch, ["loss"] = Math.Round(h.Loss, 5), ["trainAccuracy"] = Math.Round(h.TrainAccuracy, 5), ["seconds"] = Math.Round(h.Seconds, 1),
                }).ToArray()),
                ["seconds"] = Math.Round(seconds, 1),
                ["cpuSeconds"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 1),
            },
            Metrics = metrics,
        };
        var metaPath = ModelMetadata.PathFor(path);
        meta.Save(metaPath);
        Log?.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes) and {metaPath}");
    }
}
