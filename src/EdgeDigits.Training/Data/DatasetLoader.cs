namespace EdgeDigits.Training.Data;

/// <summary>Opens either kind of data set a command line may name: an MNIST IDX folder or a folder dataset.</summary>
public static class DatasetLoader
{
    /// <summary>
    /// Loads <paramref name="path"/>: an MNIST IDX folder (the <paramref name="preferred"/> split, else the
    /// other one) or a <c>DIR/&lt;label&gt;/*.png|jpg</c> folder dataset.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder is neither kind, or its contents are invalid.</exception>
    public static DigitSet Load(string path, MnistSplit preferred, IReadOnlyList<string>? classNames = null)
    {
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"{path}: data folder not found");
        var other = preferred == MnistSplit.Train ? MnistSplit.Test : MnistSplit.Train;
        if (Mnist.Exists(path, preferred)) return Mnist.Load(path, preferred);
        if (Mnist.Exists(path, other)) return Mnist.Load(path, other);
        if (FolderDataset.LooksLikeFolderDataset(path)) return FolderDataset.Load(path, classNames);
        throw new InvalidDataException($"{path}: neither MNIST IDX files nor a DIR/<label>/*.png|jpg folder dataset");
    }

    /// <summary>
    /// A deterministic, class-balanced sample of at most <paramref name="count"/> images (all of them when
    /// the set is smaller), e.g. for calibration.
    /// </summary>
    public static DigitSet Sample(DigitSet set, int count, int seed) =>
        count >= set.Count ? set : set.Subset(BalancedIndices(set.Labels, set.ClassNames.Length, count, seed));

    /// <summary>
    /// Indices of a deterministic, class-balanced sample of at most <paramref name="count"/> of the items labeled
    /// <paramref name="labels"/> (classes 0..<paramref name="classCount"/>-1): a seeded shuffle per class, then round robin.
    /// </summary>
    public static int[] BalancedIndices(IReadOnlyList<int> labels, int classCount, int count, int seed)
    {
        count = Math.Min(count, labels.Count);
        var rng = new Random(seed);
        var perClass = Enumerable.Range(0, classCount)
            .Select(c => { var m = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray(); rng.Shuffle(m); return new Queue<int>(m); })
            .ToArray();
        // Round robin over the classes: exactly `count` items, as balanced as the classes allow.
        var picked = new List<int>(count);
        while (picked.Count < count && perClass.Any(q => q.Count > 0))
            foreach (var q in perClass)
                if (picked.Count < count && q.Count > 0) picked.Add(q.Dequeue());
        return picked.ToArray();
    }
}
