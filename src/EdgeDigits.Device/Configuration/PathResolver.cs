namespace EdgeDigits.Device.Configuration;

/// <summary>
/// Resolves configured relative paths (models/, samples/, var/): against the working directory, then the app's own
/// folder (a deployed release carries its models/ and samples/), then the source tree the app was built from (so
/// <c>dotnet run --project src/EdgeDigits.Device</c> finds the repository's models/ whatever directory it runs in).
/// </summary>
public sealed class PathResolver
{
    private readonly string[] _bases;

    /// <summary>Creates a resolver for the current directory and the app folder.</summary>
    public PathResolver(string? workDir = null, string? appDir = null)
    {
        var work = workDir ?? Directory.GetCurrentDirectory();
        var app = appDir ?? AppContext.BaseDirectory;
        var bases = new List<string> { work, app };
        foreach (var start in new[] { work, app })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "EdgeDigits.sln"))) { bases.Add(d.FullName); break; }
            }
        }
        _bases = bases.Distinct().ToArray();
    }

    /// <summary>The absolute path for <paramref name="path"/>: as is when rooted, else under the first base where it exists, else under the working directory.</summary>
    public string Resolve(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        foreach (var b in _bases)
        {
            var full = Path.GetFullPath(Path.Combine(b, path));
            if (File.Exists(full) || Directory.Exists(full)) return full;
        }
        return Path.GetFullPath(Path.Combine(_bases[0], path));
    }
}
