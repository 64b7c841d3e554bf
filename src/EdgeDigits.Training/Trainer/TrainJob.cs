using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Models;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Onnx;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Trainer;

/// <summary>Result of one fold of a cross-validation.</summary>
public sealed record FoldResult(int Fold, double ValidationAccuracy, double Seconds);

/// <summary>What a <see cref="TrainJob"/> did: the trained network (none for cross-validation), figures, fold results.</summary>
public sealed record TrainJobResult(Network? Network, string[] Classes, IReadOnlyList<EpochStats> History, double Seconds,
    double? TestAccuracy, IReadOnlyList<FoldResult> Folds, int TrainCount, int ValidationCount);

/// <summary>
/// The whole <c>edgedigits train</c> run as a library service: load MNIST (+ extra folder data with
/// MNIST replay), split, train (or K-fold cross-validate), test, and write the ONNX model with its
/// metadata.
/// </summary>
public sealed class TrainJob
{
    /// <summary>Folder with the MNIST IDX files.</summary>
    public required string DataDir { get; init; }

    /// <summary>Folder datasets (<c>DIR/&lt;label&gt;/*.png</c>) or folders of labeled inks (<c>DIR/*.json</c>) joined to MNIST.</summary>
    public IReadOnlyList<string> ExtraDirs { get; init; } = [];

    /// <summary>Extra ready-made sets (e.g. synthetic printed digits), joined like folder data.</summary>
    public IReadOnlyList<(string Name, DigitSet Set)> ExtraSets { get; init; } = [];

    /// <summary>Synthetic printed and 7-segment training digits (training fonts) to add; 0 = none.</summary>
    public int Synthetic { get; init; }

    /// <summary>Synthetic "not a digit" crops (class <c>none</c>) to add; 0 = none, and the model has 10 classes.</summary>
    public int NotDigits { get; init; }

    /// <summary>Crops of inks traced from MNIST training digits, rasterized as the device reads an ink; 0 = none.</summary>
    public int InkDigits { get; init; }

    /// <summary>Crops cut by the frame pipeline from images composed of MNIST training digits; 0 = none.</summary>
    public int PipelineDigits { get; init; }

    /// <summary>Folder with the UCI pen-digit files (<c>edgedigits data fetch pendigits</c>), or null: their digits are rendered as the device reads an ink.</summary>
    public string? PenDir { get; init; }

    /// <summary>Writers whose pen digits are used for training (the rest stay held out for evaluation).</summary>
    public WriterRange PenWriters { get; init; } = WriterRange.Parse(DefaultPenWriters);

    /// <summary>The training writers when none are given: 25-30 stay held out for <c>edgedigits eval --pen</c>.</summary>
    public const string DefaultPenWriters = "1-24";

    /// <summary>Crops per pen digit: the first as written, the rest with stroke jitter.</summary>
    public int PenCopies { get; init; } = 1;

    /// <summary>Held-out synthetic digits and non-digits (test fonts, test random stream) scored after training when synthetic data is used.</summary>
    public int SyntheticTest { get; init; } = 2000;

    /// <summary>MNIST images replayed alongside extra data (null = all of MNIST).</summary>
    public int? Replay { get; init; }

    /// <summary>Use only the first N MNIST training images (quick runs, tuning).</summary>
    public int? Limit { get; init; }

    /// <summary>Fraction of the training data held out for validation (stratified).</summary>
    public double ValidationFraction { get; init; }

    /// <summary>K for K-fold cross-validation (0 = plain training).</summary>
    public int Folds { get; init; }

    /// <summary>The recipe.</summary>
    public required TrainOptions Options { get; init; }

    /// <summary>Checkpoint folder (last.ckpt after every epoch), or null.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>A checkpoint (file, or folder holding last.ckpt) to resume, or null.</summary>
    public string? ResumePath { get; init; }

    /// <summary>A checkpoint or fp32 ONNX model whose weights start the training (fine-tuning), or null.</summary>
    public string? InitPath { get; init; }

