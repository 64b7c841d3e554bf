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
/// <param name="Validation">Scores on the validation series the decoder settings were chosen on, or null when none were held out.</param>
/// <param name="Test">Scores on the held-out test families with the chosen decoder (never used to choose anything), or null when none were held out.</param>
/// <param name="Decoder">The decoder settings chosen on the validation series (or given, or the defaults).</param>
/// <param name="TrainCount">Training windows.</param>
/// <param name="ValidationCount">Validation windows.</param>
/// <param name="TestCount">Held-out test windows.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record MeterTrainJobResult(Network Network, MeterScore? Validation, MeterScore? Test, TenthsDecoder Decoder, int TrainCount, int ValidationCount, int TestCount, double Seconds);

/// <summary>
/// <c>edgedigits train --meter DIR</c>: trains the meter wheel model (100 classes, "0.0" … "9.9") on real meter digit
/// windows, holding out whole meter families as a test (never a random split: consecutive photos of one meter are
/// near-identical) and whole meter series of the training families for validation. The decoder's clean tolerance and
/// confidence threshold are chosen on the validation series only; the test families are scored with that choice and
/// never used to choose anything, so their figures are not flattered. Writes the ONNX model with its metadata.
/// </summary>
public sealed class MeterTrainJob
{
    /// <summary>The default meter architecture: no global pooling, so where the digit stands in the window (its roll) reaches the classifier.</summary>
    public const string DefaultArchitecture = "c16,p,c32,p,c64,p,c64,fc";

    /// <summary>Folder of windows, <c>DIR/&lt;d.t&gt;/*.jpg</c>.</summary>
    public required string DataDir { get; init; }

    /// <summary>Families with fewer windows than this are held out together as <see cref="MeterDigitSet.RareFamily"/>.</summary>
    public int RareFamilyWindows { get; init; } = MeterDigitSet.DefaultRareFamilyWindows;

    /// <summary>Meter families (<see cref="MeterSeries.FamilyOf"/>, or <see cref="MeterDigitSet.RareFamily"/>) held out as the test: scored, never trained on, never used to choose; empty = none.</summary>
    public IReadOnlyList<string> HoldOut { get; init; } = [];

    /// <summary>
    /// Meter series (<see cref="MeterSeries.SeriesOf"/>, e.g. <c>dig4</c>: other wheels of the training meters) or whole
    /// families (e.g. <see cref="MeterDigitSet.RareFamily"/>: meters unlike the training ones) held out of training to
    /// choose the decoder settings on; empty = none (the decoder is <see cref="Decoder"/>).
    /// </summary>
    public IReadOnlyList<string> Validate { get; init; } = [];

    /// <summary>The decoder settings to write when no <see cref="Validate"/> series choose them (e.g. those a validation run chose); null = the defaults. Cannot be combined with <see cref="Validate"/>.</summary>
    public TenthsDecoder? Decoder { get; init; }

    /// <summary>
    /// The metadata (<c>.json</c>) of a validation run whose chosen decoder settings, validation and test figures this
    /// model takes over (the shipped model, retrained on all windows, has nothing left to choose on). Read when training
    /// ends, so the validation run may still be running when this one starts. Cannot be combined with
    /// <see cref="Validate"/> or <see cref="Decoder"/>.
    /// </summary>
    public string? DecoderFrom { get; init; }

    /// <summary>
    /// More folders of labeled windows in the same layout (<c>DIR/&lt;d.t&gt;/*.jpg</c>, e.g. the windows a person
    /// corrected on the device's page), added to the training windows only: never held out, never scored.
    /// </summary>
    public IReadOnlyList<string> ExtraDirs { get; init; } = [];

    /// <summary>Share of LCD windows among the synthetic ones (<see cref="MeterWindowSynth.LcdFraction"/>).</summary>
    public double LcdFraction { get; init; } = MeterWindowSynth.DefaultLcdFraction;

    /// <summary>Strongest ghost of an LCD's unlit segments in the synthetic windows (<see cref="MeterWindowSynth.MaxGhost"/>).</summary>
    public double MaxGhost { get; init; } = MeterWindowSynth.DefaultMaxGhost;

