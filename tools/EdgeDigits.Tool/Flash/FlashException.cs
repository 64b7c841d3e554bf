namespace EdgeDigits.Tool.Flash;

/// <summary>A flash step failed; <see cref="Exception.Message"/> is the one-line reason to show the user.</summary>
public sealed class FlashException : Exception
{
    /// <summary>The exit code the command should return (see <see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }

    /// <summary>Creates the exception with a message and an exit code.</summary>
    public FlashException(string message, int exitCode = ExitCodes.Failed) : base(message) => ExitCode = exitCode;
}
