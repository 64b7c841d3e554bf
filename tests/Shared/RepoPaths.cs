namespace EdgeDigits.Tests.Shared;

/// <summary>Locates the repository, its shipped models and the fetched data sets from a test.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding EdgeDigits.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shipped models folder.</summary>
    public static string Models => Path.Combine(Root, "models");

    /// <summary>The samples folder.</summary>
    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>MNIST IDX files: $EDGEDIGITS_MNIST, else data/mnist (filled by tools/setup.sh).</summary>
    public static string Mnist
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("EDGEDIGITS_MNIST") is { Length: > 0 } env ? env : Path.Combine(Root, "data", "mnist");
            if (!File.Exists(Path.Combine(dir, "t10k-images-idx3-ubyte")) && !File.Exists(Path.Combine(dir, "t10k-images-idx3-ubyte.gz")))
                throw new InvalidOperationException($"MNIST not found in {dir}: run tools/setup.sh (or set EDGEDIGITS_MNIST)");
            return dir;
        }
    }

    /// <summary>
    /// A fresh empty temporary folder. Every folder of a test run lives under one run folder in /tmp that is removed when
    /// the test process exits, so a run leaves nothing behind (a caller may still remove its own earlier).
    /// </summary>
    public static string NewTempDir(string prefix = "edgedigits-test")
    {
        var dir = Path.Combine(RunTempRoot.Value, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    // Short on purpose: a test binds a Unix socket below it (paths are limited to 108 bytes). The process id in the name
    // lets a later run remove what a run killed before its exit handler ran (the test host is sometimes ended that way).
    private const string RunTempPrefix = "ed-";

    private static readonly Lazy<string> RunTempRoot = new(() =>
    {
        RemoveStaleRunFolders();
        var root = Path.Combine(Path.GetTempPath(), $"{RunTempPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        return root;
    });

    private static void RemoveStaleRunFolders()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), RunTempPrefix + "*"))
        {
            var name = Path.GetFileName(dir).AsSpan(RunTempPrefix.Length);
            var dash = name.IndexOf('-');
            if (dash <= 0 || !int.TryParse(name[..dash], out var pid)) continue;
            if (!Directory.Exists($"/proc/{pid}") && Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddMinutes(-10)) TryDelete(dir);
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a child process may still hold a file */ }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeDigits.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("EdgeDigits.sln not found above " + AppContext.BaseDirectory);
    }
}