    /// <summary>Where to write the ONNX model (metadata goes beside it), or null.</summary>
    public string? OutPath { get; init; }

    /// <summary>The command line that started the job, recorded in the metadata.</summary>
    public string Command { get; init; } = "";

    /// <summary>Progress and summaries (standard error for the CLI), or null.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Runs the job.</summary>
    /// <exception cref="DirectoryNotFoundException">A data folder is missing.</exception>
    /// <exception cref="FileNotFoundException">A data, checkpoint or model file is missing.</exception>
    /// <exception cref="InvalidDataException">Data or a checkpoint is malformed, or a set is empty.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public TrainJobResult Run(CancellationToken cancel = default)
    {
        Options.Validate();
        if (ValidationFraction is < 0 or >= 1 || double.IsNaN(ValidationFraction)) throw new ArgumentException($"--val-split must be within [0,1) (got {ValidationFraction})");
        if (Folds is 1 or < 0 or > 20) throw new ArgumentException($"--folds must be 0 (off) or 2..20 (got {Folds})");
        if (Limit is < 1) throw new ArgumentException($"--limit must be at least 1 (got {Limit})");
        if (Replay is < 0) throw new ArgumentException($"--replay must not be negative (got {Replay})");
        if (ResumePath is not null && InitPath is not null) throw new ArgumentException("--resume and --init cannot be combined");
        if (ResumePath is not null && Folds > 0) throw new ArgumentException("--resume cannot be combined with --folds");

        var watch = Stopwatch.StartNew();
        var mnist = Mnist.Load(DataDir, MnistSplit.Train, Limit);
        if (mnist.Count == 0) throw new InvalidDataException($"{DataDir}: the MNIST training set is empty");
        if (Synthetic < 0 || NotDigits < 0 || SyntheticTest < 0) throw new ArgumentException("--synthetic, --none and --synthetic-test must not be negative");
        if (InkDigits < 0 || PipelineDigits < 0) throw new ArgumentException("--ink and --pipeline must not be negative");
        var extras = ExtraDirs.Select(d => (Name: d, Set: LoadExtra(d))).Concat(ExtraSets).ToList();
        SyntheticDigits? generator = null;
        if (Synthetic > 0 || NotDigits > 0)
        {
            var gw = Stopwatch.StartNew();
            generator = new SyntheticDigits();
            if (Synthetic > 0) extras.Add(("synthetic printed/7-segment digits", generator.Generate(Synthetic, SyntheticSplit.Train, Options.Seed)));
            if (NotDigits > 0) extras.Add(("synthetic not-a-digit crops", new NotDigitGenerator(generator).Generate(NotDigits, SyntheticSplit.Train, Options.Seed)));
            Log?.WriteLine($"generated {Synthetic} synthetic digits and {NotDigits} non-digits in {gw.Elapsed.TotalSeconds:F0}s");
        }
        if (InkDigits > 0 || PipelineDigits > 0)
        {
            // Source digits are the MNIST training split only: the test split stays held out.
            var gw = Stopwatch.StartNew();
            if (InkDigits > 0) extras.Add(("MNIST-train inks traced and rasterized", DeviceInputDigits.Inks(mnist, InkDigits, SyntheticSplit.Train, Options.Seed)));
            if (PipelineDigits > 0) extras.Add(("MNIST-train digits cut from composed images by the frame pipeline", DeviceInputDigits.Pipeline(mnist, PipelineDigits, SyntheticSplit.Train, Options.Seed)));
            Log?.WriteLine($"generated {InkDigits} ink crops and {PipelineDigits} frame-pipeline crops in {gw.Elapsed.TotalSeconds:F0}s");
        }
        int penCrops = 0;
        if (PenDir is not null)
        {
            if (PenCopies < 1) throw new ArgumentException($"--pen-copies must be at least 1 (got {PenCopies})");
            var gw = Stopwatch.StartNew();
            var pen = PenDigitCrops.OfWriters(PenDigitsFiles.Load(PenDir), PenWriters, PenDir);
            var crops = PenDigitCrops.Render(pen, PenCopies, Options.Seed, out int skipped);
            penCrops = crops.Count;
            extras.Add(($"pen digits of writers {PenWriters} in {PenDir} rendered as the device reads an ink ({PenCopies} per digit)", crops));
            Log?.WriteLine($"rendered {crops.Count} crops of {pen.Count} pen digits (writers {PenWriters}, {PenCopies} per digit; {skipped} left out: the ink grouping did not see one digit) in {gw.Elapsed.TotalSeconds:F0}s");
        }
        foreach (var (name, set) in extras)
            if (set.Count == 0) throw new InvalidDataException($"{name}: no images");
        var classes = DigitSet.DigitClasses.ToList();
        if (extras.Any(e => e.Set.ClassNames.Contains(DigitSet.NoneClass))) classes.Add(DigitSet.NoneClass);
        // Fine-tuning keeps the initial model's outputs (e.g. its "none" class) even when the new
        // data does not use all of them.
        var initClasses = InitialClasses();
        if (initClasses is not null && classes.All(initClasses.Contains)) classes = initClasses.ToList();
        foreach (var (name, set) in extras)
            foreach (var c in set.ClassNames)
                if (!classes.Contains(c)) throw new InvalidDataException($"{name}: class '{c}' is neither a digit nor '{DigitSet.NoneClass}'");

        var replay = mnist;
        if (Replay is { } r && r < mnist.Count) replay = mnist.Shuffle(Options.Seed).Subset(0, r);
        var all = DigitSet.Concat([replay.WithClasses(classes), .. extras.Select(e => e.Set.WithClasses(classes))]);
        Log?.WriteLine($"data: {replay.Count} MNIST" + string.Concat(extras.Select(e => $" + {e.Set.Count} from {e.Name}")) + $", classes [{string.Join(",", classes)}]");

        var cls = classes.ToArray();
        if (Folds > 0) return CrossValidate(all, cls, watch, cancel);

        DigitSet train = all, validation = DigitSet.Empty(cls);
        if (ValidationFraction > 0) (train, validation) = all.Split(1 - ValidationFraction, Options.Seed);
        var trainer = new ModelTrainer(Options, cls) { CheckpointDir = CheckpointDir, Log = Log };
        Log?.WriteLine($"model: {Options.Architecture} width {Options.Width}: {trainer.Network.Macs:N0} MACs, {trainer.Network.ParameterCount:N0} parameters; {train.Count} training / {validation.Count} validation images, {Options.Threads} threads");
        if (ResumePath is not null)
        {
            var path = Directory.Exists(ResumePath) ? Path.Combine(ResumePath, "last.ckpt") : ResumePath;
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: checkpoint not found", path);
            var ck = Checkpoint.Load(path);
            if (ck.Options with { Epochs = Options.Epochs } != Options)
                Log?.WriteLine($"warning: {path} was made with a different recipe; continuing with the checkpoint's weights and this command's recipe");
            trainer.Resume(ck);
            Log?.WriteLine($"resumed from {path} after epoch {ck.Epoch}");
        }
        if (InitPath is not null) InitializeFrom(trainer, InitPath, train);
        var result = trainer.Fit(train, validation.Count > 0 ? validation : null, cancel);

        double? testAcc = null;
        if (Mnist.Exists(DataDir, MnistSplit.Test))
        {
            var test = Mnist.Load(DataDir, MnistSplit.Test).WithClasses(cls);
            testAcc = ModelTrainer.Evaluate(trainer.Network, test).Accuracy;
            Log?.WriteLine($"MNIST test accuracy (fp32, managed): {testAcc * 100:F2}%");
        }
        var synthMetrics = generator is not null && SyntheticTest > 0 ? ScoreSynthetic(trainer.Network, cls, generator) : null;
        if (OutPath is not null) WriteModel(trainer.Network, cls, result, testAcc, synthMetrics, train.Count, validation.Count, extras.Select(e => $"{e.Name} ({e.Set.Count})").ToArray(), replay.Count, penCrops, watch.Elapsed.TotalSeconds);
        return new TrainJobResult(trainer.Network, cls, result.History, watch.Elapsed.TotalSeconds, testAcc, [], train.Count, validation.Count);
    }

