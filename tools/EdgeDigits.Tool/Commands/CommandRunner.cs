namespace EdgeDigits.Tool.Commands;

/// <summary>Maps the exceptions of library services to one-line messages and named exit codes, the same way for every verb.</summary>
internal static class CommandRunner
{
    /// <summary>
    /// Runs <paramref name="work"/>; on failure prints <c>edgedigits VERB: message</c> and returns the exit code for the exception:
    /// <paramref name="exitCodeFor"/> first (a verb's own exceptions), then the common mapping (bad files → 3, bad arguments → 2,
    /// failed or cancelled work → 1). <paramref name="afterProgress"/> starts the message on a fresh line, below a progress bar.
    /// Exceptions nobody maps are not caught.
    /// </summary>
    public static int Run(string verb, Action work, Func<Exception, int?>? exitCodeFor = null, bool afterProgress = false)
    {
        try
        {
            work();
            return ExitCodes.Success;
        }
        catch (Exception thrown) when (Unwrap(thrown) is var ex && (exitCodeFor?.Invoke(ex) ?? CommonExitCode(ex)) is { } code)
        {
            var message = ex is OperationCanceledException ? "cancelled" : ex.Message;
            Console.Error.WriteLine($"{(afterProgress ? "\n" : "")}edgedigits {verb}: {message}");
            return code;
        }
    }

    /// <summary>
    /// The exception a worker threw inside <c>Parallel.For</c> (or a task) rather than the <see cref="AggregateException"/>
    /// around it, so it maps to its exit code and prints as one line; the first one when several workers failed.
    /// </summary>
    public static Exception Unwrap(Exception ex) => Core.WorkerExceptions.FirstCause(ex);

    private static int? CommonExitCode(Exception ex) => ex switch
    {
        OperationCanceledException => ExitCodes.Failed,
        IOException or InvalidDataException or UnauthorizedAccessException => ExitCodes.BadInput,
        ArgumentException => ExitCodes.Usage,
        InvalidOperationException => ExitCodes.Failed,
        _ => null,
    };
}
