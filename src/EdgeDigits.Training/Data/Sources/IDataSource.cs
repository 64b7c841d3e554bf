namespace EdgeDigits.Training.Data.Sources;

/// <summary>
/// One public data set that <c>edgedigits data fetch NAME</c> can install: from its public home, or
/// from a local copy the user downloaded (<c>--from DIR</c>). Either way the files are verified
/// before they are moved into place, so a failed fetch leaves nothing half-written.
/// </summary>
public interface IDataSource
{
    /// <summary>The name on the command line, e.g. <c>mnist</c>.</summary>
    string Name { get; }

    /// <summary>One line: what it is, its public home and licence.</summary>
    string Description { get; }

    /// <summary>Installs the data set into <paramref name="dir"/> from its public home; a no-op when already present and verified.</summary>
    /// <returns>True when files were written, false when they were already in place.</returns>
    /// <exception cref="ToolUnavailableException">The public home (or a tool needed to reach it) cannot be reached.</exception>
    /// <exception cref="InvalidDataException">What was downloaded fails verification.</exception>
    bool Fetch(string dir, DataFetchOptions options);

    /// <summary>Installs the data set into <paramref name="dir"/> from a local copy in <paramref name="from"/>.</summary>
    /// <returns>True when files were written, false when they were already in place.</returns>
    /// <exception cref="DirectoryNotFoundException">The source folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A required file is missing from the source.</exception>
    /// <exception cref="InvalidDataException">The local copy fails verification.</exception>
    bool FetchFrom(string from, string dir, DataFetchOptions options);
}

/// <summary>Settings shared by every <see cref="IDataSource"/>.</summary>
public sealed record DataFetchOptions
{
    /// <summary>Where progress and results are reported (standard error in the CLI).</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>The npm executable, for sources shipped as npm packages.</summary>
    public string Npm { get; init; } = "npm";

    /// <summary>Download from this address instead of the source's public home (a mirror), or null.</summary>
    public string? Url { get; init; }

    /// <summary>How long one download may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(20);
}