    /// <summary>
    /// Scores the fp32 network on held-out synthetic data (test fonts, test random stream):
    /// printed and 7-segment accuracy, and how often a non-digit crop is read as a digit.
    /// </summary>
    private JsonObject ScoreSynthetic(Network network, string[] classes, SyntheticDigits generator)
    {
        var seed = Options.Seed + 1000;
        var result = new JsonObject { ["syntheticTestSeed"] = seed };
        foreach (var style in new[] { DigitStyle.Printed, DigitStyle.SevenSegment })
        {
            var set = generator.Generate(SyntheticTest, SyntheticSplit.Test, seed, style).WithClasses(classes);
            var acc = ModelTrainer.Evaluate(network, set).Accuracy;
            var key = style == DigitStyle.Printed ? "printedTestAccuracyFp32" : "sevenSegmentTestAccuracyFp32";
            result[key] = Math.Round(acc, 5);
            Log?.WriteLine($"synthetic {style} test digits (held-out fonts, {set.Count}): {acc * 100:F2}% (fp32, managed)");
        }
        var noneIndex = Array.IndexOf(classes, DigitSet.NoneClass);
        if (noneIndex >= 0)
        {
            var none = new NotDigitGenerator(generator).Generate(SyntheticTest, SyntheticSplit.Test, seed).WithClasses(classes);
            var (_, preds) = ModelTrainer.Evaluate(network, none);
            var invented = preds.Count(p => p != noneIndex) / (double)preds.Length;
            result["notDigitReadAsDigitFp32"] = Math.Round(invented, 5);
            Log?.WriteLine($"synthetic not-a-digit test crops ({none.Count}): read as a digit {invented * 100:F2}% of the time (fp32, managed)");
        }
        return result;
    }

