using EdgeDigits.Core.Imaging;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Synthetic;

/// <summary>
/// Turns a rendered gray canvas into a 28x28 MNIST-style crop the way a camera crop is treated:
/// polarity to white-on-black, background to 0, threshold, drop stray specks, then Core's
/// <see cref="DigitNormalizer"/>.
/// </summary>
public static class CropPipeline
{
    /// <summary>Fraction of full scale below which a pixel (after background removal) is background.</summary>
    public const double ThresholdFraction = 0.35;

    /// <summary>Components with less than this fraction of the largest component's mass are dropped as specks.</summary>
    public const double SpeckFraction = 0.04;

    /// <summary>Processes <paramref name="gray"/> (modified in place) into <paramref name="destination"/>; false when no ink survives.</summary>
    /// <param name="gray">Canvas pixels, row-major.</param>
    /// <param name="size">Canvas side.</param>
    /// <param name="darkOnLight">Whether the ink is darker than the background.</param>
    /// <param name="destination">784 bytes.</param>
    /// <param name="dropSpecks">Remove small components (off for "not a digit" crops that are specks).</param>
    public static bool ToMnist(byte[] gray, int size, bool darkOnLight, Span<byte> destination, bool dropSpecks = true)
    {
        if (darkOnLight) for (var i = 0; i < gray.Length; i++) gray[i] = (byte)(255 - gray[i]);
        FolderDataset.StretchFromBackground(gray, size, size, evenOnBlack: true);
        var cut = (byte)(255 * ThresholdFraction);
        for (var i = 0; i < gray.Length; i++) if (gray[i] < cut) gray[i] = 0;
        if (dropSpecks) DropSpecks(gray, size, size);
        return !DigitNormalizer.ForCurrentThread.Normalize(gray, size, size, size, destination[..DigitSet.ImageSize]).IsEmpty;
    }

    /// <summary>Zeroes 8-connected components whose summed intensity is below <see cref="SpeckFraction"/> of the largest one.</summary>
    public static void DropSpecks(byte[] gray, int width, int height)
    {
        var label = new int[gray.Length];
        var masses = new List<long> { 0 };
        var stack = new Stack<int>();
        for (var start = 0; start < gray.Length; start++)
        {
            if (gray[start] == 0 || label[start] != 0) continue;
            var id = masses.Count;
            long mass = 0;
            label[start] = id;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                mass += gray[p];
                int px = p % width, py = p / width;
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int nx = px + dx, ny = py + dy;
                        if ((uint)nx >= (uint)width || (uint)ny >= (uint)height) continue;
                        var q = ny * width + nx;
                        if (gray[q] == 0 || label[q] != 0) continue;
                        label[q] = id;
                        stack.Push(q);
                    }
            }
            masses.Add(mass);
        }
        if (masses.Count <= 2) return;
        var limit = masses.Max() * SpeckFraction;
        for (var i = 0; i < gray.Length; i++) if (label[i] != 0 && masses[label[i]] < limit) gray[i] = 0;
    }

    /// <summary>A 64-bit mix of seed, split and index, so each sample has its own reproducible random stream regardless of threading.</summary>
    public static int SampleSeed(int seed, SyntheticSplit split, int index, int salt)
    {
        // SplitMix64 finalizer: well-spread seeds from consecutive indices.
        var z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xBF58476D1CE4E5B9UL ^ (ulong)(split == SyntheticSplit.Test ? 0x5851F42D4C957F2DUL : 0) ^ (ulong)salt * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
