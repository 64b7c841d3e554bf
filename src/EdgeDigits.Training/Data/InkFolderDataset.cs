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
        var pixels = new List<byte>();
        var labels = new List<int>();
        skipped = ForEachDigit(dir, (extractor, _, label, i) =>
        {
            pixels.AddRange(extractor.Crop(i));
            labels.Add(label[i] - '0');
        });
        return new DigitSet(pixels.ToArray(), labels.ToArray(), DigitSet.DigitClasses.ToArray());
    }

    /// <summary>
    /// Loads every labeled ink of <paramref name="dir"/> as single-digit inks for the ink sequence model: the strokes
    /// the device groups into digit i (the same grouping as <see cref="Load"/>) become an ink of their own, labeled
    /// with the label's digit i.
    /// </summary>
    /// <param name="dir">The folder of ink JSON files.</param>
    /// <param name="skipped">Inks left out because the grouping found another number of digits than the label has.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">An ink is malformed or has no digits-only label (the message names the file), or no ink gave a digit.</exception>
    public static List<(Ink Ink, int Digit)> LoadDigitInks(string dir, out int skipped)
    {
        var digits = new List<(Ink, int)>();
        skipped = ForEachDigit(dir, (extractor, ink, label, i) =>
        {
            var strokes = extractor.InkStrokes(i);
            var own = new InkPoint[strokes.Length][];
            for (int k = 0; k < strokes.Length; k++) own[k] = ink.Strokes[strokes[k]];
            digits.Add((new Ink(ink.Width, ink.Height, own, label[i].ToString()), label[i] - '0'));
        });
        return digits;
    }

    /// <summary>Groups each labeled ink as the device does and calls <paramref name="digit"/> for digit i of every ink whose group count matches its label; returns how many inks were left out.</summary>
    private static int ForEachDigit(string dir, Action<CropExtractor, Ink, string, int> digit)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: ink folder not found");
        var extractor = new CropExtractor();
        int skipped = 0, used = 0;
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
            for (var i = 0; i < label.Length; i++) digit(extractor, ink, label, i);
            used++;
        }
        if (used == 0) throw new InvalidDataException($"{dir}: no ink gave as many digits as its label ({skipped} left out)");
        return skipped;
    }
}
