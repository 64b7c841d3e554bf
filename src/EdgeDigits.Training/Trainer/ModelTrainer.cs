using System.Diagnostics;
using EdgeDigits.Training.Augmentation;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Nn;

namespace EdgeDigits.Training.Trainer;

/// <summary>Figures of one epoch.</summary>
public sealed record EpochStats(int Epoch, double Loss, double TrainAccuracy, double? ValidationAccuracy, double Seconds, float LearningRate)
{
    /// <summary>The figures as JSON for model metadata (accuracies to 5 places, seconds to 0.1; no validation entry when there was none).</summary>
    public System.Text.Json.Nodes.JsonObject ToJson() => new()
    {
        ["epoch"] = Epoch,
        ["loss"] = Math.Round(Loss, 5),
        ["trainAccuracy"] = Math.Round(TrainAccuracy, 5),
        ["validationAccuracy"] = ValidationAccuracy is { } v ? Math.Round(v, 5) : null,
        ["seconds"] = Math.Round(Seconds, 1),
    };
}

/// <summary>What <see cref="ModelTrainer.Fit"/> produced.</summary>
public sealed record TrainResult(Network Network, IReadOnlyList<EpochStats> History, double Seconds);

/// <summary>
/// Mini-batch training of a <see cref="Network"/> on <see cref="DigitSet"/>s with on-the-fly
/// augmentation. Every random choice derives from (seed, epoch, sample/batch index), so a run is
/// reproducible bit for bit for the same seed and thread count, including after a resume.
/// </summary>
public sealed class ModelTrainer
{
    /// <summary>Creates a trainer for the recipe <paramref name="options"/> and class list <paramref name="classes"/>.</summary>
    public ModelTrainer(TrainOptions options, IReadOnlyList<string> classes)
    {
        options.Validate();
        Options = options;
        Classes = classes.ToArray();
        Network = options.BuildNetwork(Classes.Length);
        Optimizer = Nn.Optimizer.Create(options.Optimizer, Network.Parameters, options.WeightDecay);
        Augmenter = new DigitAugmenter
        {
            Strength = options.Augment,
            Paper = options.DomainAugment > 0 ? new PaperAugmenter { Probability = options.DomainAugment } : null,
        };
    }

    /// <summary>The recipe.</summary>
    public TrainOptions Options { get; }

    /// <summary>Class labels in output order.</summary>
    public string[] Classes { get; }

    /// <summary>The network being trained.</summary>
    public Network Network { get; }

    /// <summary>Its optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The augmentation applied to training samples (default: <see cref="DigitAugmenter"/> at the recipe's strength).</summary>
    public DigitAugmenter Augmenter { get; init; }

    /// <summary>
    /// How each label's target spreads over its neighbouring classes on a circle (<see cref="SoftmaxCrossEntropy.Compute"/>'s
    /// <c>spread</c>, e.g. a meter wheel's neighbouring tenths); empty = one-hot. The recipe's label smoothing comes on top.
    /// </summary>
    public float[] TargetSpread { get; init; } = [];

    /// <summary>Epochs already completed (set by <see cref="Resume"/>).</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>Where to write <c>last.ckpt</c> after every epoch, or null.</summary>
    public string? CheckpointDir { get; init; }

    /// <summary>Stop (as if interrupted) once this many epochs are complete, or null to run the whole recipe.</summary>
    public int? StopAfterEpochs { get; init; }

    /// <summary>The network's profile, when one is attached: the trainer adds its data, loss and optimizer times to it.</summary>
    private TrainProfile? Profile => Network.Profile;

    /// <summary>Progress bar and per-epoch lines go here (standard error for the CLI), or null for silence.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Continues from <paramref name="checkpoint"/>: weights, statistics, optimizer state and epoch count.</summary>
    public void Resume(Checkpoint checkpoint)
    {
        if (!checkpoint.Classes.SequenceEqual(Classes))
            throw new InvalidDataException($"checkpoint classes [{string.Join(",", checkpoint.Classes)}] differ from [{string.Join(",", Classes)}]");
        checkpoint.Restore(Network, Optimizer);
        CompletedEpochs = checkpoint.Epoch;
    }

    /// <summary>Starts from the weights of <paramref name="checkpoint"/> (fine-tuning): optimizer and epochs start afresh.</summary>
    public void InitializeFrom(Checkpoint checkpoint)
    {
        if (!checkpoint.Classes.SequenceEqual(Classes))
            throw new InvalidDataException($"initial model classes [{string.Join(",", checkpoint.Classes)}] differ from [{string.Join(",", Classes)}]");
        checkpoint.Restore(Network);
    }

