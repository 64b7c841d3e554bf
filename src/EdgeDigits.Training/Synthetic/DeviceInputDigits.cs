using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Synthetic;

/// <summary>
/// Training crops that look exactly like what the device feeds the classifier, made from handwritten
/// source digits (the MNIST <em>training</em> split) with Core's own code:
/// <list type="bullet">
/// <item><see cref="Inks"/>: numbers of 1-4 digits traced into pen strokes (<see cref="InkTracer"/>),
/// grouped and rasterized by <see cref="CropExtractor"/> as <see cref="NumberReader"/> reads an ink.</item>
/// <item><see cref="Pipeline"/>: numbers of 1-8 digits composed into photo-like images
/// (<see cref="DigitComposer"/>) and cut by the real frame pipeline (<see cref="CropExtractor"/>:
/// preprocess, segment, deskew, normalize). Each crop is labeled by the composer's box it matches.</item>
/// <item><see cref="Clutter"/>: the same cut from numbers on cluttered forms, the candidates that cover no digit labeled "none".</item>
/// </list>
/// Crops the segmentation got wrong (a digit split in two, two digits merged) are left out: their
/// label is not a digit. Deterministic for a seed and independent of the thread count.
/// </summary>
public static class DeviceInputDigits
{
    /// <summary>A pipeline crop is labeled with a composed digit when their boxes overlap at least this much (intersection over union).</summary>
    public const double MinOverlap = 0.5;

    /// <summary>Numbers (inks or images) generated per parallel batch.</summary>
    private const int Batch = 256;

    /// <summary>Inks traced from <paramref name="source"/> digits: <paramref name="count"/> crops, classes "0".."9".</summary>
    /// <param name="source">Handwritten 28x28 digits (white on black), e.g. the MNIST training split.</param>
    /// <param name="count">Number of crops.</param>
    /// <param name="split">Random stream: training, or a disjoint held-out stream.</param>
    /// <param name="seed">Random seed.</param>
    public static DigitSet Inks(DigitSet source, int count, SyntheticSplit split, int seed) =>
        Generate(source, count, split, seed, salt: 0x1A7, maxLength: 4, (x, digits, rng, labels) =>
        {
            var ink = InkTracer.Compose(digits, rng);
            int n = x.Extract(ink);
            return n == digits.Count ? Enumerable.Range(0, n).Select(i => (i, labels[i])).ToList() : [];
        });

    /// <summary>Digits cut from composed images by the frame pipeline: <paramref name="count"/> crops, classes "0".."9".</summary>
    /// <param name="source">Handwritten 28x28 digits (white on black), e.g. the MNIST training split.</param>
    /// <param name="count">Number of crops.</param>
    /// <param name="split">Random stream: training, or a disjoint held-out stream.</param>
    /// <param name="seed">Random seed.</param>
    public static DigitSet Pipeline(DigitSet source, int count, SyntheticSplit split, int seed) =>
        Generate(source, count, split, seed, salt: 0x919, maxLength: 8, (x, digits, rng, labels) =>
        {
            // Same mix as the device sees: mostly dark ink on paper, one in five light on dark.
            bool invert = rng.NextDouble() < 0.2;
            var boxes = new List<PixelRect>(digits.Count);
            var image = DigitComposer.Compose(digits, rng, invert, boxes);
            int n = x.Extract(image, NumberReaderOptions.Default);
            var found = new List<(int, int)>();
            for (int c = 0; c < n; c++)
            {
                int best = BestMatch(x.CropBox(c), boxes);
                if (best >= 0) found.Add((c, labels[best]));
            }
            return found;
        });

    /// <summary>A pipeline crop of a cluttered form is "not a digit" when at most this fraction of it, and of every digit, lies in the other's box.</summary>
    public const double MaxClutterOverlap = 0.1;

