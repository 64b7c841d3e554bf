using System.Globalization;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;

namespace EdgeDigits.Training.Data.Meters;

/// <summary>
/// Real meter digit windows from a folder <c>DIR/&lt;d.t&gt;/*.jpg</c> (digit and tenths of its roll, the layout of the
/// public meterdigits set), normalized for the meter model (Core's <see cref="MeterWindowNormalizer"/>), with the
/// meter series and family of every window for by-meter validation.
/// </summary>
public sealed class MeterDigitSet
{
    private MeterDigitSet(DigitSet windows, string[] files, string[] series, string[] families)
    {
        Windows = windows;
        Files = files;
        Series = series;
        Families = families;
    }

    /// <summary>The normalized windows; labels index <see cref="TenthsDecoder.ClassLabels"/> (tenths 0 … 99).</summary>
    public DigitSet Windows { get; }

    /// <summary>The source file of each window.</summary>
    public string[] Files { get; }

    /// <summary>The meter series of each window (<see cref="MeterSeries.SeriesOf"/>).</summary>
    public string[] Series { get; }

    /// <summary>The meter family of each window (<see cref="MeterSeries.FamilyOf"/>).</summary>
    public string[] Families { get; }

    /// <summary>Number of windows.</summary>
    public int Count => Files.Length;

    /// <summary>Parses a label folder name such as <c>3.4</c> (also <c>3</c>, <c>9.700000000000001</c>) into tenths 0 … 99.</summary>
    /// <returns>False when the name is not a wheel position in [0,10).</returns>
    public static bool TryParseLabel(string folderName, out int tenths)
    {
        tenths = -1;
        if (!double.TryParse(folderName, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) || v < 0 || v >= 10) return false;
        tenths = (int)Math.Round(v * 10) % TenthsDecoder.Classes;
        return true;
    }

