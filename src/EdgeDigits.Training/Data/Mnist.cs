namespace EdgeDigits.Training.Data;

/// <summary>Which half of MNIST to load.</summary>
public enum MnistSplit
{
    /// <summary>The 60,000 training images (train-*-ubyte).</summary>
    Train,

    /// <summary>The 10,000 test images (t10k-*-ubyte).</summary>
    Test,
}

/// <summary>Loads MNIST from its four IDX files (raw or .gz) in a folder.</summary>
public static class Mnist
{
    /// <summary>The four standard file names, without a .gz suffix.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>The image and label file names of <paramref name="split"/>.</summary>
    public static (string Images, string Labels) FileNamesFor(MnistSplit split) => split == MnistSplit.Train
        ? ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
        : ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /// <summary>Whether <paramref name="dir"/> holds the image and label files of <paramref name="split"/> (raw or .gz).</summary>
    public static bool Exists(string dir, MnistSplit split)
    {
        var (img, lbl) = FileNamesFor(split);
        return Find(dir, img) is not null && Find(dir, lbl) is not null;
    }

    /// <summary>Loads one split; images are white on black, labels "0".."9".</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">An IDX file is missing; the message names it.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, truncated, or the pair disagrees.</exception>
    public static DigitSet Load(string dir, MnistSplit split, int? limit = null)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: MNIST folder not found");
        var (imgName, lblName) = FileNamesFor(split);
        var imgPath = Find(dir, imgName) ?? throw new FileNotFoundException($"{Path.Combine(dir, imgName)}: MNIST file not found (nor .gz); run 'edgedigits data fetch'", imgName);
        var lblPath = Find(dir, lblName) ?? throw new FileNotFoundException($"{Path.Combine(dir, lblName)}: MNIST file not found (nor .gz); run 'edgedigits data fetch'", lblName);
        var images = IdxFile.Read(imgPath, expectedRank: 3);
        var labels = IdxFile.Read(lblPath, expectedRank: 1);
        if (images.Dimensions[1] != DigitSet.Side || images.Dimensions[2] != DigitSet.Side)
            throw new InvalidDataException($"{imgPath}: images are {images.Dimensions[1]}x{images.Dimensions[2]}, expected 28x28");
        var n = images.Dimensions[0];
        if (labels.Dimensions[0] != n)
            throw new InvalidDataException($"{lblPath}: {labels.Dimensions[0]} labels but {imgPath} has {n} images");
        var lab = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (labels.Data[i] > 9) throw new InvalidDataException($"{lblPath}: label {labels.Data[i]} at index {i} is out of range (0..9)");
            lab[i] = labels.Data[i];
        }
        var set = new DigitSet(images.Data, lab, DigitSet.DigitClasses.ToArray());
        return limit is { } l && l < n ? set.Subset(0, l) : set;
    }

    /// <summary>The path of <paramref name="name"/> or <paramref name="name"/>.gz in <paramref name="dir"/>, or null.</summary>
    public static string? Find(string dir, string name)
    {
        var raw = Path.Combine(dir, name);
        if (File.Exists(raw)) return raw;
        var gz = raw + ".gz";
        return File.Exists(gz) ? gz : null;
    }
}
