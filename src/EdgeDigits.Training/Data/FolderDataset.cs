using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Training.Data;

/// <summary>
/// Reads a labeled image folder <c>DIR/&lt;label&gt;/*.png|jpg</c> (e.g. digits collected on a device)
/// into a <see cref="DigitSet"/>: decode, grayscale, polarity to white ink on black, and MNIST-style
/// normalization (Core's <see cref="DigitNormalizer"/>) when an image is not already 28x28.
/// </summary>
public static class FolderDataset
{
    /// <summary>File extensions read as images (case-insensitive); other files are ignored.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg"];

    /// <summary>Whether <paramref name="dir"/> looks like a folder dataset (has at least one label subfolder).</summary>
    public static bool LooksLikeFolderDataset(string dir) =>
        Directory.Exists(dir) && Directory.EnumerateDirectories(dir).Any();

    /// <summary>Loads every image under <paramref name="dir"/>.</summary>
    /// <param name="dir">The root folder; each subfolder is a label.</param>
    /// <param name="classNames">Allowed labels in class order; default "0".."9" plus "none" when such a folder exists.</param>
    /// <param name="normalizer">Normalizes crops that are not 28x28; default Core's <see cref="DigitNormalizer"/> (MNIST layout).</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">An unknown label folder, an unreadable image, or no images at all; the message names the path.</exception>
    public static DigitSet Load(string dir, IReadOnlyList<string>? classNames = null, Func<byte[], int, int, byte[]>? normalizer = null)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: dataset folder not found");
        var labelDirs = Directory.GetDirectories(dir).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        string[] classes;
        if (classNames is not null)
        {
            classes = classNames.ToArray();
        }
        else
        {
            var hasNone = labelDirs.Any(d => Path.GetFileName(d) == DigitSet.NoneClass);
            classes = hasNone ? [.. DigitSet.DigitClasses, DigitSet.NoneClass] : DigitSet.DigitClasses.ToArray();
        }
        var pixels = new List<byte[]>();
        var labels = new List<int>();
        foreach (var labelDir in labelDirs)
        {
            var label = Path.GetFileName(labelDir);
            var cls = Array.IndexOf(classes, label);
            if (cls < 0)
                throw new InvalidDataException($"{labelDir}: unknown label folder '{label}' (expected one of {string.Join(",", classes)})");
            var files = Directory.GetFiles(labelDir)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal);
            foreach (var file in files)
            {
                pixels.Add(LoadImage(file, normalizer));
                labels.Add(cls);
            }
        }
        if (labels.Count == 0) throw new InvalidDataException($"{dir}: no images found (expected {dir}/<label>/*.png|jpg)");
        var all = new byte[labels.Count * DigitSet.ImageSize];
        for (var i = 0; i < pixels.Count; i++) pixels[i].CopyTo(all, i * DigitSet.ImageSize);
        return new DigitSet(all, labels.ToArray(), classes);
    }

    /// <summary>Decodes one image into a 28x28 white-on-black crop (MNIST-normalized unless it already is 28x28).</summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded or holds no ink; the message names it.</exception>
    public static byte[] LoadImage(string path, Func<byte[], int, int, byte[]>? normalizer = null)
    {
        var (gray, w, h) = DecodeGray(path);
        ToWhiteOnBlack(gray, w, h);
        StretchFromBackground(gray, w, h);
        if (w == DigitSet.Side && h == DigitSet.Side) return gray;
        byte[] result;
        if (normalizer is not null)
        {
            result = normalizer(gray, w, h);
        }
        else
        {
            result = new byte[DigitSet.ImageSize];
            if (DigitNormalizer.ForCurrentThread.Normalize(gray, w, h, w, result).IsEmpty)
                throw new InvalidDataException($"{path}: no ink found in the {w}x{h} image");
        }
        if (result.Length != DigitSet.ImageSize)
            throw new InvalidDataException($"{path}: normalizer returned {result.Length} pixels, expected {DigitSet.ImageSize}");
        return result;
    }

    /// <summary>Decodes an image file to 8-bit luminance (EXIF orientation applied, transparency over white) with Core's codec.</summary>
    /// <exception cref="InvalidDataException">The file is not a decodable image; the message names it.</exception>
    public static (byte[] Gray, int Width, int Height) DecodeGray(string path)
    {
        GrayImage image;
        try
        {
            image = GrayImageCodec.Decode(path);
        }
        catch (ImageFormatException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
        var gray = new byte[image.Width * image.Height];
        for (var y = 0; y < image.Height; y++) image.Row(y).CopyTo(gray.AsSpan(y * image.Width, image.Width));
        return (gray, image.Width, image.Height);
    }

    /// <summary>Inverts the image in place when its border is bright (dark ink on a light background).</summary>
    /// <returns>True when the image was inverted.</returns>
    public static bool ToWhiteOnBlack(Span<byte> gray, int width, int height)
    {
        long sum = 0;
        var n = 0;
        for (var x = 0; x < width; x++)
        {
            sum += gray[x] + gray[(height - 1) * width + x];
            n += 2;
        }
        for (var y = 1; y < height - 1; y++)
        {
            sum += gray[y * width] + gray[y * width + width - 1];
            n += 2;
        }
        if (sum <= 127L * n) return false;
        for (var i = 0; i < gray.Length; i++) gray[i] = (byte)(255 - gray[i]);
        return true;
    }

    /// <summary>
    /// Maps a non-black background level (median of the border) to 0 and the brightest ink to 255, in place,
    /// so a grey paper background does not count as ink when the digit's bounding box is found. Images on a
    /// black background are left alone unless <paramref name="evenOnBlack"/> (28x28 MNIST-style crops stay bit-exact).
    /// </summary>
    public static void StretchFromBackground(Span<byte> gray, int width, int height, bool evenOnBlack = false)
    {
        var border = new List<byte>(2 * (width + height));
        for (var x = 0; x < width; x++) { border.Add(gray[x]); border.Add(gray[(height - 1) * width + x]); }
        for (var y = 1; y < height - 1; y++) { border.Add(gray[y * width]); border.Add(gray[y * width + width - 1]); }
        border.Sort();
        int bg = border[border.Count / 2];
        int max = 0;
        foreach (var v in gray) if (v > max) max = v;
        if (max <= bg || (bg == 0 && !evenOnBlack)) return;
        var range = max - bg;
        for (var i = 0; i < gray.Length; i++)
        {
            var v = gray[i] - bg;
            gray[i] = (byte)(v <= 0 ? 0 : (v * 255 + range / 2) / range);
        }
    }
}
