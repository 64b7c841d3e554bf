namespace EdgeDigits.Training.Data;

/// <summary>
/// A labeled set of 28x28 digit images in the MNIST convention (white ink on black, one byte per
/// pixel), the form every reader produces and the trainer, quantizer and evaluator consume.
/// </summary>
public sealed class DigitSet
{
    /// <summary>Image side in pixels.</summary>
    public const int Side = 28;

    /// <summary>Pixels per image (28*28).</summary>
    public const int ImageSize = Side * Side;

    /// <summary>The ten digit labels "0".."9", the default class list.</summary>
    public static IReadOnlyList<string> DigitClasses { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The label used for "not a digit" crops.</summary>
    public const string NoneClass = "none";

    /// <summary>Creates a set; arrays are taken as is (not copied).</summary>
    /// <exception cref="ArgumentException">Lengths disagree or a label is out of range of <paramref name="classNames"/>.</exception>
    public DigitSet(byte[] pixels, int[] labels, string[] classNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        if (pixels.Length != labels.Length * ImageSize)
            throw new ArgumentException($"pixels has {pixels.Length} bytes; {labels.Length} images need {labels.Length * ImageSize}", nameof(pixels));
        if (classNames.Length == 0) throw new ArgumentException("at least one class name is required", nameof(classNames));
        if (classNames.Distinct(StringComparer.Ordinal).Count() != classNames.Length)
            throw new ArgumentException($"duplicate class names in [{string.Join(",", classNames)}]", nameof(classNames));
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Length)
                throw new ArgumentException($"label {labels[i]} of image {i} is out of range (0..{classNames.Length - 1})", nameof(labels));
        }
        Pixels = pixels;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary>An empty set with the given classes.</summary>
    public static DigitSet Empty(IEnumerable<string> classNames) => new([], [], classNames.ToArray());

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>All images back to back, <see cref="ImageSize"/> bytes each, white ink (255) on black (0).</summary>
    public byte[] Pixels { get; }

    /// <summary>Class index of each image (an index into <see cref="ClassNames"/>).</summary>
    public int[] Labels { get; }

    /// <summary>The label text of each class index, e.g. "0".."9" and optionally "none".</summary>
    public string[] ClassNames { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageSize, ImageSize);

    /// <summary>Writes image <paramref name="index"/> as floats <c>pixel/255*scale+offset</c> into <paramref name="destination"/> (784 values).</summary>
    public void CopyImageAsFloat(int index, Span<float> destination, float scale = 1f, float offset = 0f)
    {
        if (destination.Length < ImageSize) throw new ArgumentException($"destination needs {ImageSize} floats", nameof(destination));
        var src = Image(index);
        var k = scale / 255f;
        for (var i = 0; i < ImageSize; i++) destination[i] = src[i] * k + offset;
    }

