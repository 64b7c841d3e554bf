using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Models;
using EdgeDigits.Training.Augmentation;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Onnx;

namespace EdgeDigits.Training.Trainer;

/// <summary>What a <see cref="PenSequenceTrainJob"/> did.</summary>
/// <param name="Network">The trained network.</param>
/// <param name="History">Per-epoch figures (validation accuracy of the sequence model alone, on the digits as written).</param>
/// <param name="TrainCount">Training digits.</param>
/// <param name="ValidationCount">Validation digits.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record PenSequenceTrainResult(Network Network, IReadOnlyList<EpochStats> History, int TrainCount, int ValidationCount, double Seconds);

/// <summary>
/// <c>edgedigits train --sequence --pen DIR</c>: trains the ink sequence model (<see cref="ModelMetadata.InkSequenceKind"/>)
/// on real pen digits of some writers, each epoch a fresh stroke-level variation of every digit
/// (<see cref="PenStrokeAugmenter"/>), read as Core's <see cref="InkSequenceFeatures"/> (exactly what the device feeds it);
/// validates on other writers (never a random split) and writes the fp32 ONNX model with its metadata.
/// </summary>
public sealed class PenSequenceTrainJob
{
    /// <summary>The writer number given to digits of labeled ink folders (<see cref="ExtraInkDirs"/>).</summary>
    public const int CorrectionWriter = -1;

    /// <summary>Chance that a training digit is used as written, without stroke variation.</summary>
    public const float AsWrittenFraction = 0.2f;

    /// <summary>Folder with the UCI pen-digit files.</summary>
    public required string PenDir { get; init; }

    /// <summary>Writers trained on.</summary>
    public required WriterRange TrainWriters { get; init; }

    /// <summary>Writers validated on after each epoch (their digits as written), or null.</summary>
    public WriterRange? ValidationWriters { get; init; }

    /// <summary>
    /// MNIST training digits traced into single-digit inks (<see cref="Core.Synthesis.InkTracer"/>) added to the pen digits, or 0:
    /// the tracer's stroke order is not a person's, but the device also meets inks like them (the traced-ink tests).
    /// </summary>
    public int TracedDigits { get; init; }

    /// <summary>
    /// Folders of labeled inks (the kiosk's ink corrections, <see cref="InkFolderDataset"/>) added to the training digits:
    /// each ink is grouped into digits as the device groups it and each digit's strokes are trained on as a digit of writer -1.
    /// </summary>
    public IReadOnlyList<string> ExtraInkDirs { get; init; } = [];

    /// <summary>MNIST folder the traced digits come from (its training split).</summary>
    public string MnistDir { get; init; } = Path.Combine("data", "mnist");

    /// <summary>Points per ink (the model's input length).</summary>
    public int Length { get; init; } = InkSequenceFeatures.DefaultLength;

    /// <summary>The recipe (<see cref="TrainOptions.Architecture"/> is a sequence architecture, <see cref="Network.FromSequenceSpec"/>).</summary>
    public required TrainOptions Options { get; init; }

    /// <summary>The stroke variations; <see cref="TrainOptions.Augment"/> 0 turns them off.</summary>
    public PenStrokeAugmenter Augmenter { get; init; } = PenStrokeAugmenter.Default;

    /// <summary>Where to write the fp32 ONNX model (metadata beside it), or null.</summary>
    public string? OutPath { get; init; }

    /// <summary>The command line, recorded in the metadata.</summary>
    public string Command { get; init; } = "";

