using System.CommandLine;
using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Tool.Commands;

/// <summary>The options of <c>edgedigits bench --train</c> and its run: one or more epochs of an architecture on MNIST, no augmentation.</summary>
public sealed class TrainBenchOptions : EdgeDigits.Cli.IBenchMode
{
    private static readonly TrainOptions Defaults = new();

    /// <summary>Selects the training benchmark.</summary>
    public Option<bool> Train { get; } = new("--train") { Description = "Benchmark the trainer instead: epochs of --arch on MNIST, no augmentation (compare with tools/scripts/bench-train-pytorch.py)" };

    /// <summary>Architecture.</summary>
    public Option<string> Arch { get; } = new("--arch") { Description = "With --train: architecture string (cN, p, a, gap, fc)", DefaultValueFactory = _ => Network.DefaultSpec };

    /// <summary>Epochs.</summary>
    public Option<int> Epochs { get; } = new("--epochs") { Description = "With --train: epochs to time", DefaultValueFactory = _ => 1 };

    /// <summary>Batch size.</summary>
    public Option<int> Batch { get; } = new("--batch") { Description = "With --train: samples per optimizer step", DefaultValueFactory = _ => Defaults.BatchSize };

    /// <summary>Worker threads.</summary>
    public Option<int> Threads { get; } = new("--threads") { Description = "With --train: worker threads", DefaultValueFactory = _ => 2 };

    /// <summary>MNIST folder.</summary>
    public Option<string> Data { get; } = new("--data") { Description = "With --train: folder with the MNIST IDX files", DefaultValueFactory = _ => Path.Combine("data", "mnist") };

    /// <summary>Image limit.</summary>
    public Option<int?> Limit { get; } = new("--limit") { Description = "With --train: use only the first N MNIST training images" };

    /// <inheritdoc />
    public bool IsSelected(ParseResult parse) => parse.GetValue(Train);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Train, Arch, Epochs, Batch, Threads, Data, Limit }) command.Add(o);
    }

    /// <summary>Runs the benchmark for the parsed <paramref name="parse"/>; JSON on <paramref name="output"/> when <paramref name="json"/>, else a table.</summary>
    public int Execute(ParseResult parse, bool json, TextWriter output, TextWriter error)
    {
        try
        {
            var recipe = TrainBench.Recipe(parse.GetValue(Arch)!, parse.GetValue(Epochs), parse.GetValue(Batch), parse.GetValue(Threads));
            var report = TrainBench.Run(parse.GetValue(Data)!, recipe, parse.GetValue(Limit), json ? null : error);
            output.WriteLine(json ? report.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) : TrainBench.Format(report));
            return ExitCodes.Success;
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"edgedigits bench --train: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            error.WriteLine($"edgedigits bench --train: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
