using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Tests.Data;

public sealed class FolderDatasetWriterTests
{
    [Fact]
    public void Write_ThenLoad_RoundTripsPixelsAndLabels()
    {
        var digits = new SyntheticDigits();
        var set = DigitSet.Concat(digits.Generate(20, SyntheticSplit.Test, 2), new NotDigitGenerator(digits).Generate(6, SyntheticSplit.Test, 2));
        var dir = Path.Combine(RepoPaths.NewTempDir(), "ds");
        FolderDatasetWriter.Write(set, dir);
        var back = FolderDataset.Load(dir);
        Assert.Equal(set.ClassNames, back.ClassNames);
        // The reader goes label folder by label folder, files in name order.
        var expected = set.Subset(Enumerable.Range(0, set.Count).OrderBy(i => set.Labels[i]).ThenBy(i => i).ToArray());
        Assert.Equal(expected.Labels, back.Labels);
        Assert.Equal(expected.Pixels, back.Pixels);
    }

    [Fact]
    public void Write_NonEmptyTarget_Throws()
    {
        var dir = RepoPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "x"), "");
        Assert.Throws<IOException>(() => FolderDatasetWriter.Write(new DigitSet(new byte[784], [0], ["0"]), dir));
    }
}