    /// <summary>Progress and summaries, or null.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Runs the job.</summary>
    /// <exception cref="DirectoryNotFoundException">The pen folder is missing.</exception>
    /// <exception cref="InvalidDataException">Bad pen files, no digits by those writers, or writers in both sets.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public PenSequenceTrainResult Run(CancellationToken cancel = default)
    {
        var o = Options;
        ValidateOptions(o);
        ArgumentOutOfRangeException.ThrowIfNegative(TracedDigits);
        if (ValidationWriters is { } vw && vw.Writers.Any(TrainWriters.Contains))
            throw new InvalidDataException($"writers {TrainWriters} and validation writers {vw} overlap: validate on other writers");
        var watch = Stopwatch.StartNew();
        var all = PenDigitsFiles.Load(PenDir);
        var train = PenDigitCrops.OfWriters(all, TrainWriters, PenDir);
        int penCount = train.Count;
        if (TracedDigits > 0) train = [.. train, .. Traced(TracedDigits)];
        int extraCount = 0;
        foreach (var dir in ExtraInkDirs)
        {
            if (Directory.Exists(dir) && !InkFolderDataset.LooksLikeInkFolder(dir))
                throw new InvalidDataException($"{dir}: not a folder of labeled inks (DIR/*.json): the sequence model learns from pen strokes, not images");
            var inks = InkFolderDataset.LoadDigitInks(dir, out int skipped);
            train = [.. train, .. inks.Select((d, i) => new PenDigit(d.Ink, d.Digit, CorrectionWriter, i))];
            extraCount += inks.Count;
            Log?.WriteLine($"{dir}: {inks.Count:N0} digits from labeled inks" + (skipped > 0 ? $" ({skipped} inks grouped into another number of digits than their label, left out)" : ""));
        }
        var validation = ValidationWriters is null ? [] : PenDigitCrops.OfWriters(all, ValidationWriters, PenDir);
        var net = Network.FromSequenceSpec(o.Architecture, InkSequenceFeatures.Channels, Length, DigitSet.DigitClasses.Count, o.Dropout, o.Width, o.Threads, o.Seed);
        Log?.WriteLine($"pen digits: {penCount:N0} of writers {TrainWriters} for training, {validation.Count:N0} of writers {ValidationWriters?.ToString() ?? "-"} for validation"
            + (TracedDigits > 0 ? $"; {TracedDigits:N0} MNIST training digits traced into inks" : "")
            + (extraCount > 0 ? $"; {extraCount:N0} digits of labeled inks" : ""));
        Log?.WriteLine($"model: {o.Architecture} over [{InkSequenceFeatures.Channels},1,{Length}]: {net.Macs:N0} MACs, {net.ParameterCount:N0} parameters");
        var optimizer = Optimizer.Create(o.Optimizer, net.Parameters, o.WeightDecay);
        var valInput = Features(validation, augment: false, epoch: 0);
        int size = InkSequenceFeatures.Channels * Length, classes = DigitSet.DigitClasses.Count;
        var labels = new int[o.BatchSize];
        var grad = new float[o.BatchSize * classes];
        int batches = (train.Count + o.BatchSize - 1) / o.BatchSize;
        long totalSteps = (long)batches * o.Epochs;
        net.EnsureCapacity(Math.Max(o.BatchSize, 256));
        var history = new List<EpochStats>();
        for (int epoch = 0; epoch < o.Epochs; epoch++)
        {
            var ew = Stopwatch.StartNew();
            var order = DigitSet.Permutation(train.Count, SplitMix.Seed(o.Seed, epoch, 0x5EED));
            var shuffled = order.Select(i => train[i]).ToArray();
            var input = Features(shuffled, augment: o.Augment > 0, epoch);
            double lossSum = 0;
            long correct = 0;
            float lr = 0;
            for (int b = 0; b < batches; b++)
            {
                cancel.ThrowIfCancellationRequested();
                int start = b * o.BatchSize, n = Math.Min(o.BatchSize, train.Count - start);
                for (int i = 0; i < n; i++) labels[i] = shuffled[start + i].Digit;
                net.SeedDropout(SplitMix.Seed(o.Seed, epoch, b));
                var logits = net.Forward(input.AsSpan(start * size, n * size), n, training: true);
                float loss = SoftmaxCrossEntropy.Compute(logits, labels.AsSpan(0, n), classes, o.LabelSmoothing, grad, out int ok);
                if (!float.IsFinite(loss)) throw new InvalidOperationException($"training diverged (loss {loss}) at epoch {epoch + 1}, batch {b + 1}; lower --lr");
                net.Backward(grad.AsSpan(0, n * classes));
                lr = LearningRateSchedule.At(o.Schedule, o.LearningRate, (long)epoch * batches + b, totalSteps);
                optimizer.Step(lr);
                lossSum += loss * n;
                correct += ok;
            }
            double? val = validation.Count > 0 ? Accuracy(net, valInput, validation) : null;
            var stats = new EpochStats(epoch + 1, lossSum / train.Count, (double)correct / train.Count, val, ew.Elapsed.TotalSeconds, lr);
            history.Add(stats);
            Log?.WriteLine($"epoch {stats.Epoch}/{o.Epochs} loss {stats.Loss:F4} train {stats.TrainAccuracy * 100:F2}%"
                + (val is { } v ? $" val {v * 100:F2}%" : "") + $" {stats.Seconds:F1}s");
        }
        if (OutPath is not null) WriteModel(net, history, train.Count, validation.Count, watch.Elapsed.TotalSeconds);
        return new PenSequenceTrainResult(net, history, train.Count, validation.Count, watch.Elapsed.TotalSeconds);
    }

    /// <summary><paramref name="count"/> MNIST training digits (a seeded sample) each traced into an ink of its own, as pen digits of writer 0.</summary>
    private List<PenDigit> Traced(int count)
    {
        var mnist = Mnist.Load(MnistDir, MnistSplit.Train);
        var pick = DigitSet.Permutation(mnist.Count, SplitMix.Seed(Options.Seed, 0x7AC)).Take(count).ToArray();
        var inks = new PenDigit[pick.Length];
        Parallel.For(0, pick.Length, new ParallelOptions { MaxDegreeOfParallelism = Options.Threads }, i =>
        {
            var rng = new Random(SplitMix.Seed(Options.Seed, i, 0x7AC));
            int label = mnist.Labels[pick[i]];
            inks[i] = new PenDigit(Core.Synthesis.InkTracer.Compose([mnist.Image(pick[i]).ToArray()], rng, label.ToString(System.Globalization.CultureInfo.InvariantCulture)), label, 0, i);
        });
        return inks.Where(d => d.Ink.Strokes.Count > 0).ToList();
    }

