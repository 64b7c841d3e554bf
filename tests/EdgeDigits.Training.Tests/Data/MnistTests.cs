using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Tests.Data;

public sealed class MnistTests
{
    [Fact]
    public void Load_TestSplit_Has10000ImagesWithKnownClassCounts()
    {
        var set = Mnist.Load(RepoPaths.Mnist, MnistSplit.Test);
        Assert.Equal(10000, set.Count);
        Assert.Equal(10000 * 784, set.Pixels.Length);
        // Class counts of the MNIST test set as published with it.
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], set.ClassCounts());
        Assert.Equal(7, set.Labels[0]);
        // White ink on black: the border of the first image is black, its centre has ink.
        Assert.Equal(0, set.Image(0)[0]);
        Assert.True(set.Image(0).ToArray().Max() == 255);
    }

    [Fact]
    public void Load_GzippedPair_MatchesRaw()
    {
        var dir = RepoPaths.NewTempDir();
        var raw = Mnist.Load(RepoPaths.Mnist, MnistSplit.Test, limit: 50);
        IdxFile.Write(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), [50, 28, 28], raw.Pixels, gzip: true);
        IdxFile.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), [50], raw.Labels.Select(l => (byte)l).ToArray(), gzip: true);
        var gz = Mnist.Load(dir, MnistSplit.Test);
        Assert.Equal(raw.Pixels, gz.Pixels);
        Assert.Equal(raw.Labels, gz.Labels);
    }

    [Fact]
    public void Load_LabelCountMismatch_ThrowsNamingBothFiles()
    {
        var dir = RepoPaths.NewTempDir();
        IdxFile.Write(Path.Combine(dir, "t10k-images-idx3-ubyte"), [2, 28, 28], new byte[2 * 784]);
        IdxFile.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [3], [1, 2, 3]);
        var ex = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir, MnistSplit.Test));
        Assert.Contains("3 labels", ex.Message);
        Assert.Contains("t10k-images-idx3-ubyte", ex.Message);
    }

    [Fact]
    public void Load_LabelOutOfRange_Throws()
    {
        var dir = RepoPaths.NewTempDir();
        IdxFile.Write(Path.Combine(dir, "t10k-images-idx3-ubyte"), [2, 28, 28], new byte[2 * 784]);
        IdxFile.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [2], [1, 12]);
        var ex = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir, MnistSplit.Test));
        Assert.Contains("label 12", ex.Message);
    }

    [Fact]
    public void Load_WrongImageSize_Throws()
    {
        var dir = RepoPaths.NewTempDir();
        IdxFile.Write(Path.Combine(dir, "t10k-images-idx3-ubyte"), [2, 32, 32], new byte[2 * 1024]);
        IdxFile.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [2], [1, 2]);
        var ex = Assert.Throws<InvalidDataException>(() => Mnist.Load(dir, MnistSplit.Test));
        Assert.Contains("32x32", ex.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        var dir = RepoPaths.NewTempDir();
        var ex = Assert.Throws<FileNotFoundException>(() => Mnist.Load(dir, MnistSplit.Train));
        Assert.Contains("train-images-idx3-ubyte", ex.Message);
    }
}