    private TrainJobResult CrossValidate(DigitSet all, string[] classes, Stopwatch watch, CancellationToken cancel)
    {
        var folds = all.Folds(Folds, Options.Seed);
        var results = new List<FoldResult>();
        for (var f = 0; f < folds.Count; f++)
        {
            var fw = Stopwatch.StartNew();
            Log?.WriteLine($"fold {f + 1}/{folds.Count}: {folds[f].Train.Count} training / {folds[f].Validation.Count} validation images");
            var trainer = new ModelTrainer(Options, classes) { Log = Log };
            if (InitPath is not null) InitializeFrom(trainer, InitPath, folds[f].Train);
            trainer.Fit(folds[f].Train, null, cancel);
            var acc = ModelTrainer.Evaluate(trainer.Network, folds[f].Validation).Accuracy;
            results.Add(new FoldResult(f + 1, acc, fw.Elapsed.TotalSeconds));
            Log?.WriteLine($"fold {f + 1}: validation accuracy {acc * 100:F2}%");
        }
        var (mean, sd) = MeanSd(results.Select(r => r.ValidationAccuracy).ToArray());
        Log?.WriteLine($"{Folds}-fold cross-validation: {mean * 100:F2}% ± {sd * 100:F2}% (mean ± sd)");
        return new TrainJobResult(null, classes, [], watch.Elapsed.TotalSeconds, null, results, all.Count, 0);
    }

    /// <summary>An <c>--extra</c> folder: labeled inks (<c>DIR/*.json</c>, e.g. the kiosk's ink corrections) or a folder dataset (<c>DIR/&lt;label&gt;/*.png</c>).</summary>
    private DigitSet LoadExtra(string dir)
    {
        if (!InkFolderDataset.LooksLikeInkFolder(dir)) return FolderDataset.Load(dir);
        var set = InkFolderDataset.Load(dir, out var skipped);
        Log?.WriteLine($"{dir}: {set.Count} digit crops from labeled inks ({skipped} inks left out: grouped into another number of digits than their label has)");
        return set;
    }

