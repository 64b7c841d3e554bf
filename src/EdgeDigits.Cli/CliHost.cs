using System.CommandLine;

namespace EdgeDigits.Cli;

/// <summary>Parses and runs a command tree the same way in both binaries: parse errors one line each with exit code 2, nothing as a stack trace.</summary>
public static class CliHost
{
    /// <summary>Parses <paramref name="args"/> against <paramref name="root"/> and invokes it, returning the process exit code.</summary>
    public static int Run(RootCommand root, string[] args)
    {
        ParseResult parse;
        try
        {
            parse = root.Parse(args);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            // An option validator that reads its value (range checks) meets a token that is not a number: System.CommandLine
            // throws from the validator instead of reporting the conversion error, so it is reported here, as the others are.
            Console.Error.WriteLine($"edgedigits: {e.Message}");
            return ExitCodes.Usage;
        }
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
            var ex = Core.WorkerExceptions.FirstCause(thrown);
            Console.Error.WriteLine($"\nedgedigits {parse.CommandResult.Command.Name}: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Failed;
        }
    }
}
