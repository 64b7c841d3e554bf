using System.CommandLine;
using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits tune</c>: small grid or random search on an MNIST subset, written as a CSV and Markdown table.</summary>
public sealed class TuneCommand : Command
{
    /// <summary>MNIST folder.</summary>
    public Option<string> Data { get; } = new("--data") { Description = "Folder with the MNIST IDX files", DefaultValueFactory = _ => Path.Combine("data", "mnist") };

    /// <summary>Subset size.</summary>
    public Option<int> Limit { get; } = new("--limit") { Description = "MNIST training images used for the search", DefaultValueFactory = _ => 10_000 };

    /// <summary>Held-out fraction.</summary>
    public Option<double> ValSplit { get; } = new("--val-split") { Description = "Held-out fraction of the subset", DefaultValueFactory = _ => 0.2 };

    /// <summary>Learning rates.</summary>
    public Option<string> Lr { get; } = new("--lr") { Description = "Comma-separated peak learning rates", DefaultValueFactory = _ => "0.001,0.003" };

    /// <summary>Widths.</summary>
    public Option<string> Width { get; } = new("--width") { Description = "Comma-separated width multipliers", DefaultValueFactory = _ => "1" };

    /// <summary>Dropouts.</summary>
    public Option<string> Dropout { get; } = new("--dropout") { Description = "Comma-separated dropout rates", DefaultValueFactory = _ => "0,0.1" };

    /// <summary>Weight decays.</summary>
    public Option<string> WeightDecay { get; } = new("--weight-decay") { Description = "Comma-separated weight decays", DefaultValueFactory = _ => "0.0005" };

    /// <summary>Epochs.</summary>
    public Option<string> Epochs { get; } = new("--epochs") { Description = "Comma-separated epoch counts", DefaultValueFactory = _ => "3" };

    /// <summary>Augmentation strengths.</summary>
    public Option<string> Augment { get; } = new("--augment") { Description = "Comma-separated augmentation strengths", DefaultValueFactory = _ => "1" };

    /// <summary>Architectures.</summary>
    public Option<string[]> Arch { get; } = new("--arch") { Description = "Architecture to try (repeatable; default: the trainer's)" };

    /// <summary>Random trials.</summary>
    public Option<int> Trials { get; } = new("--trials") { Description = "Random trials drawn from the grid (0 = whole grid)", DefaultValueFactory = _ => 0 };

    /// <summary>Seed.</summary>
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the split, the sampling and every trial", DefaultValueFactory = _ => 1 };

    /// <summary>Threads.</summary>
    public Option<int> Threads { get; } = new("--threads") { Description = "Worker threads", DefaultValueFactory = _ => new TrainOptions().Threads };

    /// <summary>Output table.</summary>
    public Option<string> Out { get; } = new("--out") { Description = "CSV results table (a .md table is written beside it)", DefaultValueFactory = _ => "tune-results.csv" };

    /// <summary>Creates the command.</summary>
    public TuneCommand() : base("tune", "Grid or random search of learning rate, width, dropout, weight decay, epochs and augmentation on an MNIST subset.")
    {
        foreach (var o in new Option[] { Data, Limit, ValSplit, Lr, Width, Dropout, WeightDecay, Epochs, Augment, Arch, Trials, Seed, Threads, Out })
            Add(o);
        SetAction((parse, cancel) => Task.FromResult(CommandRunner.Run("tune", () =>
        {
            var job = new TuneJob
            {
                DataDir = parse.GetValue(Data)!,
                Limit = parse.GetValue(Limit),
                ValidationFraction = parse.GetValue(ValSplit),
                Base = new TrainOptions { Seed = parse.GetValue(Seed), Threads = parse.GetValue(Threads) },
                LearningRates = TuneJob.ParseList<float>(parse.GetValue(Lr)!, "--lr"),
                Widths = TuneJob.ParseList<float>(parse.GetValue(Width)!, "--width"),
                Dropouts = TuneJob.ParseList<float>(parse.GetValue(Dropout)!, "--dropout"),
                WeightDecays = TuneJob.ParseList<float>(parse.GetValue(WeightDecay)!, "--weight-decay"),
                Epochs = TuneJob.ParseList<int>(parse.GetValue(Epochs)!, "--epochs"),
                Augments = TuneJob.ParseList<float>(parse.GetValue(Augment)!, "--augment"),
                Architectures = parse.GetValue(Arch) ?? [],
                Trials = parse.GetValue(Trials),
                OutPath = parse.GetValue(Out)!,
                Log = Console.Error,
            };
            job.Run(cancel);
        }, afterProgress: true)));
    }
}
