using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Tests.Data;

public sealed class DigitSetTests
{
    private static DigitSet Make(int n, string[]? classes = null)
    {
        classes ??= DigitSet.DigitClasses.ToArray();
        var pixels = new byte[n * 784];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % classes.Length;
            pixels[i * 784] = (byte)i; // identifies the image
        }
        return new DigitSet(pixels, labels, classes);
    }

    [Fact]
    public void Constructor_LabelOutOfRange_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DigitSet(new byte[784], [10], DigitSet.DigitClasses.ToArray()));
        Assert.Contains("label 10", ex.Message);
    }

    [Fact]
    public void Constructor_PixelLengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DigitSet(new byte[783], [1], DigitSet.DigitClasses.ToArray()));
    }

    [Fact]
    public void Split_Stratified_KeepsClassBalanceAndIsDisjoint()
    {
        var set = Make(200);
        var (a, b) = set.Split(0.8, seed: 1);
        Assert.Equal(160, a.Count);
        Assert.Equal(40, b.Count);
        Assert.All(a.ClassCounts(), c => Assert.Equal(16, c));
        var ids = a.Labels.Select((_, i) => a.Image(i)[0]).Concat(b.Labels.Select((_, i) => b.Image(i)[0])).ToArray();
        Assert.Equal(200, ids.Distinct().Count());
        var (a2, _) = set.Split(0.8, seed: 1);
        Assert.Equal(a.Pixels, a2.Pixels);
    }

    [Fact]
    public void Folds_FiveFolds_EachImageValidatedOnce()
    {
        var set = Make(100);
        var folds = set.Folds(5, seed: 3);
        Assert.Equal(5, folds.Count);
        Assert.All(folds, f => Assert.Equal(100, f.Train.Count + f.Validation.Count));
        var seen = folds.SelectMany(f => Enumerable.Range(0, f.Validation.Count).Select(i => f.Validation.Image(i)[0])).ToArray();
        Assert.Equal(100, seen.Distinct().Count());
    }

    [Fact]
    public void Concat_DifferentClassLists_MergesByName()
    {
        var digits = Make(10);
        var none = new DigitSet(new byte[2 * 784], [0, 0], [DigitSet.NoneClass]);
        var all = DigitSet.Concat(digits, none);
        Assert.Equal(12, all.Count);
        Assert.Equal([.. DigitSet.DigitClasses, "none"], all.ClassNames);
        Assert.Equal(10, all.Labels[10]);
        Assert.Equal(9, all.Labels[9]);
    }

    [Fact]
    public void WithClasses_MissingClass_Throws()
    {
        var set = Make(3, ["a", "b"]);
        Assert.Throws<ArgumentException>(() => set.WithClasses(["a"]));
        var remapped = set.WithClasses(["x", "b", "a"]);
        Assert.Equal([2, 1, 2], remapped.Labels);
    }

    [Fact]
    public void Subset_Indices_CopiesInOrder()
    {
        var set = Make(5);
        var sub = set.Subset([4, 1]);
        Assert.Equal(4, sub.Image(0)[0]);
        Assert.Equal(1, sub.Image(1)[0]);
        Assert.Equal([4, 1], sub.Labels);
    }

    [Fact]
    public void CopyImageAsFloat_ScaleOffset_AppliesFormula()
    {
        var px = new byte[784];
        px[3] = 255;
        var set = new DigitSet(px, [0], ["0", "1"]);
        var f = new float[784];
        set.CopyImageAsFloat(0, f, scale: 2f, offset: -1f);
        Assert.Equal(1f, f[3], 5);
        Assert.Equal(-1f, f[0], 5);
    }
}

public sealed class DatasetLoaderTests
{
    [Fact]
    public void Sample_FromMnist_ExactCountBalancedAndDeterministic()
    {
        var set = Mnist.Load(EdgeDigits.Tests.Shared.RepoPaths.Mnist, MnistSplit.Test);
        var s = DatasetLoader.Sample(set, 64, seed: 1);
        Assert.Equal(64, s.Count);
        Assert.All(s.ClassCounts(), c => Assert.InRange(c, 6, 7));
        Assert.Equal(s.Pixels, DatasetLoader.Sample(set, 64, seed: 1).Pixels);
    }

    [Fact]
    public void Load_FolderThatIsNeither_ThrowsNamingBothKinds()
    {
        var dir = EdgeDigits.Tests.Shared.RepoPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "readme.txt"), "x");
        var ex = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(dir, MnistSplit.Test));
        Assert.Contains("neither MNIST IDX files nor", ex.Message);
    }
}
