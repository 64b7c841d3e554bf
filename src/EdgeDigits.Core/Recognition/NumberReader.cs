using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Segmentation;

namespace EdgeDigits.Core.Recognition;

/// <summary>
/// Reads a number from a camera frame, an image or an ink: preprocess, segment, normalize each
/// digit to 28x28, classify all digits of the frame in one batch, and assemble a <see cref="Reading"/>.
/// Keeps every intermediate buffer, so <c>ReadInto</c> on frames of a steady size allocates nothing.
/// Does not own the classifier. Not thread-safe.
/// </summary>
public sealed class NumberReader
{
    private readonly DigitClassifier _classifier;
    private readonly FramePreprocessor _pre = new();
    private readonly DigitSegmenter _seg = new();
    private readonly DigitNormalizer _norm = new();
    private readonly InkSegmenter _inkSeg = new();
    private readonly InkRasterizer _raster = new();
    private readonly GrayImage _inkCrop = new(1, 1);
    private byte[] _crops = new byte[16 * DigitNormalizer.PixelCount];
    private PixelRect[] _boxes = new PixelRect[16];
    private float[] _probs = new float[160];

    /// <summary>Creates a reader over <paramref name="classifier"/> (which the caller keeps and disposes).</summary>
    public NumberReader(DigitClassifier classifier, NumberReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        if (classifier.PixelsPerCrop != DigitNormalizer.PixelCount)
            throw new ArgumentException($"{classifier.ModelPath}: the reader needs a 28x28 model, this one takes {classifier.PixelsPerCrop} pixels per crop");
        _classifier = classifier;
        Options = options ?? NumberReaderOptions.Default;
    }

    /// <summary>The settings used for frames.</summary>
    public NumberReaderOptions Options { get; set; }

    /// <summary>The classifier in use.</summary>
    public DigitClassifier Classifier => _classifier;

    /// <summary>The preprocessor (its ink and binary images show the last frame's intermediate steps).</summary>
    public FramePreprocessor Preprocessor => _pre;

    /// <summary>The segmenter (its components and regions describe the last frame).</summary>
    public DigitSegmenter Segmenter => _seg;

    /// <summary>Number of digit crops in the last read.</summary>
    public int CropCount { get; private set; }

    /// <summary>The 28x28 normalized crop <paramref name="index"/> of the last read (as fed to the model).</summary>
    public ReadOnlySpan<byte> Crop(int index)
    {
        if ((uint)index >= (uint)CropCount) throw new ArgumentOutOfRangeException(nameof(index));
        return _crops.AsSpan(index * DigitNormalizer.PixelCount, DigitNormalizer.PixelCount);
    }

    /// <summary>Reads <paramref name="frame"/> into a new <see cref="Reading"/>.</summary>
    public Reading Read(GrayImage frame)
    {
        var r = new Reading();
        ReadInto(frame, r);
        return r;
    }

    /// <summary>Reads <paramref name="ink"/> into a new <see cref="Reading"/>.</summary>
    public Reading Read(Ink ink)
    {
        var r = new Reading();
        ReadInto(ink, r);
        return r;
    }