    /// <summary>
    /// Crops cut by the frame pipeline from numbers of <paramref name="source"/> digits written on cluttered forms
    /// (<see cref="ClutteredFormComposer"/>: ruling lines, table borders, scanner strips, stamps, ticks, crosses, dots):
    /// a candidate that matches a written digit (<see cref="MinOverlap"/>) keeps its label, one that covers no digit
    /// (<see cref="MaxClutterOverlap"/>) is "none"; the ones between (a digit with a mark stuck to it) are left out.
    /// Classes "0".."9" and "none".
    /// </summary>
    /// <param name="source">Handwritten 28x28 digits (white on black), e.g. the MNIST training split.</param>
    /// <param name="count">Number of crops.</param>
    /// <param name="split">Random stream: training, or a disjoint held-out stream.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="loneMarks">Share of the pages that hold no number, only one mark (<see cref="ClutteredFormComposer.LoneMark(Random)"/>: stamp rings, ticks, crosses, dots, strokes), all of whose crops are "none".</param>
    public static DigitSet Clutter(DigitSet source, int count, SyntheticSplit split, int seed, double loneMarks = LoneMarkShare)
    {
        if (!(loneMarks is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(loneMarks), loneMarks, "the share of lone-mark pages must be between 0 and 1");
        return Generate(source, count, split, seed, salt: 0xC17, maxLength: ClutteredFormComposer.MaxDigits, (x, digits, rng, labels) =>
        {
            var form = rng.NextDouble() < loneMarks ? ClutteredFormComposer.LoneMark(rng) : ClutteredFormComposer.Compose(digits, new string('0', digits.Count), rng, clutter: true);
            var boxes = form.DigitBoxes;
            int n = x.Extract(form.Image, NumberReaderOptions.Default);
            var found = new List<(int, int)>();
            for (int c = 0; c < n; c++)
            {
                var box = x.CropBox(c);
                int best = BestMatch(box, boxes);
                bool touches = false;
                for (int d = 0; d < boxes.Count; d++)
                {
                    var i = box.Intersect(boxes[d]);
                    if (!i.IsEmpty && (i.Area > MaxClutterOverlap * box.Area || i.Area > MaxClutterOverlap * boxes[d].Area)) touches = true;
                }
                if (best >= 0) found.Add((c, labels[best]));
                else if (!touches) found.Add((c, NoneLabel));
            }
            return found;
        }, WithNone);
    }

    /// <summary>Default share of the pages of <see cref="Clutter"/> that hold one lone mark and no number (a lone stamp ring read as a confident 0 before).</summary>
    public const double LoneMarkShare = 0.15;

    private const int NoneLabel = 10;

    private static readonly string[] WithNone = [.. DigitSet.DigitClasses, DigitSet.NoneClass];

    /// <summary>The index of the box of <paramref name="boxes"/> that <paramref name="crop"/> overlaps most, at least <see cref="MinOverlap"/> (intersection over union); -1 when none does.</summary>
    public static int BestMatch(PixelRect crop, IReadOnlyList<PixelRect> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        int best = -1;
        double bestIou = MinOverlap;
        for (int d = 0; d < boxes.Count; d++)
        {
            double iou = Iou(crop, boxes[d]);
            if (iou >= bestIou) { bestIou = iou; best = d; }
        }
        return best;
    }

    /// <summary>Intersection over union of two boxes (0 when either is empty).</summary>
    public static double Iou(PixelRect a, PixelRect b)
    {
        var i = a.Intersect(b);
        if (i.IsEmpty || a.IsEmpty || b.IsEmpty) return 0;
        return (double)i.Area / (a.Area + b.Area - i.Area);
    }

    private delegate List<(int Crop, int Label)> Cutter(CropExtractor extractor, List<byte[]> digits, Random rng, int[] labels);

    private static DigitSet Generate(DigitSet source, int count, SyntheticSplit split, int seed, int salt, int maxLength, Cutter cut, string[]? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > 0 && source.Count == 0) throw new ArgumentException("no source digits", nameof(source));
        var digitOf = source.ClassNames.Select(c => DigitSet.DigitClasses.ToList().IndexOf(c)).ToArray();
        if (digitOf.Any(d => d < 0)) throw new ArgumentException($"source classes must be digits 0-9 (got {string.Join(",", source.ClassNames)})", nameof(source));
        var pixels = new byte[count * DigitSet.ImageSize];
        var labels = new int[count];
        int filled = 0;
        for (int first = 0; filled < count; first += Batch)
        {
            var results = new (byte[] Pixels, int[] Labels)[Batch];
            Parallel.For(first, first + Batch, () => new CropExtractor(), (k, _, x) =>
            {
                var rng = new Random(CropPipeline.SampleSeed(seed, split, k, salt));
                int len = 1 + rng.Next(maxLength);
                var digits = new List<byte[]>(len);
                var truth = new int[len];
                for (int i = 0; i < len; i++)
                {
                    int idx = rng.Next(source.Count);
                    digits.Add(source.Image(idx).ToArray());
                    truth[i] = digitOf[source.Labels[idx]];
                }
                var found = cut(x, digits, rng, truth);
                var px = new byte[found.Count * DigitSet.ImageSize];
                for (int f = 0; f < found.Count; f++) x.Crop(found[f].Crop).CopyTo(px.AsSpan(f * DigitSet.ImageSize));
                results[k - first] = (px, found.Select(f => f.Label).ToArray());
                return x;
            }, _ => { });
            if (first > 64 * Batch + 16L * count) throw new InvalidOperationException("the segmentation matched almost no digits; cannot make device-style crops");
            foreach (var (px, lb) in results)
            {
                int take = Math.Min(lb.Length, count - filled);
                px.AsSpan(0, take * DigitSet.ImageSize).CopyTo(pixels.AsSpan(filled * DigitSet.ImageSize));
                lb.AsSpan(0, take).CopyTo(labels.AsSpan(filled));
                filled += take;
            }
        }
        return new DigitSet(pixels, labels, classNames ?? DigitSet.DigitClasses.ToArray());
    }
}
