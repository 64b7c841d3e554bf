using SkiaSharp;

namespace EdgeDigits.Training.Data;

/// <summary>
/// Reads a labeled image folder <c>DIR/&lt;label&gt;/*.png|jpg</c> (e.g. digits collected on a device)
/// into a <see cref="DigitSet"/>: decode, grayscale, polarity to white ink on black, and MNIST-style
/// normalization when an image is not already 28x28.
/// </summary>
public static class FolderDataset
{
    /// <summary>File extensions read as images (case-insensitive); other files are ignored.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg"];

    /// <summary>
    /// Turns a grayscale white-on-black crop of any size into a 28x28 MNIST-style image. Set by the
    /// caller; until Core's DigitNormalizer is wired in, images that are not 28x28 need it.
    /// </summary>
    public static Func<byte[], int, int, byte[]>? DefaultNormalizer { get; set; }

    /// <summary>Whether <paramref name="dir"/> looks like a folder dataset (has at least one label subfolder).</summary>
    public static bool LooksLikeFolderDataset(string dir) =>
        Directory.Exists(dir) && Directory.EnumerateDirectories(dir).Any();

    /// <summary>Loads every image under <paramref name="dir"/>.</summary>
    /// <param name="dir">The root folder; each subfolder is a label.</param>
    /// <param name="classNames">Allowed labels in class order; default "0".."9" plus "none" when such a folder exists.</param>
    /// <param name="normalizer">Normalizes crops that are not 28x28; default <see cref="DefaultNormalizer"/>.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">An unknown label folder, an unreadable image, a wrong size with no normalizer, or no images at all; the message names the path.</exception>
    public static DigitSet Load(string dir, IReadOnlyList<string>? classNames = null, Func<byte[], int, int, byte[]>? normalizer = null)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: dataset folder not found");
        normalizer ??= DefaultNormalizer;
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

    /// <summary>Decodes one image into a 28x28 white-on-black crop.</summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded, or is not 28x28 and there is no normalizer.</exception>
    public static byte[] LoadImage(string path, Func<byte[], int, int, byte[]>? normalizer = null)
    {
        normalizer ??= DefaultNormalizer;
        var (gray, w, h) = DecodeGray(path);
        ToWhiteOnBlack(gray, w, h);
        if (w == DigitSet.Side && h == DigitSet.Side) return gray;
        if (normalizer is null)
            throw new InvalidDataException($"{path}: image is {w}x{h}, not 28x28, and no digit normalizer is configured");
        var result = normalizer(gray, w, h);
        if (result.Length != DigitSet.ImageSize)
            throw new InvalidDataException($"{path}: normalizer returned {result.Length} pixels, expected {DigitSet.ImageSize}");
        return result;
    }

    /// <summary>Decodes an image file to 8-bit luminance; transparent areas are composited onto white.</summary>
    /// <exception cref="InvalidDataException">The file is not a decodable image; the message names it.</exception>
    public static (byte[] Gray, int Width, int Height) DecodeGray(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new InvalidDataException($"{path}: cannot read image ({ex.Message})", ex);
        }
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        using var decoded = codec is null ? null : SKBitmap.Decode(codec);
        if (decoded is null || decoded.Width <= 0 || decoded.Height <= 0)
            throw new InvalidDataException($"{path}: not a decodable PNG/JPEG image");
        int w = decoded.Width, h = decoded.Height;
        using var rgba = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(rgba))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(decoded, 0, 0);
        }
        var src = rgba.GetPixelSpan();
        var gray = new byte[w * h];
        for (var i = 0; i < gray.Length; i++)
        {
            // ITU-R BT.601 luma in integer arithmetic (weights sum to 1024).
            var r = src[4 * i];
            var g = src[4 * i + 1];
            var b = src[4 * i + 2];
            gray[i] = (byte)((306 * r + 601 * g + 117 * b + 512) >> 10);
        }
        return (gray, w, h);
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
}
