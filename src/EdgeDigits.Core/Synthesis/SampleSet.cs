using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Preprocessing;

namespace EdgeDigits.Core.Synthesis;

/// <summary>
/// Writes the repository's <c>samples/</c> set: inks traced from MNIST test digits, photo-like
/// handwritten-number images composed from MNIST test digits, and 7-segment meter images (one
/// seen at an angle). Fixed seeds, so re-running reproduces the committed files.
/// </summary>
public static class SampleSet
{
    /// <summary>Generates every sample into <paramref name="outDir"/> (ink/ and images/) and returns the files written.</summary>
    /// <param name="mnistDir">Folder with t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte.</param>
    /// <param name="outDir">Destination (typically <c>samples</c>).</param>
    /// <exception cref="FileNotFoundException">The MNIST test files are missing.</exception>
    public static IReadOnlyList<string> Write(string mnistDir, string outDir)
    {
        var (images, labels) = LoadMnistTest(mnistDir);
        var written = new List<string>();
        var inkDir = Path.Combine(outDir, "ink");
        var imgDir = Path.Combine(outDir, "images");
        Directory.CreateDirectory(inkDir);
        Directory.CreateDirectory(imgDir);

        // Digits of a given label, taken in test-set order starting at a seed-chosen offset.
        var rng = new Random(2026);
        byte[] Pick(char c)
        {
            int label = c - '0';
            int start = rng.Next(labels.Length);
            for (int k = 0; k < labels.Length; k++)
            {
                int i = (start + k) % labels.Length;
                if (labels[i] == label) return images.AsSpan(i * 784, 784).ToArray();
            }
            throw new InvalidDataException($"{mnistDir}: no test digit labelled {c}");
        }
        List<byte[]> Digits(string text) => text.Select(Pick).ToList();

        foreach (var text in new[] { "2024", "31415", "7", "90210" })
        {
            var path = Path.Combine(inkDir, $"{text}.json");
            InkTracer.Compose(Digits(text), new Random(int.Parse(text, System.Globalization.CultureInfo.InvariantCulture)), text).Save(path);
            written.Add(path);
        }
        var handwritten = new (string Text, bool Invert)[] { ("5081", false), ("367", false), ("42", true) };
        foreach (var (text, invert) in handwritten)
        {
            var path = Path.Combine(imgDir, $"handwritten-{text}{(invert ? "-inverted" : "")}.png");
            GrayImageCodec.SavePng(DigitComposer.Compose(Digits(text), new Random(text.Length * 977), invert), path);
            written.Add(path);
        }
        var meter = SevenSegmentRenderer.Render("004271", new Random(11));
        var meterPath = Path.Combine(imgDir, "meter-7seg-004271.png");
        GrayImageCodec.SavePng(meter, meterPath);
        written.Add(meterPath);

        var angled = SkewedOnto(SevenSegmentRenderer.Render("1388", new Random(12)), out var quad);
        var angledPath = Path.Combine(imgDir, "meter-7seg-1388-angled.png");
        GrayImageCodec.SavePng(angled, angledPath);
        written.Add(angledPath);
        File.WriteAllText(Path.Combine(imgDir, "meter-7seg-1388-angled.quad.txt"),
            string.Join(",", quad.Select(p => FormattableString.Invariant($"{p.X:0},{p.Y:0}"))) + "\n");
        written.Add(Path.Combine(imgDir, "meter-7seg-1388-angled.quad.txt"));
        return written;
    }

    /// <summary>Reads the MNIST test split (raw IDX files) as 784-byte images and labels.</summary>
    public static (byte[] Images, byte[] Labels) LoadMnistTest(string mnistDir)
    {
        var img = Path.Combine(mnistDir, "t10k-images-idx3-ubyte");
        var lab = Path.Combine(mnistDir, "t10k-labels-idx1-ubyte");
        if (!File.Exists(img) || !File.Exists(lab)) throw new FileNotFoundException($"{mnistDir}: MNIST test files (t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte) not found");
        var images = File.ReadAllBytes(img);
        var labels = File.ReadAllBytes(lab);
        if (images.Length < 16 || images[2] != 8 || images[3] != 3) throw new InvalidDataException($"{img}: not an IDX image file");
        return (images[16..], labels[8..]);
    }

    /// <summary>Pastes <paramref name="src"/> onto a larger wall as if photographed from the side (a perspective quad).</summary>
    private static GrayImage SkewedOnto(GrayImage src, out PointF[] quad)
    {
        int w = src.Width + 120, h = src.Height + 140;
        quad = [new(50, 60), new(50 + src.Width * 0.95, 40), new(60 + src.Width, 45 + src.Height * 1.15), new(40, 70 + src.Height)];
        // Map wall pixels back into the display with the inverse of the quad's transform.
        var toWall = PerspectiveTransform.FromQuad(quad, src.Width, src.Height);
        var dst = new GrayImage(w, h);
        dst.Fill(95);
        // Forward-splat by sampling: for each display pixel centre, find its wall position; dense enough at this scale.
        for (int y = 0; y < src.Height * 2; y++)
            for (int x = 0; x < src.Width * 2; x++)
            {
                var p = toWall.Map(x / 2.0 + 0.25, y / 2.0 + 0.25);
                int wx = (int)p.X, wy = (int)p.Y;
                if ((uint)wx < (uint)w && (uint)wy < (uint)h) dst[wx, wy] = src[x / 2, y / 2];
            }
        return dst;
    }
}
