using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Nn;

namespace EdgeDigits.Training.Trainer;

/// <summary>
/// <c>edgedigits bench --train</c>: trains an architecture on MNIST without augmentation (the
/// setting <c>tools/scripts/bench-train-pytorch.py</c> reproduces in PyTorch) and reports the
/// epoch time, images per second and where the time went, layer by layer.
/// </summary>
public static class TrainBench
{
    /// <summary>The recipe of the benchmark: the default one with augmentation off.</summary>
    public static TrainOptions Recipe(string architecture, int epochs, int batch, int threads) => new()
    {
        Architecture = architecture,
        Epochs = epochs,
        BatchSize = batch,
        Threads = threads,
        Augment = 0f,
        DomainAugment = 0f,
    };

    /// <summary>Trains <paramref name="options"/> on the MNIST training images in <paramref name="dataDir"/> and returns the report.</summary>
    /// <exception cref="DirectoryNotFoundException">The data folder is missing.</exception>
    /// <exception cref="FileNotFoundException">An MNIST file is missing.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static JsonObject Run(string dataDir, TrainOptions options, int? limit = null, TextWriter? log = null)
    {
        options.Validate();
        var train = Mnist.Load(dataDir, MnistSplit.Train, limit);
        var trainer = new ModelTrainer(options, train.ClassNames) { Log = log };
        var profile = new TrainProfile(trainer.Network.Layers.Count);
        trainer.Network.Profile = profile;
        var result = trainer.Fit(train);
        trainer.Network.Profile = null;
        double? testAccuracy = null;
        if (Mnist.Exists(dataDir, MnistSplit.Test))
            testAccuracy = ModelTrainer.Evaluate(trainer.Network, Mnist.Load(dataDir, MnistSplit.Test)).Accuracy;

        var epochSeconds = result.History.Select(h => h.Seconds).ToArray();
        var perEpoch = epochSeconds.Sum() / epochSeconds.Length;
        var batches = Math.Max(1, profile.Batches);
        var layers = new JsonArray();
        for (var i = 0; i < trainer.Network.Layers.Count; i++)
            layers.Add(new JsonObject
            {
                ["layer"] = trainer.Network.Layers[i].Describe(),
                ["forwardMs"] = Round(TrainProfile.Ms(profile.Forward[i]) / result.History.Count),
                ["backwardMs"] = Round(TrainProfile.Ms(profile.Backward[i]) / result.History.Count),
            });
        var last = result.History[^1];
        return new JsonObject
        {
            ["benchmark"] = "train",
            ["architecture"] = options.Architecture,
            ["images"] = train.Count,
            ["epochs"] = options.Epochs,
            ["batch"] = options.BatchSize,
            ["threads"] = options.Threads,
            ["optimizer"] = options.Optimizer,
            ["augmentation"] = false,
            ["epochSeconds"] = new JsonArray(epochSeconds.Select(s => (JsonNode)Round(s)).ToArray()),
            ["imagesPerSecond"] = Math.Round(train.Count / perEpoch, 1),
            ["batchMs"] = Round(perEpoch * 1000 / ((double)batches / result.History.Count)),
            ["perEpochMs"] = new JsonObject
            {
                ["data"] = Round(TrainProfile.Ms(profile.Data) / result.History.Count),
                ["forward"] = Round(TrainProfile.Ms(profile.Forward.Sum()) / result.History.Count),
                ["loss"] = Round(TrainProfile.Ms(profile.Loss) / result.History.Count),
                ["backward"] = Round(TrainProfile.Ms(profile.Backward.Sum()) / result.History.Count),
                ["optimizer"] = Round(TrainProfile.Ms(profile.Optimizer) / result.History.Count),
            },
            ["layers"] = layers,
            ["loss"] = Math.Round(last.Loss, 5),
            ["trainAccuracy"] = Math.Round(last.TrainAccuracy, 5),
            ["testAccuracy"] = testAccuracy is { } t ? Math.Round(t, 5) : null,
            // CPU time against wall time: on a shared machine the gap is the neighbours' share.
            ["cpuSeconds"] = Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds),
            ["loadAverage"] = LoadAverage(),
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        };
    }

    /// <summary>A human-readable summary of a <see cref="Run"/> report.</summary>
    public static string Format(JsonObject r)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"train bench: {r["architecture"]}, {r["images"]} images, batch {r["batch"]}, {r["threads"]} threads, {r["optimizer"]}, no augmentation");
        sb.AppendLine(inv, $"epoch seconds: {string.Join(" ", r["epochSeconds"]!.AsArray().Select(s => s!.GetValue<double>().ToString("F2", inv)))}; {r["imagesPerSecond"]} images/s; {r["batchMs"]} ms per batch");
        var e = r["perEpochMs"]!.AsObject();
        sb.AppendLine(inv, $"per epoch ms: data {e["data"]}, forward {e["forward"]}, loss {e["loss"]}, backward {e["backward"]}, optimizer {e["optimizer"]}");
        sb.AppendLine("layer                                  forward ms   backward ms");
        foreach (var l in r["layers"]!.AsArray())
            sb.AppendLine(inv, $"{l!["layer"],-38} {l["forwardMs"]!.GetValue<double>(),10:F1}   {l["backwardMs"]!.GetValue<double>(),11:F1}");
        sb.Append(inv, $"loss {r["loss"]}, train accuracy {r["trainAccuracy"]}, MNIST test accuracy {r["testAccuracy"]?.ToString() ?? "n/a"}, load average {r["loadAverage"]?.ToString() ?? "n/a"}");
        return sb.ToString();
    }

    private static double Round(double v) => Math.Round(v, 2);

    private static string? LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null; }
        catch (IOException) { return null; }
    }
}
