namespace EdgeDigits.Tool.Commands;

/// <summary>Maps the exceptions of library services to one-line messages and named exit codes.</summary>
internal static class CommandRunner
{
    /// <summary>Runs <paramref name="work"/>; prints <c>edgedigits VERB: message</c> on failure.</summary>
    public static int Run(string verb, Action work)
    {
        try
        {
            work();
            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"\nedgedigits {verb}: cancelled");
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"\nedgedigits {verb}: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"\nedgedigits {verb}: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"\nedgedigits {verb}: {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"\nedgedigits {verb}: {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
