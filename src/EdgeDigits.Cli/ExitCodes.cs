namespace EdgeDigits.Cli;

/// <summary>Named process exit codes shared by every <c>edgedigits</c> command and the device binary's <c>read</c> and <c>bench</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command ran but its result is negative (e.g. a target missed, a file failed to read).</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong (unknown option, missing argument, bad value).</summary>
    public const int Usage = 2;

    /// <summary>An input file or folder is missing, unreadable or malformed.</summary>
    public const int BadInput = 3;

    /// <summary>A required external tool or resource (npm, a device, a network host) is unavailable.</summary>
    public const int Unavailable = 4;
}
