using System.Text.Json.Nodes;
using EdgeDigits.Training.Nn;

namespace EdgeDigits.Training.Trainer;

/// <summary>The training recipe: architecture, optimizer, schedule, regularization, seed and threads.</summary>
public sealed record TrainOptions
{
    /// <summary>Architecture string for <see cref="Network.FromSpec"/>.</summary>
    public string Architecture { get; init; } = Network.DefaultSpec;

    /// <summary>Channel multiplier applied to every convolution.</summary>
    public float Width { get; init; } = 1f;

    /// <summary>Dropout rate before the classifier.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per optimizer step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Peak learning rate.</summary>
    public float LearningRate { get; init; } = 3e-3f;

    /// <summary><c>adamw</c>, <c>adam</c> or <c>sgd</c>.</summary>
    public string Optimizer { get; init; } = "adamw";

    /// <summary><c>onecycle</c>, <c>cosine</c> or <c>constant</c>.</summary>
    public string Schedule { get; init; } = "onecycle";

    /// <summary>Weight decay (decoupled for AdamW, L2 for the others); not applied to biases and BatchNorm.</summary>
    public float WeightDecay { get; init; } = 5e-4f;

    /// <summary>Label smoothing of the cross-entropy targets.</summary>
    public float LabelSmoothing { get; init; } = 0.05f;

    /// <summary>Augmentation strength (0 = off, 1 = default magnitudes).</summary>
    public float Augment { get; init; } = 1f;

    /// <summary>
    /// Probability that a training crop also gets the paper/scanner/camera pass (<see cref="Augmentation.PaperAugmenter"/>:
    /// pen width, binarisation, low resolution, ruled line, uneven light, paper texture, JPEG); 0 = off.
    /// </summary>
    public float DomainAugment { get; init; } = 0.3f;

    /// <summary>Seed of the weight init, the shuffles, augmentation and dropout.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Worker threads; results are bit-identical for the same seed and thread count.</summary>
    public int Threads { get; init; } = Math.Max(1, Math.Min(Environment.ProcessorCount, 2));

    /// <summary>Checks value ranges; the message names the option.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        static void Check(bool ok, string message) { if (!ok) throw new ArgumentException(message); }
        Check(Epochs >= 1, $"--epochs must be at least 1 (got {Epochs})");
        Check(BatchSize >= 1 && BatchSize <= 4096, $"--batch must be within 1..4096 (got {BatchSize})");
        Check(LearningRate > 0 && float.IsFinite(LearningRate), $"--lr must be positive (got {LearningRate})");
        Check(Width > 0 && Width <= 8, $"--width must be within (0,8] (got {Width})");
        Check(Dropout is >= 0 and < 1, $"--dropout must be within [0,1) (got {Dropout})");
        Check(WeightDecay is >= 0 and < 1, $"--weight-decay must be within [0,1) (got {WeightDecay})");
        Check(LabelSmoothing is >= 0 and < 1, $"--label-smoothing must be within [0,1) (got {LabelSmoothing})");
        Check(Augment is >= 0 and <= 3, $"--augment must be within [0,3] (got {Augment})");
        Check(DomainAugment is >= 0 and <= 1, $"--domain-augment must be within [0,1] (got {DomainAugment})");
        Check(Threads is >= 1 and <= 64, $"--threads must be within 1..64 (got {Threads})");
        Check(Optimizer is "adamw" or "adam" or "sgd", $"--optimizer must be adamw, adam or sgd (got '{Optimizer}')");
        Check(LearningRateSchedule.Names.Contains(Schedule), $"--schedule must be one of {string.Join(", ", LearningRateSchedule.Names)} (got '{Schedule}')");
        try { _ = Network.FromSpec(Architecture, 11, Dropout, Width); }
        catch (ArgumentException ex) { throw new ArgumentException($"--arch: {ex.Message}"); }
    }

    /// <summary>The recipe as JSON (stored in checkpoints and model metadata).</summary>
    public JsonObject ToJson() => new()
    {
        ["architecture"] = Architecture,
        ["width"] = Width,
        ["dropout"] = Dropout,
        ["epochs"] = Epochs,
        ["batchSize"] = BatchSize,
        ["learningRate"] = LearningRate,
        ["optimizer"] = Optimizer,
        ["schedule"] = Schedule,
        ["weightDecay"] = WeightDecay,
        ["labelSmoothing"] = LabelSmoothing,
        ["augment"] = Augment,
        ["domainAugment"] = DomainAugment,
        ["seed"] = Seed,
        ["threads"] = Threads,
    };

    /// <summary>Reads a recipe written by <see cref="ToJson"/>; missing fields keep their defaults.</summary>
    public static TrainOptions FromJson(JsonObject o)
    {
        var d = new TrainOptions();
        return new TrainOptions
        {
            Architecture = o["architecture"]?.GetValue<string>() ?? d.Architecture,
            Width = o["width"]?.GetValue<float>() ?? d.Width,
            Dropout = o["dropout"]?.GetValue<float>() ?? d.Dropout,
            Epochs = o["epochs"]?.GetValue<int>() ?? d.Epochs,
            BatchSize = o["batchSize"]?.GetValue<int>() ?? d.BatchSize,
            LearningRate = o["learningRate"]?.GetValue<float>() ?? d.LearningRate,
            Optimizer = o["optimizer"]?.GetValue<string>() ?? d.Optimizer,
            Schedule = o["schedule"]?.GetValue<string>() ?? d.Schedule,
            WeightDecay = o["weightDecay"]?.GetValue<float>() ?? d.WeightDecay,
            LabelSmoothing = o["labelSmoothing"]?.GetValue<float>() ?? d.LabelSmoothing,
            Augment = o["augment"]?.GetValue<float>() ?? d.Augment,
            // Recipes written before the option existed had no domain pass.
            DomainAugment = o["domainAugment"]?.GetValue<float>() ?? 0f,
            Seed = o["seed"]?.GetValue<int>() ?? d.Seed,
            Threads = o["threads"]?.GetValue<int>() ?? d.Threads,
        };
    }

    /// <summary>Builds the untrained network this recipe describes for <paramref name="classes"/> outputs.</summary>
    public Network BuildNetwork(int classes) => Network.FromSpec(Architecture, classes, Dropout, Width, Threads, Seed);
}
