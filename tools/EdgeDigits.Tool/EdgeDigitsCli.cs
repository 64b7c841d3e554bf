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
        root.Add(new Commands.ReadCommand());
        root.Add(new Commands.BenchCommand());
        root.Add(new Commands.SamplesCommand());
        root.Add(new Commands.FlashCommand());
        root.Add(new Commands.HardwareCommand());
        return root;
    }

    /// <summary>Parses and invokes <paramref name="args"/>, returning the process exit code.</summary>
    public static int Run(string[] args)
    {
        var parse = CreateRootCommand().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                Console.Error.WriteLine($"edgedigits: {error.Message}");
            return ExitCodes.Usage;
        }
        // An exception no verb maps (a bug, or a worker failing in an unexpected way) is still one line, not a stack trace.
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception thrown)
        {
            var ex = Commands.CommandRunner.Unwrap(thrown);
            Console.Error.WriteLine($"\nedgedigits {parse.CommandResult.Command.Name}: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Failed;
        }
    }
}
