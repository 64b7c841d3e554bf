using System.Reflection;

namespace EdgeDigits.Tool.Flash;

/// <summary>The EdgeDigits block of a Pi's config.txt (from hardware/config.txt) and how it is merged into an existing file.</summary>
public static class BootConfig
{
    /// <summary>First line of the block; everything up to <see cref="EndMarker"/> is replaced on each flash.</summary>
    public const string BeginMarker = "# --- EdgeDigits begin";

    /// <summary>Last line of the block.</summary>
    public const string EndMarker = "# --- EdgeDigits end";

    /// <summary>hardware/config.txt, embedded at build time.</summary>
    public static string Block => ReadResource("EdgeDigits.Tool.hardware.config.txt");

    /// <summary>hardware/edgedigits.service, embedded at build time.</summary>
    public static string SystemdUnit => ReadResource("EdgeDigits.Tool.hardware.edgedigits.service");

    /// <summary>Returns <paramref name="configTxt"/> with any previous EdgeDigits block removed and the current one appended (idempotent).</summary>
    public static string Merge(string configTxt)
    {
        var lines = configTxt.Replace("\r\n", "\n").Split('\n').ToList();
        var begin = lines.FindIndex(l => l.StartsWith(BeginMarker, StringComparison.Ordinal));
        if (begin >= 0)
        {
            var end = lines.FindIndex(begin, l => l.StartsWith(EndMarker, StringComparison.Ordinal));
            lines.RemoveRange(begin, (end < 0 ? lines.Count - 1 : end) - begin + 1);
        }
        var kept = string.Join('\n', lines).TrimEnd('\n');
        return (kept.Length > 0 ? kept + "\n\n" : "") + Block.TrimEnd('\n') + "\n";
    }

    private static string ReadResource(string name)
    {
        using var s = typeof(BootConfig).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} missing from {typeof(BootConfig).Assembly.GetName().Name}");
        return new StreamReader(s).ReadToEnd();
    }
}
