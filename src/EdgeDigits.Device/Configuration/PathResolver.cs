namespace EdgeDigits.Device.Configuration;

/// <summary>Resolves configured relative paths: against the working directory first, then the app's own folder (so a deployed release finds its models/ and samples/).</summary>
public sealed class PathResolver
{
    private readonly string _workDir;
    private readonly string _appDir;

    /// <summary>Creates a resolver for the current directory and the app folder.</summary>
    public PathResolver(string? workDir = null, string? appDir = null)
    {
        _workDir = workDir ?? Directory.GetCurrentDirectory();
        _appDir = appDir ?? AppContext.BaseDirectory;
    }

    /// <summary>The absolute path for <paramref name="path"/>: as is when rooted, else under the working directory if it exists there, else under the app folder if it exists there, else under the working directory.</summary>
    public string Resolve(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        var w = Path.GetFullPath(Path.Combine(_workDir, path));
        if (File.Exists(w) || Directory.Exists(w)) return w;
        var a = Path.GetFullPath(Path.Combine(_appDir, path));
        if (File.Exists(a) || Directory.Exists(a)) return a;
        return w;
    }
}
