using System.Security.Cryptography;
using System.Text;

namespace EdgeDigits.Tool.Flash;

/// <summary>A published EdgeDigits.Device folder: its files, SHA256SUMS manifest, content version and target CPU.</summary>
public sealed class ReleaseFolder
{
    /// <summary>ELF e_machine for AArch64 (EM_AARCH64).</summary>
    public const ushort ElfMachineAarch64 = 0xB7;

    /// <summary>ELF e_machine for x86-64 (EM_X86_64).</summary>
    public const ushort ElfMachineX8664 = 0x3E;

    /// <summary>The folder.</summary>
    public string Dir { get; }

    /// <summary>Relative paths of every file, '/'-separated, ordinally sorted.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The manifest in <c>sha256sum</c> format (the same text deploy.sh checks on the board).</summary>
    public string Manifest { get; }

    /// <summary>First 12 hex digits of the manifest's SHA-256: equal content, equal version.</summary>
    public string ContentHash { get; }

    /// <summary>Opens <paramref name="dir"/>; throws <see cref="FlashException"/> unless it holds an executable EdgeDigits.Device.</summary>
    public ReleaseFolder(string dir)
    {
        if (!Directory.Exists(dir)) throw new FlashException($"--publish-dir {dir}: no such folder", ExitCodes.BadInput);
        Dir = Path.GetFullPath(dir);
        if (!File.Exists(Path.Combine(Dir, "EdgeDigits.Device")))
            throw new FlashException($"--publish-dir {dir}: no EdgeDigits.Device in it (not a self-contained Device publish)", ExitCodes.BadInput);
        Files = Directory.EnumerateFiles(Dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Dir, f).Replace('\\', '/'))
            .Where(f => f != "SHA256SUMS")
            .Order(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        foreach (var f in Files)
        {
            using var s = File.OpenRead(Path.Combine(Dir, f));
            sb.Append(Convert.ToHexStringLower(SHA256.HashData(s))).Append("  ").Append(f).Append('\n');
        }
        Manifest = sb.ToString();
        ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Manifest)))[..12];
    }

    /// <summary>The ELF machine of EdgeDigits.Device, or null when it is not an ELF executable (e.g. a script).</summary>
    public ushort? ExecutableMachine()
    {
        Span<byte> h = stackalloc byte[20];
        using var f = File.OpenRead(Path.Combine(Dir, "EdgeDigits.Device"));
        if (f.Read(h) < 20 || h[0] != 0x7F || h[1] != (byte)'E' || h[2] != (byte)'L' || h[3] != (byte)'F') return null;
        return (ushort)(h[18] | h[19] << 8);
    }
}
