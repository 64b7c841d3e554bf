using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Training.Data;

/// <summary>Writes a <see cref="DigitSet"/> as a folder dataset <c>DIR/&lt;label&gt;/NNNNNN.png</c> (28x28 gray PNGs).</summary>
public static class FolderDatasetWriter
{
    /// <summary>Writes every image of <paramref name="set"/> under <paramref name="dir"/>; built in a temporary sibling folder, then renamed into place.</summary>
    /// <exception cref="IOException"><paramref name="dir"/> exists and is not empty.</exception>
    public static void Write(DigitSet set, string dir)
    {
        var full = Path.GetFullPath(dir);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new IOException($"{dir}: output folder exists and is not empty");
        var tmp = full.TrimEnd(Path.DirectorySeparatorChar) + $".{Environment.ProcessId}.tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        try
        {
            foreach (var name in set.ClassNames) Directory.CreateDirectory(Path.Combine(tmp, name));
            Parallel.For(0, set.Count, i =>
            {
                var img = new GrayImage(set.Image(i).ToArray(), DigitSet.Side, DigitSet.Side, DigitSet.Side);
                File.WriteAllBytes(Path.Combine(tmp, set.ClassNames[set.Labels[i]], $"{i:D6}.png"), GrayImageCodec.EncodePng(img));
            });
            if (Directory.Exists(full)) Directory.Delete(full);
            Directory.Move(tmp, full);
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
    }
}
