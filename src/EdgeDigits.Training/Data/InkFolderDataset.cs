using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Training.Data;

/// <summary>
/// Reads a folder of labeled ink recordings (<c>DIR/*.json</c> in the DESIGN ink format, each with its
/// <c>"label"</c>, e.g. the kiosk's corrections) into training crops, made by Core's <see cref="CropExtractor"/>
/// exactly as the device reads an ink: each ink is grouped into digits, and when it finds as many digits as the
/// label has, digit i's crop gets the label's digit i. An ink grouped otherwise is left out (counted), since no
/// crop can carry its label with certainty.
/// </summary>
public static class InkFolderDataset
{
    /// <summary>Whether <paramref name="dir"/> holds ink files (<c>*.json</c>) and no label subfolders.</summary>
    public static bool LooksLikeInkFolder(string dir) =>
        Directory.Exists(dir) && !Directory.EnumerateDirectories(dir).Any() && Directory.EnumerateFiles(dir, "*.json").Any();

    /// <summary>Loads every labeled ink of <paramref name="dir"/>.</summary>
    /// <param name="dir">The folder of ink JSON files.</param>
    /// <param name="skipped">Inks left out because the grouping found another number of digits than the label has.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">An ink is malformed or has no digits-only label (the message names the file), or no ink gave a crop.</exception>
    public static DigitSet Load(string dir, out int skipped)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: ink folder not found");
        var pixels = new List<byte>();
        var labels = new List<int>();
        var extractor = new CropExtractor();
        skipped = 0;
        foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            Ink ink;
            try
            {
                ink = Ink.Load(file);
            }
            catch (InkFormatException ex)
            {
                throw new InvalidDataException(ex.Message, ex);
            }
            if (ink.Label is not { Length: > 0 } label || !label.All(char.IsAsciiDigit))
                throw new InvalidDataException($"{file}: a training ink needs a \"label\" of digits (got {(ink.Label is null ? "none" : $"'{ink.Label}'")})");
            if (extractor.Extract(ink) != label.Length)
            {
                skipped++;
                continue;
            }
            for (var i = 0; i < label.Length; i++)
            {
                pixels.AddRange(extractor.Crop(i));
                labels.Add(label[i] - '0');
            }
        }
        if (labels.Count == 0) throw new InvalidDataException($"{dir}: no ink gave as many digits as its label ({skipped} left out)");
        return new DigitSet(pixels.ToArray(), labels.ToArray(), DigitSet.DigitClasses.ToArray());
    }
}
