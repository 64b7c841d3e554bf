using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Augmentation;

namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>
/// Real pen digits as 28x28 training crops, made by Core's <see cref="CropExtractor"/> exactly as
/// <see cref="NumberReader"/> reads an ink (stroke grouping, rasterizer, normalizer). A digit the
/// grouping splits in two (a 4 or 5 whose bar floats off) is left out: no single crop carries its label.
/// Deterministic for a seed and independent of the thread count.
/// </summary>
public static class PenDigitCrops
{
    /// <summary>Renders each of <paramref name="digits"/> <paramref name="copies"/> times: the first copy as written, the others varied by <see cref="PenStrokeAugmenter.Default"/>.</summary>
    /// <param name="digits">Real pen digits (e.g. one writer range of the UCI set).</param>
    /// <param name="copies">Crops per digit, at least 1.</param>
    /// <param name="seed">Seed of the jittered copies.</param>
    /// <param name="skipped">Digits (or copies) left out because the grouping did not find exactly one digit.</param>
    public static DigitSet Render(IReadOnlyList<PenDigit> digits, int copies, int seed, out int skipped)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        int n = digits.Count * copies;
        var crops = new byte[n][];
        Parallel.For(0, n, () => new CropExtractor(), (k, _, x) =>
        {
            var digit = digits[k / copies];
            int copy = k % copies;
            var ink = copy == 0 ? digit.Ink : PenStrokeAugmenter.Default.Apply(digit.Ink, new Random(SplitMix.Seed(seed, digit.Writer * 100_000L + digit.Index * 10L + digit.Digit, copy)));
            crops[k] = x.Extract(ink) == 1 ? x.Crop(0).ToArray() : [];
            return x;
        }, _ => { });
        var pixels = new List<byte>(n * DigitSet.ImageSize);
        var labels = new List<int>(n);
        skipped = 0;
        for (int k = 0; k < n; k++)
        {
            if (crops[k].Length == 0) { skipped++; continue; }
            pixels.AddRange(crops[k]);
            labels.Add(digits[k / copies].Digit);
        }
        return new DigitSet(pixels.ToArray(), labels.ToArray(), DigitSet.DigitClasses.ToArray());
    }

    /// <summary>The digits of <paramref name="all"/> whose writer is in <paramref name="writers"/>.</summary>
    /// <exception cref="InvalidDataException">No digit belongs to those writers.</exception>
    public static IReadOnlyList<PenDigit> OfWriters(IReadOnlyList<PenDigit> all, WriterRange writers, string source)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(writers);
        var picked = all.Where(d => writers.Contains(d.Writer)).ToList();
        if (picked.Count == 0)
            throw new InvalidDataException($"{source}: no pen digits by writers {writers} (the folder has writers {all.Select(d => d.Writer).DefaultIfEmpty().Min()}-{all.Select(d => d.Writer).DefaultIfEmpty().Max()})");
        return picked;
    }
}
