namespace EdgeDigits.Tool;

/// <summary>Entry point of the <c>edgedigits</c> command line.</summary>
public static class Program
{
    /// <summary>Parses <paramref name="args"/> and runs the chosen command.</summary>
    public static int Main(string[] args) => EdgeDigitsCli.Run(args);
}