    /// <summary>Mean and sample standard deviation.</summary>
    public static (double Mean, double Sd) MeanSd(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return (double.NaN, double.NaN);
        var mean = values.Average();
        var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, sd);
    }

    private string[]? InitialClasses()
    {
        if (InitPath is null || !File.Exists(InitPath)) return null;
        if (Checkpoint.IsCheckpoint(InitPath)) return Checkpoint.Load(InitPath).Classes;
        return ModelMetadata.LoadFor(InitPath).Classes;
    }

    private void InitializeFrom(ModelTrainer trainer, string path, DigitSet data)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: initial model not found", path);
        if (Checkpoint.IsCheckpoint(path))
        {
            trainer.InitializeFrom(Checkpoint.Load(path));
        }
        else
        {
            OnnxImporter.LoadInto(trainer.Network, path, trainer.Classes, data);
        }
        Log?.WriteLine($"initialized from {path}");
    }

    private void WriteModel(Network network, string[] classes, TrainResult result, double? testAcc, JsonObject? synthMetrics, int trainCount, int valCount, string[] extraNames, int mnistCount, int penCrops, double seconds)
    {
        var path = OutPath!;
        OnnxExporter.Export(network, path, $"EdgeDigits digit classifier ({Options.Architecture}, width {Options.Width})");
        var training = new JsonObject
        {
            ["command"] = Command,
            ["recipe"] = Options.ToJson(),
            ["data"] = new JsonObject
            {
                ["mnistTrainImages"] = mnistCount,
                ["extra"] = new JsonArray(extraNames.Select(n => (JsonNode)n).ToArray()),
                ["trainImages"] = trainCount,
                ["validationImages"] = valCount,
                ["validationFraction"] = ValidationFraction,
                ["syntheticDigits"] = Synthetic,
                ["syntheticNotDigits"] = NotDigits,
                ["inkDigits"] = InkDigits,
                ["pipelineDigits"] = PipelineDigits,
                ["penDigits"] = PenDir is null ? null : new JsonObject
                {
                    ["source"] = "UCI pen-based handwritten digits, original trajectories (data set 81, CC BY 4.0)",
                    ["dir"] = PenDir,
                    ["writers"] = PenWriters.ToString(),
                    ["copiesPerDigit"] = PenCopies,
                    ["crops"] = penCrops,
                },
            },
            ["epochs"] = new JsonArray(result.History.Select(h => (JsonNode)new JsonObject
            {
                ["epoch"] = h.Epoch,
                ["loss"] = Math.Round(h.Loss, 5),
                ["trainAccuracy"] = Math.Round(h.TrainAccuracy, 5),
                ["validationAccuracy"] = h.ValidationAccuracy is { } v ? Math.Round(v, 5) : null,
                ["seconds"] = Math.Round(h.Seconds, 1),
            }).ToArray()),
            ["seconds"] = Math.Round(seconds, 1),
            // CPU time of the whole process: on a shared machine the wall time mostly measures the neighbours.
            ["cpuSeconds"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 1),
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            ["init"] = InitPath,
        };
        var metrics = new JsonObject
        {
            ["macsPerDigit"] = network.Macs,
            ["parameters"] = network.ParameterCount,
            ["fileBytes"] = new FileInfo(path).Length,
        };
        if (testAcc is { } t) metrics["mnistTestAccuracyFp32"] = Math.Round(t, 5);
        if (synthMetrics is not null)
            foreach (var (k, v) in synthMetrics) metrics[k] = v?.DeepClone();
        var meta = new ModelMetadata
        {
            Name = Path.GetFileNameWithoutExtension(ModelMetadata.PathFor(path)),
            Classes = classes,
            RejectClass = classes.Contains(DigitSet.NoneClass) ? DigitSet.NoneClass : null,
            Training = training,
            Metrics = metrics,
        };
        var metaPath = ModelMetadata.PathFor(path);
        meta.Save(metaPath);
        Log?.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes) and {metaPath}");
    }

    /// <summary>Formats a fraction as a percentage with two decimals (invariant culture).</summary>
    public static string Percent(double v) => (v * 100).ToString("F2", CultureInfo.InvariantCulture) + "%";
}
