using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Trainer;

/// <summary>One trial of a <see cref="TuneJob"/>.</summary>
public sealed record TuneResult(TrainOptions Options, long Macs, double ValidationAccuracy, double FinalLoss, double Seconds);

/// <summary>
/// Small hyper-parameter search (<c>edgedigits tune</c>): the grid of the given values — or a
/// random sample of it — each trained on a subset of MNIST and scored on a held-out stratified
/// split; writes the table as CSV and Markdown.
/// </summary>
public sealed class TuneJob
{
    /// <summary>Folder with the MNIST IDX files.</summary>
    public required string DataDir { get; init; }

    /// <summary>MNIST training images used (the subset).</summary>
    public int Limit { get; init; } = 10_000;

    /// <summary>Held-out fraction of the subset.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>The recipe every trial starts from.</summary>
    public TrainOptions Base { get; init; } = new();

    /// <summary>Peak learning rates to try.</summary>
    public IReadOnlyList<float> LearningRates { get; init; } = [1e-3f, 3e-3f];

    /// <summary>Width multipliers to try.</summary>
    public IReadOnlyList<float> Widths { get; init; } = [1f];

    /// <summary>Dropout rates to try.</summary>
    public IReadOnlyList<float> Dropouts { get; init; } = [0f, 0.1f];

    /// <summary>Weight decays to try.</summary>
    public IReadOnlyList<float> WeightDecays { get; init; } = [5e-4f];

    /// <summary>Epoch counts to try.</summary>
    public IReadOnlyList<int> Epochs { get; init; } = [3];

    /// <summary>Augmentation strengths to try.</summary>
    public IReadOnlyList<float> Augments { get; init; } = [1f];

    /// <summary>Architectures to try.</summary>
    public IReadOnlyList<string> Architectures { get; init; } = [];

    /// <summary>Random trials drawn from the grid (0 = the whole grid).</summary>
    public int Trials { get; init; }

    /// <summary>CSV output path; the Markdown table goes beside it (<c>.md</c>).</summary>
    public required string OutPath { get; init; }

    /// <summary>Progress (standard error for the CLI), or null.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Runs every trial and writes the tables; returns the results best first.</summary>
    /// <exception cref="ArgumentException">An empty list or an invalid value.</exception>
    public IReadOnlyList<TuneResult> Run(CancellationToken cancel = default)
    {
        if (Limit < 10) throw new ArgumentException($"--limit must be at least 10 (got {Limit})");
        if (ValidationFraction is <= 0 or >= 1) throw new ArgumentException($"--val-split must be within (0,1) (got {ValidationFraction})");
        if (Trials < 0) throw new ArgumentException($"--trials must not be negative (got {Trials})");
        var archs = Architectures.Count > 0 ? Architectures : [Base.Architecture];
        var grid = (from a in archs from lr in LearningRates from w in Widths from d in Dropouts from wd in WeightDecays from e in Epochs from au in Augments
                    select Base with { Architecture = a, LearningRate = lr, Width = w, Dropout = d, WeightDecay = wd, Epochs = e, Augment = au }).ToList();
        if (grid.Count == 0) throw new ArgumentException("the search grid is empty");
        foreach (var o in grid) o.Validate();
        if (Trials > 0 && Trials < grid.Count)
        {
            var rng = new Random(Base.Seed);
            grid = grid.OrderBy(_ => rng.Next()).Take(Trials).ToList();
        }
        var set = Mnist.Load(DataDir, MnistSplit.Train, Limit);
        var (train, val) = set.Split(1 - ValidationFraction, Base.Seed);
        Log?.WriteLine($"tune: {grid.Count} trials on {train.Count} training / {val.Count} validation MNIST images");
        var results = new List<TuneResult>();
        for (var i = 0; i < grid.Count; i++)
        {
            var o = grid[i];
            Log?.WriteLine($"trial {i + 1}/{grid.Count}: {Describe(o)}");
            var watch = Stopwatch.StartNew();
            var trainer = new ModelTrainer(o, set.ClassNames) { Log = Log };
            var fit = trainer.Fit(train, null, cancel);
            var acc = ModelTrainer.Evaluate(trainer.Network, val).Accuracy;
            results.Add(new TuneResult(o, trainer.Network.Macs, acc, fit.History[^1].Loss, watch.Elapsed.TotalSeconds));
            Log?.WriteLine($"trial {i + 1}/{grid.Count}: validation {acc * 100:F2}%");
        }
        var sorted = results.OrderByDescending(r => r.ValidationAccuracy).ThenBy(r => r.Macs).ToList();
        Write(sorted);
        return sorted;
    }

    private static string Describe(TrainOptions o) =>
        $"arch {o.Architecture} lr {o.LearningRate} width {o.Width} dropout {o.Dropout} wd {o.WeightDecay} epochs {o.Epochs} augment {o.Augment}";

    private void Write(IReadOnlyList<TuneResult> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder("rank,arch,lr,width,dropout,weight_decay,epochs,augment,macs,val_accuracy,final_loss,seconds\n");
        var md = new StringBuilder($"# edgedigits tune: {Limit} MNIST images, {ValidationFraction:P0} held out, seed {Base.Seed}\n\n");
        md.Append("| rank | arch | lr | width | dropout | weight decay | epochs | augment | MACs | val accuracy | final loss | seconds |\n");
        md.Append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var o = r.Options;
            csv.Append(string.Create(inv, $"{i + 1},\"{o.Architecture}\",{o.LearningRate},{o.Width},{o.Dropout},{o.WeightDecay},{o.Epochs},{o.Augment},{r.Macs},{r.ValidationAccuracy:F5},{r.FinalLoss:F5},{r.Seconds:F1}\n"));
            md.Append(string.Create(inv, $"| {i + 1} | `{o.Architecture}` | {o.LearningRate} | {o.Width} | {o.Dropout} | {o.WeightDecay} | {o.Epochs} | {o.Augment} | {r.Macs:N0} | {r.ValidationAccuracy * 100:F2}% | {r.FinalLoss:F4} | {r.Seconds:F0} |\n"));
        }
        WriteAtomic(OutPath, csv.ToString());
        var mdPath = Path.ChangeExtension(OutPath, ".md");
        WriteAtomic(mdPath, md.ToString());
        Log?.WriteLine($"wrote {OutPath} and {mdPath}");
        Log?.Write(md.ToString());
    }

    private static void WriteAtomic(string path, string text)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        EdgeDigits.Core.AtomicFile.WriteAllText(path, text);
    }

    /// <summary>Parses a comma-separated list of numbers (invariant culture) given to <paramref name="option"/>.</summary>
    /// <exception cref="ArgumentException">Empty, or an item is not a number; the message names the option.</exception>
    public static T[] ParseList<T>(string text, string option) where T : IParsable<T>
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new ArgumentException($"{option}: empty list");
        return items.Select(s => T.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{option}: '{s}' is not a valid number")).ToArray();
    }
}
