using System.Text.Json;

namespace EdgeDigits.Tool.Flash;

/// <summary>One partition of a disk image, in bytes.</summary>
/// <param name="Number">1-based partition number.</param>
/// <param name="Offset">Start of the partition in the image file.</param>
/// <param name="Size">Length of the partition.</param>
/// <param name="Type">The MBR type byte (e.g. "c") or GPT type GUID, as sfdisk reports it.</param>
public sealed record Partition(int Number, long Offset, long Size, string Type)
{
    /// <summary>True for FAT partition types (MBR 0x01/0x04/0x06/0x0b/0x0c/0x0e, GPT basic data or EFI system).</summary>
    public bool IsFatType => Type.ToLowerInvariant() is "1" or "4" or "6" or "b" or "c" or "e"
        or "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7" or "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";

    /// <summary>True for Linux filesystem partition types (MBR 0x83, GPT Linux filesystem).</summary>
    public bool IsLinuxType => Type.ToLowerInvariant() is "83" or "0fc63daf-8483-4772-8e79-3d69d8477de4";
}

/// <summary>Reads an image's partition table with <c>sfdisk --json</c>.</summary>
public static class PartitionTable
{
    /// <summary>The partitions of <paramref name="image"/>; throws <see cref="FlashException"/> when it has no partition table.</summary>
    public static IReadOnlyList<Partition> Read(string image)
    {
        var r = ExternalTool.Run("sfdisk", ["--json", image]);
        if (r.ExitCode != 0 || string.IsNullOrWhiteSpace(r.StdOut))
            throw new FlashException($"{image}: not a Raspberry Pi OS image (no partition table: {ExternalTool.LastLine(r.StdErr) ?? "sfdisk found none"})", ExitCodes.BadInput);
        using var doc = JsonDocument.Parse(r.StdOut);
        var table = doc.RootElement.GetProperty("partitiontable");
        var sector = table.TryGetProperty("sectorsize", out var ss) ? ss.GetInt64() : 512;
        var list = new List<Partition>();
        if (!table.TryGetProperty("partitions", out var parts)) return list;
        var n = 0;
        foreach (var p in parts.EnumerateArray())
        {
            n++;
            list.Add(new Partition(n, p.GetProperty("start").GetInt64() * sector, p.GetProperty("size").GetInt64() * sector,
                p.GetProperty("type").GetString() ?? ""));
        }
        return list;
    }

    /// <summary>True when the partition at <paramref name="p"/> carries an ext2/3/4 superblock (magic 0xEF53 at byte 1080).</summary>
    public static bool HasExtSuperblock(string image, Partition p)
    {
        using var f = File.OpenRead(image);
        if (p.Offset + 1082 > f.Length) return false;
        f.Position = p.Offset + 1080;
        Span<byte> magic = stackalloc byte[2];
        f.ReadExactly(magic);
        return magic[0] == 0x53 && magic[1] == 0xEF;
    }
}