    /// <summary>
    /// Spread of each window's target over the neighbouring tenths (<see cref="TenthsSpread"/>), in tenths; 0 = one-hot
    /// on its label. A wheel's label says where it stands to about a tenth, so a soft target asks the model for the
    /// position to that precision and no more, and keeps the confidence (mass around the decoded position) for the
    /// question whether it is this digit at all.
    /// </summary>
    public float TenthsSigma { get; init; }

    /// <summary>Largest <see cref="TenthsSigma"/>: half a digit; wider, a clean window's target would reach the next digit.</summary>
    public const float MaxTenthsSigma = 5f;

    /// <summary>How many standard deviations of <see cref="TenthsSigma"/> the spread reaches on each side (beyond 3, the weights are below 1.2%).</summary>
    public const float TenthsSpreadSigmas = 3f;

    /// <summary>
    /// A circular Gaussian of standard deviation <paramref name="sigma"/> tenths over the offsets
    /// <c>-r … r</c> around a label, <c>r = ceil(</c><see cref="TenthsSpreadSigmas"/><c> × sigma)</c>, normalized to sum to 1
    /// (<see cref="ModelTrainer.TargetSpread"/>); sigma 0 = one-hot (<c>[1]</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">sigma outside 0 … <see cref="MaxTenthsSigma"/>.</exception>
    public static float[] TenthsSpread(float sigma)
    {
        if (!(sigma is >= 0 and <= MaxTenthsSigma)) throw new ArgumentOutOfRangeException(nameof(sigma), $"the tenths spread must be within 0 … {MaxTenthsSigma} tenths, got {sigma}");
        if (sigma == 0) return [1f];
        var radius = (int)MathF.Ceiling(TenthsSpreadSigmas * sigma);
        var weights = new float[2 * radius + 1];
        double sum = 0;
        for (int k = -radius; k <= radius; k++) sum += weights[k + radius] = (float)Math.Exp(-0.5 * k * k / (sigma * sigma));
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(weights[i] / sum);
        return weights;
    }

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
    /// Largest sideways offset of the window's cut, in pixels of 28, with the camera pass on: a wheel rolls up and
    /// down, so a sideways offset leaves the roll alone (unlike a vertical one) and covers windows drawn a little off the digit.
    /// </summary>
    public const float CameraCropOffset = 2f;

