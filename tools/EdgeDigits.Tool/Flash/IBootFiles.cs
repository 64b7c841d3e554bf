namespace EdgeDigits.Tool.Flash;

/// <summary>The FAT boot partition of a Pi OS card: a folder, or a partition inside an image file.</summary>
public interface IBootFiles
{
    /// <summary>Where these files are, for messages.</summary>
    string Description { get; }

    /// <summary>File names in the partition's top folder.</summary>
    IReadOnlyList<string> List();

    /// <summary>The text of a top-level file.</summary>
    string ReadText(string name);

    /// <summary>Replaces a top-level file with <paramref name="text"/> (written whole, then renamed/copied over).</summary>
    void WriteText(string name, string text);
}

/// <summary>Boot files in a folder (a mounted card or an extracted boot partition).</summary>
public sealed class DirectoryBootFiles(string dir) : IBootFiles
{
    /// <inheritdoc />
    public string Description => dir;

    /// <inheritdoc />
    public IReadOnlyList<string> List() => Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).ToList();

    /// <inheritdoc />
    public string ReadText(string name) => File.ReadAllText(Path.Combine(dir, name));

    /// <inheritdoc />
    public void WriteText(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path + ".tmp", text);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}

/// <summary>Boot files in a FAT partition inside an image, read and written with mtools at a byte offset (no mount).</summary>
public sealed class FatImageBootFiles(string image, long offset) : IBootFiles
{
    private string Drive => $"{image}@@{offset}";

    /// <inheritdoc />
    public string Description => $"{image} (FAT boot partition at byte {offset})";

    /// <inheritdoc />
    public IReadOnlyList<string> List()
    {
        var r = ExternalTool.Run("mdir", ["-b", "-i", Drive, "::/"]);
        if (r.ExitCode != 0) throw new FlashException($"{Description}: not a readable FAT filesystem ({ExternalTool.LastLine(r.StdErr)})", ExitCodes.BadInput);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.StartsWith("::/", StringComparison.Ordinal) ? l[3..] : l).ToList();
    }

    /// <inheritdoc />
    public string ReadText(string name) => ExternalTool.Check($"reading {name} from {Description}", "mtype", ["-i", Drive, "::/" + name]).StdOut;

    /// <inheritdoc />
    public void WriteText(string name, string text)
    {
        var tmp = Path.GetTempFileName();
        try
        {
            File.WriteAllText(tmp, text);
            // mcopy writes the new file completely before replacing the directory entry (-o: overwrite).
            ExternalTool.Check($"writing {name} to {Description}", "mcopy", ["-o", "-i", Drive, tmp, "::/" + name]);
        }
        finally { File.Delete(tmp); }
    }
}
