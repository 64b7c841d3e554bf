using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Training.Data.Sources;

/// <summary>
/// USPS: handwritten ZIP-code digits cut from scanned envelopes, 16x16 grey (Hull 1994; the "ZIP code"
/// data of The Elements of Statistical Learning). Installs folder datasets of the original 16x16 PNGs
/// (dark ink on light paper; <see cref="FolderDataset"/> inverts and MNIST-normalizes them when loading):
/// <c>DIR/train/0..9</c>, <c>DIR/val/0..9</c> (held out of the training split, see <see cref="ValidationRule"/>)
/// and, when the official test split is given, <c>DIR/test/0..9</c>; <c>DIR/usps.json</c> records the counts.
/// </summary>
public sealed class UspsSource : IDataSource
{
    /// <summary>Digits in the published training split.</summary>
    public const int PublishedTrainCount = 7291;

    /// <summary>Digits in the published test split.</summary>
    public const int PublishedTestCount = 2007;

    /// <summary>Every this-many-th digit of each class (in file order) goes to validation.</summary>
    public const int ValidationEvery = 5;

    /// <summary>The file beside the splits that records where they came from and their counts.</summary>
    public const string ManifestName = "usps.json";

    /// <summary>How <c>val/</c> is cut from the training split, as recorded in the manifest.</summary>
    public static string ValidationRule { get; } =
        $"per class, in file-name order (line order for zip.train), the {ValidationEvery}th, {2 * ValidationEvery}th, {3 * ValidationEvery}th, ... digit " +
        "(counting from 1) goes to val/, the rest to train/. USPS records no writer ids, so the same writer " +
        "(and near-duplicate digits) can be on both sides: val/ measures the scan domain, not unseen writers; test/ (the official split) is the held-out figure.";

    /// <summary>Public home of the training split (ESL "ZIP code" data, gzip text).</summary>
    public string TrainUrl { get; init; } = "https://hastie.su.domains/ElemStatLearn/datasets/zip.train.gz";

    /// <summary>Public home of the test split.</summary>
    public string TestUrl { get; init; } = "https://hastie.su.domains/ElemStatLearn/datasets/zip.test.gz";

    /// <inheritdoc />
    public string Name => "usps";

    /// <inheritdoc />
    public string Description => "USPS, 9,298 scanned ZIP-code digits, 16x16 (ESL zip.train/zip.test, or --from a DIR/0..9/*.png copy); " +
        $"installs train/, val/ (every {ValidationEvery}th of each class) and test/";