    /// <summary>
    /// The meter augmentation at strength 1: small shifts only (a vertical shift is a change of roll: 1 px of 28 is
    /// about a third of a tenth), mild rotation and scale (the camera and the cut of the window), contrast, blur, noise
    /// and the face's polarity swapped half the time. With <paramref name="camera"/> &gt; 0 (<c>--domain-augment</c>),
    /// that share of windows also gets what a cheap camera does (<see cref="CameraPass"/>) and the cut moves sideways
    /// by up to <see cref="CameraCropOffset"/>.
    /// </summary>
    public static DigitAugmenter Augmenter(float strength, float camera = 0) => new()
    {
        MaxShiftX = camera > 0 ? CameraCropOffset : null,
        Paper = camera > 0 ? CameraPass(camera) : null,
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

    /// <summary>
    /// What an ESP32-class camera does to a window, applied to <paramref name="probability"/> of them: low resolution
    /// (the windows are about 20x32 pixels before resampling to 28x28), uneven light and JPEG blocks. Pen, ruled-line,
    /// binarisation and paper effects are for handwriting and stay off.
    /// </summary>
    public static PaperAugmenter CameraPass(float probability) => new()
    {
        Probability = probability,
        PenProbability = 0,
        BinarizeProbability = 0,
        RuledLineProbability = 0,
        PaperTextureProbability = 0,
        LowResolutionProbability = 0.4f,
        UnevenLightProbability = 0.4f,
        JpegProbability = 0.5f,
        MinResolution = 14,
        MaxResolution = 20,
        MinJpegQuality = 30,
        MaxJpegQuality = 80,
    };

    /// <summary>Runs the job.</summary>
    /// <exception cref="DirectoryNotFoundException">The data folder is missing.</exception>
    /// <exception cref="InvalidDataException">The data is malformed, or a held-out family has no windows.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public MeterTrainJobResult Run(CancellationToken cancel = default)
    {
        Options.Validate();
        if ((Decoder is not null ? 1 : 0) + (DecoderFrom is not null ? 1 : 0) + (Validate.Count > 0 ? 1 : 0) > 1)
            throw new ArgumentException("decoder settings are chosen on validation series, given, or taken from a validation run: only one of them");
        var watch = Stopwatch.StartNew();
        // The extra folders are read first, so a bad one is refused before the long work starts.
        var extras = ExtraDirs.Select(d => (Dir: d, Set: MeterDigitSet.Load(d))).ToList();
        var all = MeterDigitSet.Load(DataDir, Log);
        var counts = all.FamilyCounts();
        Log?.WriteLine("meter families: " + string.Join(", ", counts.OrderByDescending(kv => kv.Value).Where(kv => kv.Value >= RareFamilyWindows).Select(kv => $"{kv.Key} {kv.Value}"))
            + $", {MeterDigitSet.RareFamily} {counts.Values.Where(v => v < RareFamilyWindows).Sum()} (in {counts.Count(kv => kv.Value < RareFamilyWindows)} families)");
        var (test, rest) = all.SplitByFamily(HoldOut.ToHashSet(), RareFamilyWindows);
        var (validation, train) = rest.SplitBySeriesOrFamily(Validate.ToHashSet(StringComparer.Ordinal), RareFamilyWindows);
        Log?.WriteLine($"meter windows: {train.Count:N0} training, {validation.Count:N0} validation (series or families {string.Join(", ", Validate)}), {test.Count:N0} test (families {string.Join(", ", HoldOut)})");

        var trainSet = train.Windows;
        foreach (var (extraDir, extra) in extras)
        {
            trainSet = DigitSet.Concat(trainSet, extra.Windows);
            Log?.WriteLine($"extra meter windows: {extra.Count:N0} from {extraDir} (training only)");
        }
        var extraCount = extras.Sum(e => e.Set.Count);
        if (Synthetic > 0)
        {
            var sw = Stopwatch.StartNew();
            trainSet = DigitSet.Concat(trainSet, new MeterWindowSynth { LcdFraction = LcdFraction, MaxGhost = MaxGhost }.Generate(Synthetic, SyntheticSplit.Train, Options.Seed));
            Log?.WriteLine($"generated {Synthetic:N0} synthetic meter windows (training fonts) in {sw.Elapsed.TotalSeconds:F0}s");
        }
        var trainer = new ModelTrainer(Options, TenthsDecoder.ClassLabels) { Log = Log, Augmenter = Augmenter(Options.Augment, Options.DomainAugment), TargetSpread = TenthsSpread(TenthsSigma) };
        Log?.WriteLine($"model: {Options.Architecture}: {trainer.Network.Macs:N0} MACs, {trainer.Network.ParameterCount:N0} parameters");
        var fit = trainer.Fit(trainSet, null, cancel);

        JsonObject? validationRun = null;
        var decoder = Decoder ?? new TenthsDecoder();
        if (DecoderFrom is not null) (decoder, validationRun) = ReadValidationRun(DecoderFrom);
        MeterScore? validationScore = null, testScore = null;
        if (validation.Count > 0)
        {
            (decoder, validationScore) = MeterScore.Choose(Probabilities(trainer.Network, validation.Windows), validation.Windows.Labels, decoder);
            Log?.WriteLine($"validation ({validation.Count:N0} windows): chose tolerance {decoder.CleanTolerance}, threshold {decoder.ConfidenceThreshold}: {validationScore}");
        }
        if (test.Count > 0)
        {
            testScore = MeterScore.Of(Probabilities(trainer.Network, test.Windows), test.Windows.Labels, decoder);
            Log?.WriteLine($"test meters ({test.Count:N0} windows, not used to choose), tolerance {decoder.CleanTolerance}, threshold {decoder.ConfidenceThreshold}: {testScore}");
            foreach (var family in HoldOut)
            {
                var part = test.SplitByFamily([family], RareFamilyWindows).Selected;
                Log?.WriteLine($"  {family}: {MeterScore.Of(Probabilities(trainer.Network, part.Windows), part.Windows.Labels, decoder)}");
            }
        }
        if (OutPath is not null) WriteModel(trainer.Network, fit, decoder, validationScore, testScore, validationRun, train.Count, extraCount, validation.Count, test.Count, watch.Elapsed.TotalSeconds);
        return new MeterTrainJobResult(trainer.Network, validationScore, testScore, decoder, train.Count, validation.Count, test.Count, watch.Elapsed.TotalSeconds);
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

    /// <summary>The decoder settings a validation run chose, and its command and figures for this model's metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not a meter model's metadata, or its settings were not chosen on validation series.</exception>
    private static (TenthsDecoder Decoder, JsonObject Run) ReadValidationRun(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: no validation run metadata (run the validation command first)");
        var meta = ModelMetadata.Load(path);
        if (meta.Kind != ModelMetadata.MeterTenthsKind || meta.CleanTolerance is not { } tolerance)
            throw new InvalidDataException($"{path}: not a meter model's metadata (kind '{meta.Kind}', no cleanTolerance)");
        if (meta.Metrics?["validationSeriesFp32"] is not JsonObject validation)
            throw new InvalidDataException($"{path}: its decoder settings were not chosen on validation series (no metrics.validationSeriesFp32)");
        var run = new JsonObject
        {
            ["note"] = "validation run of the same recipe: trained without the validation series and the test families; decoder settings chosen on the validation series, test families never used to choose",
            ["metadata"] = path,
            ["command"] = meta.Training?["command"]?.DeepClone(),
            ["validationSeries"] = meta.Training?["data"]?["validationSeries"]?.DeepClone(),
            ["validationFp32"] = validation.DeepClone(),
            ["testFp32"] = meta.Metrics?["heldOutMetersFp32"]?.DeepClone(),
        };
        var confidence = meta.ConfidenceMeasure is { } measure ? TenthsDecoder.ConfidenceNames[measure] : TenthsConfidence.Mass;
        return (new TenthsDecoder { CleanTolerance = tolerance, ConfidenceThreshold = meta.ConfidenceThreshold, Confidence = confidence }, run);
    }

    private void WriteModel(Network network, TrainResult fit, TenthsDecoder decoder, MeterScore? validationScore, MeterScore? testScore, JsonObject? validationRun, int trainCount, int extraCount, int valCount, int testCount, double seconds)
    {
        var path = OutPath!;
        OnnxExporter.Export(network, path, $"EdgeDigits meter wheel model ({Options.Architecture}), tenths of a digit");
        var metrics = new JsonObject
        {
            ["macsPerWindow"] = network.Macs,
            ["parameters"] = network.ParameterCount,
            ["fileBytes"] = new FileInfo(path).Length,
        };
        if (validationScore is not null) metrics["validationSeriesFp32"] = validationScore.ToJson();
        if (testScore is not null) metrics["heldOutMetersFp32"] = testScore.ToJson();
        if (validationRun is not null) metrics["heldOutMetersValidation"] = validationRun;
        var meta = new ModelMetadata
        {
            Name = Path.GetFileNameWithoutExtension(ModelMetadata.PathFor(path)),
            Kind = ModelMetadata.MeterTenthsKind,
            Classes = TenthsDecoder.ClassLabels,
            ConfidenceThreshold = decoder.ConfidenceThreshold,
            CleanTolerance = decoder.CleanTolerance,
            ConfidenceMeasure = TenthsDecoder.NameOf(decoder.Confidence),
            Training = new JsonObject
            {
                ["command"] = Command,
                ["recipe"] = Options.ToJson(),
                ["tenthsSigma"] = TenthsSigma,
                ["data"] = new JsonObject
                {
                    ["meterWindows"] = DataDir,
                    ["heldOutFamilies"] = new JsonArray(HoldOut.Select(h => (JsonNode)h).ToArray()),
                    ["validationSeries"] = new JsonArray(Validate.Select(h => (JsonNode)h).ToArray()),
                    ["trainWindows"] = trainCount,
                    ["extraDirs"] = new JsonArray(ExtraDirs.Select(d => (JsonNode)d).ToArray()),
                    ["extraWindows"] = extraCount,
                    ["syntheticWindows"] = Synthetic,
                    ["syntheticLcdFraction"] = LcdFraction,
                    ["syntheticMaxGhost"] = MaxGhost,
                    ["validationWindows"] = valCount,
                    ["heldOutWindows"] = testCount,
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