    /// <summary>Trains for the remaining epochs of the recipe; validates after each epoch when <paramref name="validation"/> is given.</summary>
    /// <exception cref="ArgumentException">The training set is empty or its classes differ.</exception>
    public TrainResult Fit(DigitSet train, DigitSet? validation = null, CancellationToken cancel = default)
    {
        if (train.Count == 0) throw new ArgumentException("the training set is empty");
        CheckClasses(train, "training");
        if (validation is not null) CheckClasses(validation, "validation");
        var o = Options;
        var batches = (train.Count + o.BatchSize - 1) / o.BatchSize;
        long totalSteps = (long)batches * o.Epochs;
        var history = new List<EpochStats>();
        var input = new float[o.BatchSize * DigitSet.ImageSize];
        var labels = new int[o.BatchSize];
        var grad = new float[o.BatchSize * Classes.Length];
        var bar = Log is null ? null : new ProgressBar(Log);
        var total = Stopwatch.StartNew();
        var firstEpoch = CompletedEpochs;
        Network.EnsureCapacity(o.BatchSize);
        var lastEpoch = Math.Min(o.Epochs, StopAfterEpochs ?? o.Epochs);
        for (var epoch = CompletedEpochs; epoch < lastEpoch; epoch++)
        {
            var watch = Stopwatch.StartNew();
            var order = DigitSet.Permutation(train.Count, SplitMix.Seed(o.Seed, epoch, 0x5EED));
            double lossSum = 0;
            long correct = 0, seen = 0;
            var lr = 0f;
            for (var b = 0; b < batches; b++)
            {
                cancel.ThrowIfCancellationRequested();
                var start = b * o.BatchSize;
                var n = Math.Min(o.BatchSize, train.Count - start);
                var t0 = Stopwatch.GetTimestamp();
                LoadBatch(train, order.AsSpan(start, n), input, labels, epoch, augment: true);
                var t1 = Stopwatch.GetTimestamp();
                Network.SeedDropout(SplitMix.Seed(o.Seed, epoch, b));
                var logits = Network.Forward(input, n, training: true);
                var t2 = Stopwatch.GetTimestamp();
                var loss = SoftmaxCrossEntropy.Compute(logits, labels.AsSpan(0, n), Classes.Length, o.LabelSmoothing, grad, out var ok, TargetSpread);
                if (!float.IsFinite(loss)) throw new InvalidOperationException($"training diverged (loss {loss}) at epoch {epoch + 1}, batch {b + 1}; lower --lr");
                var t3 = Stopwatch.GetTimestamp();
                Network.Backward(grad);
                var t4 = Stopwatch.GetTimestamp();
                lr = LearningRateSchedule.At(o.Schedule, o.LearningRate, (long)epoch * batches + b, totalSteps);
                Optimizer.Step(lr);
                if (Profile is { } prof)
                {
                    prof.Data += t1 - t0;
                    prof.Loss += t3 - t2;
                    prof.Optimizer += Stopwatch.GetTimestamp() - t4;
                    prof.Batches++;
                }
                lossSum += loss * n;
                correct += ok;
                seen += n;
                if (bar is not null)
                {
                    var done = (epoch - firstEpoch) * (double)batches + b + 1;
                    var left = (o.Epochs - firstEpoch) * (double)batches - done;
                    var eta = TimeSpan.FromSeconds(total.Elapsed.TotalSeconds / done * left);
                    bar.Update(epoch + 1, o.Epochs, b + 1, batches, lossSum / seen, (double)correct / seen, total.Elapsed, eta, b + 1 == batches);
                }
            }
            double? valAcc = validation is { Count: > 0 } ? Evaluate(Network, validation, o.BatchSize).Accuracy : null;
            var stats = new EpochStats(epoch + 1, lossSum / seen, (double)correct / seen, valAcc, watch.Elapsed.TotalSeconds, lr);
            history.Add(stats);
            CompletedEpochs = epoch + 1;
            bar?.Finish($"epoch {stats.Epoch}/{o.Epochs} loss {stats.Loss:F4} train {stats.TrainAccuracy * 100:F2}%"
                + (valAcc is { } v ? $" val {v * 100:F2}%" : "") + $" {stats.Seconds:F0}s");
            if (CheckpointDir is not null)
                Checkpoint.Capture(o, Classes, CompletedEpochs, Network, Optimizer).Save(Path.Combine(CheckpointDir, "last.ckpt"));
        }
        return new TrainResult(Network, history, total.Elapsed.TotalSeconds);
    }

    private void CheckClasses(DigitSet set, string what)
    {
        if (!set.ClassNames.SequenceEqual(Classes))
            throw new ArgumentException($"{what} set classes [{string.Join(",", set.ClassNames)}] differ from the model's [{string.Join(",", Classes)}]");
    }

    private void LoadBatch(DigitSet set, ReadOnlySpan<int> indices, float[] input, int[] labels, int epoch, bool augment)
    {
        var idx = indices.ToArray();
        var seed = Options.Seed;
        var aug = augment ? Augmenter : DigitAugmenter.None;
        Network.Parallelism.For(idx.Length, (_, s, e) =>
        {
            for (var i = s; i < e; i++)
            {
                var rng = new SplitMix(seed, epoch, idx[i]);
                aug.Apply(set.Image(idx[i]), input.AsSpan(i * DigitSet.ImageSize, DigitSet.ImageSize), ref rng);
                labels[i] = set.Labels[idx[i]];
            }
        });
    }

    /// <summary>Runs <paramref name="network"/> in evaluation mode over <paramref name="set"/>; returns accuracy and the predicted class of every image.</summary>
    public static (double Accuracy, int[] Predictions) Evaluate(Network network, DigitSet set, int batchSize = 256)
    {
        var preds = new int[set.Count];
        if (set.Count == 0) return (0, preds);
        var input = new float[batchSize * DigitSet.ImageSize];
        var classes = network.Outputs;
        var correct = 0;
        for (var start = 0; start < set.Count; start += batchSize)
        {
            var n = Math.Min(batchSize, set.Count - start);
            for (var i = 0; i < n; i++) set.CopyImageAsFloat(start + i, input.AsSpan(i * DigitSet.ImageSize));
            var logits = network.Forward(input, n, training: false);
            for (var i = 0; i < n; i++)
            {
                var z = logits.Slice(i * classes, classes);
                var arg = 0;
                for (var c = 1; c < classes; c++) if (z[c] > z[arg]) arg = c;
                preds[start + i] = arg;
                if (arg == set.Labels[start + i]) correct++;
            }
        }
        return ((double)correct / set.Count, preds);
    }
}