    /// <summary>Number of images per class index.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Length];
        foreach (var l in Labels) counts[l]++;
        return counts;
    }

    /// <summary>A new set holding the images at <paramref name="indices"/>, in that order (copies).</summary>
    public DigitSet Subset(ReadOnlySpan<int> indices)
    {
        var pixels = new byte[indices.Length * ImageSize];
        var labels = new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var j = indices[i];
            if ((uint)j >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), $"index {j} is outside 0..{Count - 1}");
            Image(j).CopyTo(pixels.AsSpan(i * ImageSize));
            labels[i] = Labels[j];
        }
        return new DigitSet(pixels, labels, (string[])ClassNames.Clone());
    }

    /// <summary>A new set holding <paramref name="count"/> images from <paramref name="start"/> (copies).</summary>
    public DigitSet Subset(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"range {start}+{count} is outside 0..{Count}");
        return new DigitSet(Pixels.AsSpan(start * ImageSize, count * ImageSize).ToArray(), Labels.AsSpan(start, count).ToArray(), (string[])ClassNames.Clone());
    }

    /// <summary>The images whose label is one of <paramref name="classNames"/>.</summary>
    public DigitSet WhereClass(params string[] classNames)
    {
        var wanted = classNames.Select(c => Array.IndexOf(ClassNames, c)).Where(i => i >= 0).ToHashSet();
        var idx = Enumerable.Range(0, Count).Where(i => wanted.Contains(Labels[i])).ToArray();
        return Subset(idx);
    }

    /// <summary>The same images in a random order fixed by <paramref name="seed"/>.</summary>
    public DigitSet Shuffle(int seed) => Subset(Permutation(Count, seed));

    /// <summary>
    /// Splits into two sets, stratified per class so each keeps the class balance; the first gets
    /// <paramref name="firstFraction"/> of each class. Deterministic for a given <paramref name="seed"/>.
    /// </summary>
    public (DigitSet First, DigitSet Second) Split(double firstFraction, int seed)
    {
        if (firstFraction is < 0 or > 1 || double.IsNaN(firstFraction))
            throw new ArgumentOutOfRangeException(nameof(firstFraction), "must be within [0,1]");
        var rng = new Random(seed);
        var first = new List<int>();
        var second = new List<int>();
        for (var c = 0; c < ClassNames.Length; c++)
        {
            var members = Enumerable.Range(0, Count).Where(i => Labels[i] == c).ToArray();
            rng.Shuffle(members);
            var n = (int)Math.Round(members.Length * firstFraction);
            first.AddRange(members[..n]);
            second.AddRange(members[n..]);
        }
        first.Sort();
        second.Sort();
        return (Subset(first.ToArray()), Subset(second.ToArray()));
    }

    /// <summary>
    /// K disjoint folds, stratified per class, deterministic for <paramref name="seed"/>; fold i is
    /// (training = all other folds, validation = fold i).
    /// </summary>
    public IReadOnlyList<(DigitSet Train, DigitSet Validation)> Folds(int k, int seed)
    {
        if (k < 2 || k > Count) throw new ArgumentOutOfRangeException(nameof(k), $"need 2..{Count} folds");
        var rng = new Random(seed);
        var foldOf = new int[Count];
        for (var c = 0; c < ClassNames.Length; c++)
        {
            var members = Enumerable.Range(0, Count).Where(i => Labels[i] == c).ToArray();
            rng.Shuffle(members);
            for (var j = 0; j < members.Length; j++) foldOf[members[j]] = j % k;
        }
        var result = new List<(DigitSet, DigitSet)>();
        for (var f = 0; f < k; f++)
        {
            var val = Enumerable.Range(0, Count).Where(i => foldOf[i] == f).ToArray();
            var train = Enumerable.Range(0, Count).Where(i => foldOf[i] != f).ToArray();
            result.Add((Subset(train), Subset(val)));
        }
        return result;
    }

    /// <summary>
    /// The same images labeled against <paramref name="classNames"/> (matched by name), e.g. to add
    /// a "none" class to an MNIST set. Every current class must exist in the new list.
    /// </summary>
    /// <exception cref="ArgumentException">A class of this set is missing from <paramref name="classNames"/>.</exception>
    public DigitSet WithClasses(IReadOnlyList<string> classNames)
    {
        var map = new int[ClassNames.Length];
        for (var c = 0; c < ClassNames.Length; c++)
        {
            map[c] = IndexOf(classNames, ClassNames[c]);
            if (map[c] < 0) throw new ArgumentException($"class '{ClassNames[c]}' is not in [{string.Join(",", classNames)}]", nameof(classNames));
        }
        return new DigitSet(Pixels, Labels.Select(l => map[l]).ToArray(), classNames.ToArray());
    }

    /// <summary>
    /// Concatenates sets; classes are matched by name and the result lists the first set's classes,
    /// then any new ones in order of appearance.
    /// </summary>
    public static DigitSet Concat(params DigitSet[] sets)
    {
        if (sets.Length == 0) throw new ArgumentException("nothing to concatenate", nameof(sets));
        var names = new List<string>();
        foreach (var s in sets)
            foreach (var n in s.ClassNames)
                if (!names.Contains(n)) names.Add(n);
        var total = sets.Sum(s => s.Count);
        var pixels = new byte[total * ImageSize];
        var labels = new int[total];
        var at = 0;
        foreach (var s in sets)
        {
            var map = s.ClassNames.Select(n => names.IndexOf(n)).ToArray();
            s.Pixels.CopyTo(pixels, at * ImageSize);
            for (var i = 0; i < s.Count; i++) labels[at + i] = map[s.Labels[i]];
            at += s.Count;
        }
        return new DigitSet(pixels, labels, names.ToArray());
    }

    /// <summary>A permutation of 0..n-1 fixed by <paramref name="seed"/>.</summary>
    public static int[] Permutation(int n, int seed)
    {
        var p = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(p);
        return p;
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == value) return i;
        return -1;
    }
}