    /// <summary>Reads <paramref name="frame"/> into <paramref name="result"/> (reused; no allocation in steady state).</summary>
    public void ReadInto(GrayImage frame, Reading result)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        var o = Options;
        _pre.Run(frame, o.Preprocess);
        int n = _seg.Segment(_pre.Binary, o.Segment);
        if (o.Preprocess.Deskew && o.Segment.FixedBoxes is null && n >= 3)
        {
            double angle = SkewDegrees();
            if (Math.Abs(angle) >= o.Preprocess.MinDeskewDegrees && Math.Abs(angle) <= o.Preprocess.MaxDeskewDegrees)
            {
                _pre.Rotate(angle);
                n = _seg.Segment(_pre.Binary, o.Segment);
            }
        }
        var alternatives = _seg.Alternatives;
        int total = n + alternatives.Length;
        EnsureCrops(total);
        for (int i = 0; i < total; i++)
        {
            var region = i < n ? _seg.Regions[i] : alternatives[i - n].Whole;
            var crop = _seg.ExtractCrop(_pre.Ink, region);
            var cb = _seg.CropBox;
            _norm.Normalize(crop, cb.Width, cb.Height, cb.Width, _crops.AsSpan(i * DigitNormalizer.PixelCount, DigitNormalizer.PixelCount));
            _boxes[i] = _pre.MapToSource(region.Box);
        }
        CropCount = total;
        RunModel(total);
        result.Clear(_classifier.ClassCount);
        for (int i = 0; i < n; i++)
        {
            int alt = AlternativeStartingAt(i, alternatives);
            if (alt >= 0)
            {
                // A wide group was split: keep the split only if its weakest piece beats the whole as one digit.
                var a = alternatives[alt];
                float minPiece = 1;
                for (int k = 0; k < a.PieceCount; k++) minPiece = Math.Min(minPiece, BestConfidence(a.FirstPiece + k));
                if (BestConfidence(n + alt) > minPiece)
                {
                    Emit(n + alt, result, dropRejected: true);
                    i += a.PieceCount - 1;
                    continue;
                }
            }
            Emit(i, result, dropRejected: true);
        }
    }

    private static int AlternativeStartingAt(int index, ReadOnlySpan<SplitAlternative> alternatives)
    {
        for (int a = 0; a < alternatives.Length; a++)
            if (alternatives[a].FirstPiece == index && alternatives[a].PieceCount > 1) return a;
        return -1;
    }

    /// <summary>Reads <paramref name="ink"/> into <paramref name="result"/>: strokes are grouped into digits, each rasterized on its own.</summary>
    public void ReadInto(Ink ink, Reading result)
    {
        ArgumentNullException.ThrowIfNull(ink);
        ArgumentNullException.ThrowIfNull(result);
        int n = _inkSeg.Split(ink);
        EnsureCrops(n);
        for (int i = 0; i < n; i++)
        {
            _boxes[i] = _raster.RasterizeDigit(ink, _inkSeg.StrokesOf(i), _inkCrop);
            _norm.Normalize(_inkCrop, _inkCrop.Bounds, _crops.AsSpan(i * DigitNormalizer.PixelCount, DigitNormalizer.PixelCount));
        }
        CropCount = n;
        RunModel(n);
        result.Clear(_classifier.ClassCount);
        // Every stroke group is something the user wrote: a "not a digit" verdict shows as '?', never vanishes.
        for (int i = 0; i < n; i++) Emit(i, result, dropRejected: false);
    }

    /// <summary>Slope of the line through the digit centres, in degrees (positive = falling to the right).</summary>
    private double SkewDegrees()
    {
        var regions = _seg.Regions;
        double n = regions.Length, sx = 0, sy = 0, sxx = 0, sxy = 0;
        foreach (var r in regions)
        {
            double x = r.Box.X + r.Box.Width / 2.0, y = r.Box.Y + r.Box.Height / 2.0;
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        double den = n * sxx - sx * sx;
        if (den <= 0) return 0;
        double slope = (n * sxy - sx * sy) / den;
        return Math.Atan(slope) * 180 / Math.PI;
    }

    /// <summary>Classifies crops 0..n-1 in batches of the classifier's size into <c>_probs</c>.</summary>
    private void RunModel(int n)
    {
        var c = _classifier;
        int k = c.ClassCount;
        if (_probs.Length < n * k) _probs = new float[n * k];
        for (int start = 0; start < n; start += c.MaxBatch)
        {
            int count = Math.Min(c.MaxBatch, n - start);
            for (int i = 0; i < count; i++)
                c.SetInput(i, _crops.AsSpan((start + i) * DigitNormalizer.PixelCount, DigitNormalizer.PixelCount));
            c.Run(count).CopyTo(_probs.AsSpan(start * k, count * k));
        }
    }

    private float BestConfidence(int crop)
    {
        var p = _probs.AsSpan(crop * _classifier.ClassCount, _classifier.ClassCount);
        return p[DigitClassifier.ArgMax(p)];
    }

    /// <summary>Adds crop <paramref name="crop"/> to the reading; a confident "not a digit" is left out of frames (specks, rulings) when <paramref name="dropRejected"/>.</summary>
    private void Emit(int crop, Reading result, bool dropRejected)
    {
        var c = _classifier;
        var p = _probs.AsSpan(crop * c.ClassCount, c.ClassCount);
        int best = DigitClassifier.ArgMax(p);
        float conf = p[best];
        if (dropRejected && best == c.RejectIndex && conf >= c.ConfidenceThreshold)
        {
            result.AddRejected();
            return;
        }
        string label = c.Metadata.Classes[best];
        bool uncertain = conf < c.ConfidenceThreshold || best == c.RejectIndex;
        char ch = uncertain || label.Length != 1 ? '?' : label[0];
        result.Add(new DigitResult(ch, best, label, conf, _boxes[crop], uncertain), p);
    }

    private void EnsureCrops(int n)
    {
        if (_crops.Length < n * DigitNormalizer.PixelCount) _crops = new byte[n * DigitNormalizer.PixelCount];
        if (_boxes.Length < n) _boxes = new PixelRect[n];
    }
}