    /// <inheritdoc />
    public bool Fetch(string dir, DataFetchOptions options)
    {
        var log = options.Log;
        if (IsInstalled(dir, requireTest: true))
        {
            log.WriteLine($"data fetch: {dir} already holds the USPS splits (delete it to reinstall)");
            return false;
        }
        var work = Directory.CreateTempSubdirectory("edgedigits-usps-");
        try
        {
            var trainPath = Path.Combine(work.FullName, "zip.train.gz");
            var testPath = Path.Combine(work.FullName, "zip.test.gz");
            log.WriteLine($"data fetch: downloading {TrainUrl}");
            HttpDownload.ToFile(TrainUrl, trainPath, log, options.Timeout);
            log.WriteLine($"data fetch: downloading {TestUrl}");
            HttpDownload.ToFile(TestUrl, testPath, log, options.Timeout);
            var train = UspsReader.ReadText(trainPath, "train");
            var test = UspsReader.ReadText(testPath, "test");
            // No checksum is published; the exact counts catch a truncated or changed download.
            if (train.Count != PublishedTrainCount)
                throw new InvalidDataException($"{TrainUrl}: {train.Count} digits, the published training split has {PublishedTrainCount}");
            if (test.Count != PublishedTestCount)
                throw new InvalidDataException($"{TestUrl}: {test.Count} digits, the published test split has {PublishedTestCount}");
            Install(train, test, dir, $"{TrainUrl} and {TestUrl}", log);
            return true;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="from"/> holds <c>zip.train</c> (or <c>zip.train.gz</c>) and optionally <c>zip.test[.gz]</c>,
    /// or is a folder dataset <c>0..9/*.png</c> of the training split (optionally beside a <c>zip.test[.gz]</c>).
    /// </remarks>
    public bool FetchFrom(string from, string dir, DataFetchOptions options)
    {
        if (!Directory.Exists(from)) throw new DirectoryNotFoundException($"{from}: --from folder not found");
        var log = options.Log;
        var trainFile = FindText(from, "zip.train");
        var testFile = FindText(from, "zip.test");
        if (IsInstalled(dir, requireTest: testFile is not null) && Path.GetFullPath(from) != Path.GetFullPath(dir))
        {
            log.WriteLine($"data fetch: {dir} already holds the USPS splits (delete it to reinstall)");
            return false;
        }
        List<UspsDigit> train;
        if (trainFile is not null) train = UspsReader.ReadText(trainFile, "train");
        else if (FolderDataset.LooksLikeFolderDataset(from)) train = UspsReader.ReadFolder(from);
        else throw new FileNotFoundException($"{from}: neither zip.train[.gz] nor a folder dataset {from}/0..9/*.png", "zip.train");
        var test = testFile is null ? null : UspsReader.ReadText(testFile, "test");
        if (train.Count != PublishedTrainCount)
            log.WriteLine($"data fetch: note: {train.Count} training digits; the published training split has {PublishedTrainCount}");
        if (test is not null && test.Count != PublishedTestCount)
            log.WriteLine($"data fetch: note: {test.Count} test digits; the published test split has {PublishedTestCount}");
        Install(train, test, dir, Path.GetFullPath(from), log);
        return true;
    }

    /// <summary>
    /// Splits <paramref name="train"/> into training and validation digits by <see cref="ValidationRule"/>:
    /// per class, in ordinal name order, every <see cref="ValidationEvery"/>th digit is held out.
    /// </summary>
    public static (List<UspsDigit> Train, List<UspsDigit> Validation) SplitValidation(IEnumerable<UspsDigit> train)
    {
        var kept = new List<UspsDigit>();
        var held = new List<UspsDigit>();
        foreach (var cls in train.GroupBy(d => d.Label).OrderBy(g => g.Key))
        {
            var position = 0;
            foreach (var digit in cls.OrderBy(d => d.Name, StringComparer.Ordinal))
                (++position % ValidationEvery == 0 ? held : kept).Add(digit);
        }
        return (kept, held);
    }

    /// <summary>
    /// True when <paramref name="dir"/> holds a complete install: the manifest, and per split and class
    /// as many PNGs as it records (a test split too when <paramref name="requireTest"/>).
    /// </summary>
    public static bool IsInstalled(string dir, bool requireTest)
    {
        var manifest = Path.Combine(dir, ManifestName);
        if (!File.Exists(manifest)) return false;
        try
        {
            var counts = JsonNode.Parse(File.ReadAllText(manifest))?["counts"]?.AsObject();
            if (counts is null || counts["train"] is null || counts["val"] is null || (requireTest && counts["test"] is null)) return false;
            foreach (var (split, perClass) in counts)
            {
                if (perClass is not JsonArray array) return false;
                var expected = array.Select(n => n?.GetValue<int>() ?? -1).ToArray();
                if (!expected.SequenceEqual(CountPngs(Path.Combine(dir, split)))) return false;
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or IOException)
        {
            return false;
        }
    }

    /// <summary>Verifies the digits, writes the splits into a sibling temp folder, recounts them there, then swaps it into place.</summary>
    private static void Install(List<UspsDigit> trainAll, List<UspsDigit>? test, string dir, string origin, TextWriter log)
    {
        var (train, val) = SplitValidation(trainAll);
        var splits = new List<(string Name, List<UspsDigit> Digits)> { ("train", train), ("val", val) };
        if (test is not null) splits.Add(("test", test));
        foreach (var (name, digits) in splits)
        {
            var missing = DigitSet.DigitClasses.Where((_, c) => !digits.Any(d => d.Label == c)).ToArray();
            if (missing.Length > 0)
                throw new InvalidDataException($"{origin}: no {name} digits of class {string.Join(",", missing)}" +
                    (name == "val" ? $" (each class needs at least {ValidationEvery} training digits)" : ""));
        }

        var full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !File.Exists(Path.Combine(full, ManifestName)))
            throw new IOException($"{dir}: exists and is not a USPS install (no {ManifestName}); remove it or choose another --dir");
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        var tmp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        var old = Path.Combine(parent, $".{Path.GetFileName(full)}.{Environment.ProcessId}.old");
        try
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
            var counts = new JsonObject();
            foreach (var (name, digits) in splits)
            {
                WriteSplit(digits, Path.Combine(tmp, name));
                var perClass = ClassCounts(digits);
                if (!perClass.SequenceEqual(CountPngs(Path.Combine(tmp, name))))
                    throw new IOException($"{tmp}: the written {name} split does not hold the expected {digits.Count} images");
                counts[name] = new JsonArray(perClass.Select(n => (JsonNode)n).ToArray());
                log.WriteLine($"data fetch: {name,-5} {digits.Count,5} digits 16x16 ({string.Join(" ", perClass.Select((n, c) => $"{c}:{n}"))})");
            }
            var manifest = new JsonObject
            {
                ["dataSet"] = "USPS handwritten ZIP-code digits, 16x16 grey, dark ink on light paper",
                ["source"] = origin,
                ["validationRule"] = ValidationRule,
                ["counts"] = counts,
            };
            File.WriteAllText(Path.Combine(tmp, ManifestName), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

            var replacing = Directory.Exists(full);
            if (replacing) Directory.Move(full, old);
            try
            {
                Directory.Move(tmp, full);
            }
            catch when (replacing)
            {
                Directory.Move(old, full);
                throw;
            }
            if (replacing) Directory.Delete(old, recursive: true);
            log.WriteLine($"data fetch: USPS in {dir} (train/, val/{(test is null ? "" : ", test/")}; " +
                $"val/ is every {ValidationEvery}th digit of each class, see {ManifestName})");
        }
        finally
        {
            if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        }
    }

    private static void WriteSplit(List<UspsDigit> digits, string dir)
    {
        foreach (var name in DigitSet.DigitClasses) Directory.CreateDirectory(Path.Combine(dir, name));
        Parallel.ForEach(digits, d =>
        {
            var png = GrayImageCodec.EncodePng(new GrayImage(d.Pixels, UspsDigit.Side, UspsDigit.Side, UspsDigit.Side));
            File.WriteAllBytes(Path.Combine(dir, d.Label.ToString(CultureInfo.InvariantCulture), d.Name + ".png"), png);
        });
    }

    private static int[] ClassCounts(List<UspsDigit> digits)
    {
        var counts = new int[DigitSet.DigitClasses.Count];
        foreach (var d in digits) counts[d.Label]++;
        return counts;
    }

    private static int[] CountPngs(string splitDir) =>
        DigitSet.DigitClasses.Select(c => Path.Combine(splitDir, c))
            .Select(d => Directory.Exists(d) ? Directory.EnumerateFiles(d, "*.png").Count() : -1)
            .ToArray();

    /// <summary><c>DIR/NAME</c> or <c>DIR/NAME.gz</c>, or null.</summary>
    private static string? FindText(string dir, string name) =>
        new[] { name, name + ".gz" }.Select(n => Path.Combine(dir, n)).FirstOrDefault(File.Exists);
}
