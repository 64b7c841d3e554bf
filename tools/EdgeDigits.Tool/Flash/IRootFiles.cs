namespace EdgeDigits.Tool.Flash;

/// <summary>One change to a root filesystem, applied as part of a batch.</summary>
public abstract record RootChange
{
    /// <summary>Create a folder (and its parents) if missing.</summary>
    public sealed record Mkdir(string Path) : RootChange;

    /// <summary>Copy a local file to <paramref name="Path"/>, replacing any file there; the local mode bits are kept.</summary>
    public sealed record Write(string LocalFile, string Path) : RootChange;

    /// <summary>Make <paramref name="Path"/> a symbolic link to <paramref name="Target"/>, replacing any link there.</summary>
    public sealed record Symlink(string Path, string Target) : RootChange;
}

/// <summary>The ext4 root filesystem of a Pi OS card: a folder, or a partition inside an image file.</summary>
public interface IRootFiles
{
    /// <summary>Where these files are, for messages.</summary>
    string Description { get; }

    /// <summary>True when <paramref name="path"/> (absolute in the card's root) exists.</summary>
    bool Exists(string path);

    /// <summary>The text of a file, or null when it does not exist.</summary>
    string? ReadText(string path);

    /// <summary>Applies every change in order; throws <see cref="FlashException"/> naming the first that failed.</summary>
    void Apply(IReadOnlyList<RootChange> changes);

    /// <summary>Copies the folder <paramref name="path"/> out to <paramref name="localDir"/>/<c>basename(path)</c> (for verification).</summary>
    void CopyOut(string path, string localDir);
}

/// <summary>Root files in a folder (a mounted card or an extracted root partition).</summary>
public sealed class DirectoryRootFiles(string dir) : IRootFiles
{
    /// <inheritdoc />
    public string Description => dir;

    private string Local(string path) => Path.Combine(dir, path.TrimStart('/'));

    /// <inheritdoc />
    public bool Exists(string path) => File.Exists(Local(path)) || Directory.Exists(Local(path)) || new FileInfo(Local(path)).LinkTarget is not null;

    /// <inheritdoc />
    public string? ReadText(string path) => File.Exists(Local(path)) ? File.ReadAllText(Local(path)) : null;

    /// <inheritdoc />
    public void Apply(IReadOnlyList<RootChange> changes)
    {
        foreach (var c in changes)
        {
            switch (c)
            {
                case RootChange.Mkdir m: Directory.CreateDirectory(Local(m.Path)); break;
                case RootChange.Write w:
                    var dest = Local(w.Path);
                    File.Copy(w.LocalFile, dest + ".tmp", overwrite: true);
                    File.Move(dest + ".tmp", dest, overwrite: true);
                    break;
                case RootChange.Symlink s:
                    var link = Local(s.Path);
                    // A fresh link renamed over the old one (rename(2) via mv -T): the switch is atomic.
                    // File.Move would resolve the link, and a link into the card's /etc dangles on this PC.
                    ExternalTool.Check($"linking {link}", "ln", ["-sfn", s.Target, link + ".tmp"]);
                    ExternalTool.Check($"linking {link}", "mv", ["-T", link + ".tmp", link]);
                    break;
            }
        }
    }

    /// <inheritdoc />
    public void CopyOut(string path, string localDir)
    {
        var src = Local(path);
        foreach (var f in Directory.EnumerateFiles(src, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(localDir, Path.GetFileName(path.TrimEnd('/')), Path.GetRelativePath(src, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to, overwrite: true);
        }
    }
}

/// <summary>
/// Root files in an ext4 partition inside an image, changed with e2fsprogs' debugfs at a byte offset
/// (<c>image?offset=N</c>, the unix I/O manager's option): no mount, no root privileges, no copy of the partition.
/// </summary>
public sealed class Ext4ImageRootFiles(string image, long offset) : IRootFiles
{
    private string Device => $"{image}?offset={offset}";

    /// <inheritdoc />
    public string Description => $"{image} (ext4 root partition at byte {offset})";

    private ToolResult Debugfs(string request, bool write = false) =>
        ExternalTool.Run("debugfs", write ? ["-w", "-R", request, Device] : ["-R", request, Device]);

    /// <inheritdoc />
    public bool Exists(string path)
    {
        var r = Debugfs($"stat \"{path}\"");
        return r.ExitCode == 0 && !r.StdErr.Contains("not found", StringComparison.OrdinalIgnoreCase) && r.StdOut.Contains("Inode:", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public string? ReadText(string path) => Exists(path) ? Debugfs($"cat \"{path}\"").StdOut : null;

    /// <inheritdoc />
    public void Apply(IReadOnlyList<RootChange> changes)
    {
        // debugfs keeps going after a failed command and still exits 0, so each command's errors are
        // read back from stderr; removals of paths that do not exist are the only expected ones.
        var script = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var created = new HashSet<string>(StringComparer.Ordinal);
        // A path inside a folder this batch creates cannot exist yet: skip the per-file lookup.
        bool MayExist(string path) => !created.Contains(Path.GetDirectoryName(path)!) && Exists(path);
        foreach (var c in changes)
        {
            switch (c)
            {
                case RootChange.Mkdir m:
                    var parts = m.Path.Trim('/').Split('/');
                    for (var i = 1; i <= parts.Length; i++)
                    {
                        var p = "/" + string.Join('/', parts[..i]);
                        if (!seen.Add(p)) continue;
                        if (created.Contains(Path.GetDirectoryName(p)!) || !Exists(p)) { script.Add($"mkdir \"{p}\""); created.Add(p); }
                    }
                    break;
                case RootChange.Write w:
                    if (MayExist(w.Path)) script.Add($"rm \"{w.Path}\"");
                    script.Add($"write \"{w.LocalFile}\" \"{w.Path}\"");
                    break;
                case RootChange.Symlink s:
                    if (MayExist(s.Path)) script.Add($"rm \"{s.Path}\"");
                    script.Add($"symlink \"{s.Path}\" \"{s.Target}\"");
                    break;
            }
        }
        var cmdFile = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(cmdFile, script);
            var r = ExternalTool.Run("debugfs", ["-w", "-f", cmdFile, Device]);
            var errors = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => !l.StartsWith("debugfs ", StringComparison.Ordinal)).ToList();
            if (r.ExitCode != 0 || errors.Count > 0)
                throw new FlashException($"{Description}: debugfs failed: {errors.FirstOrDefault() ?? $"exit {r.ExitCode}"}");
        }
        finally { File.Delete(cmdFile); }
    }

    /// <inheritdoc />
    public void CopyOut(string path, string localDir)
    {
        Directory.CreateDirectory(localDir);
        var r = Debugfs($"rdump \"{path}\" \"{localDir}\"");
        if (r.ExitCode != 0) throw new FlashException($"{Description}: cannot read back {path}: {ExternalTool.LastLine(r.StdErr)}");
    }
}