    private static void ValidateOptions(TrainOptions o)
    {
        // The image architecture check of TrainOptions.Validate does not apply; check the rest and the sequence architecture.
        (o with { Architecture = Network.DefaultSpec }).Validate();
        try { _ = Network.FromSequenceSpec(o.Architecture, InkSequenceFeatures.Channels, InkSequenceFeatures.DefaultLength, 10, o.Dropout, o.Width); }
        catch (ArgumentException ex) { throw new ArgumentException($"--arch: {ex.Message}"); }
    }

    /// <summary>The features of every digit (varied when <paramref name="augment"/>, seeded by digit and epoch), back to back.</summary>
    private float[] Features(IReadOnlyList<PenDigit> digits, bool augment, int epoch)
    {
        int size = InkSequenceFeatures.Channels * Length;
        var input = new float[digits.Count * size];
        Parallel.For(0, digits.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.Threads }, () => new InkSequenceFeatures(Length), (i, _, f) =>
        {
            var d = digits[i];
            var ink = d.Ink;
            if (augment)
            {
                var rng = new Random(SplitMix.Seed(Options.Seed, epoch, d.Writer * 100_000L + d.Index * 10L + d.Digit));
                if (rng.NextDouble() >= AsWrittenFraction) ink = Augmenter.Apply(ink, rng);
            }
            f.Extract(ink, input.AsSpan(i * size, size));
            return f;
        }, _ => { });
        return input;
    }

    private static double Accuracy(Network net, float[] input, IReadOnlyList<PenDigit> digits)
    {
        int size = net.InputShape.Size, classes = net.Outputs, correct = 0;
        const int batch = 256;
        for (int start = 0; start < digits.Count; start += batch)
        {
            int n = Math.Min(batch, digits.Count - start);
            var logits = net.Forward(input.AsSpan(start * size, n * size), n, training: false);
            for (int i = 0; i < n; i++)
            {
                var z = logits.Slice(i * classes, classes);
                int arg = 0;
                for (int c = 1; c < classes; c++) if (z[c] > z[arg]) arg = c;
                if (arg == digits[start + i].Digit) correct++;
            }
        }
        return (double)correct / digits.Count;
    }

    private void WriteModel(Network network, IReadOnlyList<EpochStats> history, int trainCount, int valCount, double seconds)
    {
        var path = OutPath!;
        OnnxExporter.Export(network, path, $"EdgeDigits ink sequence model ({Options.Architecture}) over {Length} pen points");
        var metrics = new JsonObject
        {
            ["macsPerInk"] = network.Macs,
            ["parameters"] = network.ParameterCount,
            ["fileBytes"] = new FileInfo(path).Length,
        };
        if (history.Count > 0 && history[^1].ValidationAccuracy is { } v) metrics["validationWritersSinglesFp32SequenceAlone"] = Math.Round(v, 5);
        var meta = new ModelMetadata
        {
            Name = Path.GetFileNameWithoutExtension(ModelMetadata.PathFor(path)),
            Kind = ModelMetadata.InkSequenceKind,
            InputShape = [-1, InkSequenceFeatures.Channels, 1, Length],
            Classes = DigitSet.DigitClasses.ToArray(),
            Training = new JsonObject
            {
                ["command"] = Command,
                ["recipe"] = Options.ToJson(),
                ["data"] = new JsonObject
                {
                    ["pen"] = PenDir,
                    ["trainWriters"] = TrainWriters.ToString(),
                    ["validationWriters"] = ValidationWriters?.ToString(),
                    ["trainDigits"] = trainCount,
                    ["tracedMnistDigits"] = TracedDigits,
                    ["validationDigits"] = valCount,
                    ["augmentation"] = Options.Augment > 0 ? $"PenStrokeAugmenter.Default on {1 - AsWrittenFraction:P0} of the digits, fresh every epoch" : "none",
                },
                ["epochs"] = new JsonArray(history.Select(h => (JsonNode)h.ToJson()).ToArray()),
                ["seconds"] = Math.Round(seconds, 1),
                ["cpuSeconds"] = Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 1),
            },
            Metrics = metrics,
        };
        meta.Save(ModelMetadata.PathFor(path));
        Log?.WriteLine($"wrote {path} ({new FileInfo(path).Length:N0} bytes) and {ModelMetadata.PathFor(path)}");
    }
}
