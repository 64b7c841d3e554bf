using System.CommandLine;

namespace EdgeDigits.Tool;

/// <summary>Builds the <c>edgedigits</c> command tree and runs it.</summary>
public static class EdgeDigitsCli
{
    /// <summary>Creates the root command with every verb attached.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("edgedigits: train, export, quantize, evaluate, read and flash EdgeDigits models and devices.");
        // One command class per verb (see tools/EdgeDigits.Tool/Commands); add new verbs here.
        root.Add(new Commands.DataCommand());
        root.Add(new Commands.TrainCommand());
        root.Add(new Commands.TuneCommand());
        root.Add(new Commands.QuantizeCommand());
        root.Add(new Commands.EvalCommand());
        root.Add(new ReadCommand());
        root.Add(new BenchCommand(new Commands.TrainBenchOptions()));
        root.Add(new Commands.SamplesCommand());
        root.Add(new Commands.FlashCommand());
        root.Add(new Commands.HardwareCommand());
        return root;
    }

    /// <summary>Parses and invokes <paramref name="args"/>, returning the process exit code.</summary>
    public static int Run(string[] args) => CliHost.Run(CreateRootCommand(), args);
}
