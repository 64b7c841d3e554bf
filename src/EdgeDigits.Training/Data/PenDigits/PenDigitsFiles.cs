namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>
/// The files of the UCI pen-digit set in a folder (<c>pendigits-orig.tra</c>, optional <c>.tes</c>, each
/// <c>.Z</c>-compressed or plain) and loading them as one list of <see cref="PenDigit"/>.
/// </summary>
public static class PenDigitsFiles
{
    /// <summary>The training writers' file (30 writers, 7,494 digits), without the <c>.Z</c>.</summary>
    public const string TrainFile = "pendigits-orig.tra";

    /// <summary>The test writers' file (14 more writers, 3,498 digits), without the <c>.Z</c>.</summary>
    public const string TestFile = "pendigits-orig.tes";

    /// <summary>The set's description.</summary>
    public const string NamesFile = "pendigits-orig.names";

    /// <summary>The path of <paramref name="name"/> in <paramref name="dir"/>, compressed (<c>.Z</c>) first, or null.</summary>
    public static string? Find(string dir, string name)
    {
        foreach (var candidate in new[] { name + ".Z", name })
        {
            var path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>
    /// Loads every digit in <paramref name="dir"/>: the training file (required) and the test file when present.
    /// When the test file numbers its writers from 1 again, they follow the training writers (31-44).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The training file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or malformed (named with its line).</exception>
    public static IReadOnlyList<PenDigit> Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: pen-digit folder not found (edgedigits data fetch pendigits)");
        var tra = Find(dir, TrainFile) ?? throw new FileNotFoundException($"{Path.Combine(dir, TrainFile)}(.Z): not found (edgedigits data fetch pendigits --dir {dir})", TrainFile);
        var digits = UnipenReader.Load(tra).ToList();
        if (Find(dir, TestFile) is { } tes)
        {
            var test = UnipenReader.Load(tes);
            int maxTrain = digits.Count > 0 ? digits.Max(d => d.Writer) : 0;
            int offset = test.Count > 0 && test.Min(d => d.Writer) <= maxTrain ? maxTrain : 0;
            digits.AddRange(test.Select(d => d with { Writer = d.Writer + offset }));
        }
        return digits;
    }
}