    /// <summary>Loads every window under <paramref name="dir"/>, decoding in parallel.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A folder is not a wheel position, an image cannot be decoded, or there are no images; the message names the path.</exception>
    public static MeterDigitSet Load(string dir, TextWriter? log = null)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: meter digit folder not found");
        var entries = new List<(string File, int Label)>();
        foreach (var labelDir in Directory.GetDirectories(dir).OrderBy(d => d, StringComparer.Ordinal))
        {
            var name = Path.GetFileName(labelDir);
            if (!TryParseLabel(name, out var tenths))
                throw new InvalidDataException($"{labelDir}: folder name '{name}' is not a wheel position 0.0 … 9.9");
            foreach (var f in Directory.GetFiles(labelDir).Where(f => FolderDataset.ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).OrderBy(f => f, StringComparer.Ordinal))
                entries.Add((f, tenths));
        }
        if (entries.Count == 0) throw new InvalidDataException($"{dir}: no images found (expected {dir}/<d.t>/*.jpg)");
        var pixels = new byte[entries.Count * MeterWindowNormalizer.Pixels];
        var done = 0;
        Parallel.For(0, entries.Count, i =>
        {
            var image = Decode(entries[i].File);
            MeterWindowNormalizer.Normalize(image, image.Bounds, pixels.AsSpan(i * MeterWindowNormalizer.Pixels, MeterWindowNormalizer.Pixels));
            var n = Interlocked.Increment(ref done);
            if (log is not null && n % 4000 == 0) log.WriteLine($"meter windows: {n:N0} of {entries.Count:N0} decoded");
        });
        var files = entries.Select(e => e.File).ToArray();
        var set = new DigitSet(pixels, entries.Select(e => e.Label).ToArray(), TenthsDecoder.ClassLabels);
        return new MeterDigitSet(set, files, files.Select(MeterSeries.SeriesOf).ToArray(), files.Select(MeterSeries.FamilyOf).ToArray());
    }

    /// <summary>
    /// The windows normalized as the cuts of <paramref name="crops"/> (window-major, <see cref="MeterTestTimeCrops.Count"/> 28x28
    /// cuts per window, as <see cref="MeterWindowReader.Probabilities"/> takes them); one cut is <see cref="Windows"/>' own pixels.
    /// More cuts decode the files again, in parallel.
    /// </summary>
    /// <exception cref="InvalidDataException">An image can no longer be decoded.</exception>
    public byte[] Cuts(MeterTestTimeCrops crops)
    {
        ArgumentNullException.ThrowIfNull(crops);
        if (crops.Count == 1) return Windows.Pixels;
        int cut = crops.Count * MeterWindowNormalizer.Pixels;
        var pixels = new byte[Count * cut];
        Parallel.For(0, Count, i =>
        {
            var image = Decode(Files[i]);
            for (int k = 0; k < crops.Count; k++)
                MeterWindowNormalizer.Normalize(image, image.Bounds, crops.Shifts[k], pixels.AsSpan(i * cut + k * MeterWindowNormalizer.Pixels, MeterWindowNormalizer.Pixels));
        });
        return pixels;
    }

    /// <summary>Decodes one window file; an undecodable one is bad data, named.</summary>
    private static GrayImage Decode(string file)
    {
        try
        {
            return GrayImageCodec.Decode(file);
        }
        catch (ImageFormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    /// <summary>The pseudo-family naming every family with fewer than a given number of windows: one-off meters of many different users.</summary>
    public const string RareFamily = "rare";

    /// <summary>Default for the rare-family bound: families with fewer windows than this are <see cref="RareFamily"/>.</summary>
    public const int DefaultRareFamilyWindows = 200;

    /// <summary>Windows per family.</summary>
    public IReadOnlyDictionary<string, int> FamilyCounts() => Families.CountBy(f => f).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>
    /// Splits the set by family: windows whose family (or <see cref="RareFamily"/>, for families with fewer than
    /// <paramref name="rareWindows"/> windows) is in <paramref name="names"/>, and the rest.
    /// </summary>
    /// <exception cref="InvalidDataException">A name is neither a family of this set nor <see cref="RareFamily"/>.</exception>
    public (MeterDigitSet Selected, MeterDigitSet Others) SplitByFamily(IReadOnlyCollection<string> names, int rareWindows = DefaultRareFamilyWindows)
    {
        var counts = FamilyCounts();
        foreach (var name in names)
            if (name != RareFamily && !counts.ContainsKey(name))
                throw new InvalidDataException($"no meter family '{name}' (families: {string.Join(", ", counts.Where(kv => kv.Value >= rareWindows).Select(kv => kv.Key).Order())}, {RareFamily})");
        bool Selected(string f) => names.Contains(f) || (counts[f] < rareWindows && names.Contains(RareFamily));
        return (Where(Selected), Where(f => !Selected(f)));
    }

    /// <summary>
    /// Splits the set by meter series (<see cref="MeterSeries.SeriesOf"/>, e.g. <c>dig4</c>) or whole meter families
    /// (<see cref="MeterSeries.FamilyOf"/>, or <see cref="RareFamily"/> for every family with fewer than
    /// <paramref name="rareWindows"/> windows): windows whose series or family is in <paramref name="names"/>, and the
    /// rest. Used to hold out a validation part of the training windows: other wheels of the training meters (series),
    /// or meters unlike them (families).
    /// </summary>
    /// <exception cref="InvalidDataException">A name is neither a series nor a family of this set.</exception>
    public (MeterDigitSet Selected, MeterDigitSet Others) SplitBySeriesOrFamily(IReadOnlyCollection<string> names, int rareWindows = DefaultRareFamilyWindows)
    {
        var known = Series.ToHashSet(StringComparer.Ordinal);
        var counts = FamilyCounts();
        foreach (var name in names)
            if (!known.Contains(name) && !counts.ContainsKey(name) && !(name == RareFamily && counts.Values.Any(c => c < rareWindows)))
                throw new InvalidDataException($"no meter series or family '{name}' among the training windows (series: {string.Join(", ", known.Order(StringComparer.Ordinal).Take(20))}{(known.Count > 20 ? ", …" : "")})");
        bool Selected(int i) => names.Contains(Series[i]) || names.Contains(Families[i]) || (names.Contains(RareFamily) && counts[Families[i]] < rareWindows);
        return (WhereIndex(Selected), WhereIndex(i => !Selected(i)));
    }

    /// <summary>The windows whose family satisfies <paramref name="predicate"/>, as a new set.</summary>
    public MeterDigitSet Where(Func<string, bool> predicate) => WhereIndex(i => predicate(Families[i]));

    private MeterDigitSet WhereIndex(Func<int, bool> predicate)
    {
        var idx = Enumerable.Range(0, Count).Where(predicate).ToArray();
        return new MeterDigitSet(Windows.Subset(idx), idx.Select(i => Files[i]).ToArray(), idx.Select(i => Series[i]).ToArray(), idx.Select(i => Families[i]).ToArray());
    }
}
