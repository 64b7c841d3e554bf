using System.Globalization;

namespace EdgeDigits.Training.Data.Sources;

/// <summary>
/// Reads the USPS ZIP-code digits in either published form: the text files of "The Elements of
/// Statistical Learning" (<c>zip.train</c>, <c>zip.test</c>, plain or gzip) or a folder dataset
/// <c>DIR/0..9/*.png</c> of 16x16 grey images.
/// </summary>
public static class UspsReader
{
    /// <summary>Values per line of the text form: the label, then 16x16 pixels.</summary>
    public const int ValuesPerLine = 1 + UspsDigit.Side * UspsDigit.Side;

    // The text files print values with four decimals; allow their rounding and nothing more.
    private const double ValueTolerance = 1e-3;

    /// <summary>
    /// Parses a text file of lines <c>label v1 .. v256</c> (values -1..1, -1 = white paper, 1 = black
    /// ink, row-major 16x16) into digits named <c>usps_PREFIX_NNNN</c> by zero-based line index.
    /// Blank lines are skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">A malformed line (the message names file and line), a corrupt gzip stream, or no digits.</exception>
    public static List<UspsDigit> ReadText(string path, string prefix)
    {
        var digits = new List<UspsDigit>();
        using var stream = CompressedFile.OpenRead(path);
        using var reader = new StreamReader(stream);
        for (var lineNo = 1; ; lineNo++)
        {
            string? line;
            try
            {
                line = reader.ReadLine();
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"{path}: corrupt gzip stream ({ex.Message})", ex);
            }
            if (line is null) break;
            if (string.IsNullOrWhiteSpace(line)) continue;
            digits.Add(ParseLine(line, $"{path}:{lineNo}", $"usps_{prefix}_{digits.Count:D4}"));
        }
        if (digits.Count == 0) throw new InvalidDataException($"{path}: no digits (expected lines 'label v1 .. v256')");
        return digits;
    }

    /// <summary>Parses one text line; <paramref name="where"/> (file:line) starts every error message.</summary>
    /// <exception cref="InvalidDataException">Not 257 numbers, a label other than 0..9, or a value outside -1..1.</exception>
    public static UspsDigit ParseLine(string line, string where, string name)
    {
        var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length != ValuesPerLine)
            throw new InvalidDataException($"{where}: {tokens.Length} values, expected {ValuesPerLine} (a label and 16x16 pixels)");
        if (!double.TryParse(tokens[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var label)
            || label != Math.Floor(label) || label is < 0 or > 9)
            throw new InvalidDataException($"{where}: label '{tokens[0]}' is not a digit 0..9");
        var pixels = new byte[UspsDigit.Side * UspsDigit.Side];
        for (var i = 0; i < pixels.Length; i++)
        {
            var token = tokens[i + 1];
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                || !double.IsFinite(v) || Math.Abs(v) > 1 + ValueTolerance)
                throw new InvalidDataException($"{where}: pixel {i + 1} '{token}' is not a number within -1..1");
            pixels[i] = (byte)Math.Clamp(Math.Round((1 - v) * 127.5), 0, 255);
        }
        return new UspsDigit((int)label, name, pixels);
    }

    /// <summary>Reads a folder dataset <c>DIR/0..9/*.png|jpg</c> of 16x16 images (grey or colour, decoded to luminance), in file-name order per label.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A label folder other than 0..9, an undecodable image, an image that is not 16x16, two images with one name, or no images.</exception>
    public static List<UspsDigit> ReadFolder(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: folder not found");
        var digits = new List<UspsDigit>();
        foreach (var labelDir in Directory.GetDirectories(dir).OrderBy(d => d, StringComparer.Ordinal))
        {
            var labelName = Path.GetFileName(labelDir);
            var label = labelName is [var c] && char.IsAsciiDigit(c) ? c - '0' : -1;
            if (label < 0)
                throw new InvalidDataException($"{labelDir}: unknown label folder '{labelName}' (USPS has 0..9)");
            var names = new HashSet<string>(StringComparer.Ordinal);
            var files = Directory.GetFiles(labelDir)
                .Where(f => FolderDataset.ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (var file in files)
            {
                var (gray, w, h) = FolderDataset.DecodeGray(file);
                if (w != UspsDigit.Side || h != UspsDigit.Side)
                    throw new InvalidDataException($"{file}: {w}x{h} image; USPS digits are {UspsDigit.Side}x{UspsDigit.Side}");
                var name = Path.GetFileNameWithoutExtension(file);
                if (!names.Add(name)) throw new InvalidDataException($"{file}: another image in {labelDir} has the name '{name}'");
                digits.Add(new UspsDigit(label, name, gray));
            }
        }
        if (digits.Count == 0) throw new InvalidDataException($"{dir}: no images (expected {dir}/0..9/*.png)");
        return digits;
    }
}
