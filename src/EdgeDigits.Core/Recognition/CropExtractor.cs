using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Segmentation;

namespace EdgeDigits.Core.Recognition;

/// <summary>
/// The front half of <see cref="NumberReader"/>: preprocess, segment (with deskew) and normalize a
/// frame, or group and rasterize an ink, into 28x28 crops, without a model. The trainer uses it to
/// make training crops that are exactly what the device feeds the classifier. Keeps its buffers.
/// Not thread-safe.
/// </summary>
public sealed class CropExtractor
{
    private readonly FramePreprocessor _pre = new();
    private readonly DigitSegmenter _seg = new();
    private readonly DigitNormalizer _norm = new();
    private readonly InkSegmenter _inkSeg = new();
    private readonly InkRasterizer _raster = new();
    private readonly GrayImage _inkCrop = new(1, 1);
    private byte[] _crops = new byte[16 * DigitNormalizer.PixelCount];
    private PixelRect[] _boxes = new PixelRect[16];
    private int[] _runBase = new int[16];
    private bool _inkRuns;
    private int[] _cropStrokes = new int[64];
    private int[] _cropStrokeStart = new int[17];

    /// <summary>The preprocessor (its ink and binary images show the last frame's intermediate steps).</summary>
    public FramePreprocessor Preprocessor => _pre;

    /// <summary>The segmenter (its components, regions and split alternatives describe the last frame).</summary>
    public DigitSegmenter Segmenter => _seg;

    /// <summary>
    /// Number of crops of the last extraction (regions first, then for frames the split groups whole, the runs of their
    /// pieces, <see cref="DigitSegmenter.Runs"/>, and the layered groups whole, <see cref="DigitSegmenter.Layers"/>).
    /// </summary>
    public int CropCount { get; private set; }

    /// <summary>Number of crops of the last extraction that are segmenter regions (or ink stroke groups); the rest are the segmenter's alternatives.</summary>
    public int RegionCount { get; private set; }

    /// <summary>The 28x28 normalized crop <paramref name="index"/> of the last extraction.</summary>
    public ReadOnlySpan<byte> Crop(int index)
    {
        if ((uint)index >= (uint)CropCount) throw new ArgumentOutOfRangeException(nameof(index));
        return _crops.AsSpan(index * DigitNormalizer.PixelCount, DigitNormalizer.PixelCount);
    }

    /// <summary>All crops of the last extraction, back to back.</summary>
    public ReadOnlySpan<byte> Crops => _crops.AsSpan(0, CropCount * DigitNormalizer.PixelCount);

    /// <summary>Where crop <paramref name="index"/> lies in the source frame (or ink coordinates).</summary>
    public PixelRect CropBox(int index)
    {
        if ((uint)index >= (uint)CropCount) throw new ArgumentOutOfRangeException(nameof(index));
        return _boxes[index];
    }

    /// <summary>Preprocesses, segments (deskewing when the options ask for it) and normalizes <paramref name="frame"/>; returns the crop count.</summary>
    public int Extract(GrayImage frame, NumberReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(options);
        var o = options;
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
        var runs = _seg.Runs;
        var layers = _seg.Layers;
        int firstLayer = n + alternatives.Length + runs.Length;
        int total = firstLayer + layers.Length;
        EnsureCrops(total);
        for (int i = 0; i < total; i++)
        {
            var region = i < n ? _seg.Regions[i] : i < n + alternatives.Length ? alternatives[i - n].Whole
                : i < firstLayer ? runs[i - n - alternatives.Length] : layers[i - firstLayer].Whole;
            var crop = _seg.ExtractCrop(_pre.Ink, region);
            var cb = _seg.CropBox;
            _norm.Normalize(crop, cb.Width, cb.Height, cb.Width, _crops.AsSpan(i * DigitNormalizer.PixelCount, DigitNormalizer.PixelCount));
            _boxes[i] = _pre.MapToSource(region.Box);
        }
        RegionCount = n;
        CropCount = total;
        _inkRuns = false;
        return total;
    }

    /// <summary>Groups the strokes of <paramref name="ink"/> into digits and rasterizes each group on its own; returns the crop count.</summary>
    /// <param name="ink">The ink.</param>
    /// <param name="splits">
    /// Also rasterize, after the groups, every run of consecutive pieces of a group that only the time rules
    /// hold together (<see cref="InkSegmenter.PieceCount"/>), so a reader can weigh the group against its pieces
    /// (<see cref="InkRunCrop"/>). Without it there is one crop per group.
    /// </param>
    public int Extract(Ink ink, bool splits = false)
    {
        ArgumentNullException.ThrowIfNull(ink);
        int n = _inkSeg.Split(ink);
        int total = n;
        for (int g = 0; g < n && splits; g++)
        {
            int k = _inkSeg.PieceCount(g);
            if (k > 1) total += k * (k + 1) / 2 - 1;
        }
        EnsureCrops(total);
        if (_runBase.Length < n) _runBase = new int[Math.Max(n, _runBase.Length * 2)];
        if (_cropStrokeStart.Length < total + 1) _cropStrokeStart = new int[Math.Max(total + 1, _cropStrokeStart.Length * 2)];
        _cropStrokeStart[0] = 0;
        for (int i = 0; i < n; i++) Rasterize(ink, _inkSeg.StrokesOf(i), i);
        int c = n;
        for (int g = 0; g < n; g++)
        {
            int k = splits ? _inkSeg.PieceCount(g) : 1;
            _runBase[g] = k > 1 ? c : -1;
            if (k < 2) continue;
            // Every run of consecutive pieces but the whole group (crop g), by first piece then length: see InkRunCrop.
            for (int first = 0; first < k; first++)
                for (int count = 1; first + count <= k; count++)
                    if (first > 0 || count < k) Rasterize(ink, _inkSeg.StrokesOfPieces(g, first, count), c++);
        }
        RegionCount = n;
        CropCount = total;
        _inkRuns = true;
        return total;
    }

    /// <summary>Number of pieces ink group <paramref name="group"/> of the last extraction falls into (1 unless an ink was extracted with splits and the group's grouping is in doubt; 1 for a frame's regions).</summary>
    public int InkPieceCount(int group)
    {
        if ((uint)group >= (uint)RegionCount) throw new ArgumentOutOfRangeException(nameof(group));
        return !_inkRuns || _runBase[group] < 0 ? 1 : _inkSeg.PieceCount(group);
    }

    /// <summary>
    /// The crop of pieces <paramref name="firstPiece"/> to <paramref name="firstPiece"/> + <paramref name="pieceCount"/> - 1
    /// of ink group <paramref name="group"/> (all of its pieces: the group's own crop, <paramref name="group"/>).
    /// </summary>
    public int InkRunCrop(int group, int firstPiece, int pieceCount)
    {
        int k = InkPieceCount(group);
        if ((uint)firstPiece >= (uint)k) throw new ArgumentOutOfRangeException(nameof(firstPiece));
        if (pieceCount < 1 || firstPiece + pieceCount > k) throw new ArgumentOutOfRangeException(nameof(pieceCount));
        if (pieceCount == k) return group;
        // Runs starting at piece f number k - f; the run of all k pieces (the first block's last) has no crop here.
        int offset = 0;
        for (int f = 0; f < firstPiece; f++) offset += k - f;
        return _runBase[group] + offset + pieceCount - 1 - (firstPiece > 0 ? 1 : 0);
    }

    /// <summary>The stroke indices that ink crop <paramref name="crop"/> of the last extraction was drawn from (for the ink sequence model).</summary>
    /// <exception cref="InvalidOperationException">The last extraction was a frame, not an ink.</exception>
    public ReadOnlySpan<int> InkStrokes(int crop)
    {
        if (!_inkRuns) throw new InvalidOperationException("the last extraction was a frame; only ink crops have strokes");
        if ((uint)crop >= (uint)CropCount) throw new ArgumentOutOfRangeException(nameof(crop));
        return _cropStrokes.AsSpan(_cropStrokeStart[crop], _cropStrokeStart[crop + 1] - _cropStrokeStart[crop]);
    }

    private void Rasterize(Ink ink, ReadOnlySpan<int> strokes, int crop)
    {
        // Crops are drawn in index order, so their stroke lists go back to back.
        int at = _cropStrokeStart[crop];
        if (_cropStrokes.Length < at + strokes.Length) Array.Resize(ref _cropStrokes, Math.Max(at + strokes.Length, _cropStrokes.Length * 2));
        strokes.CopyTo(_cropStrokes.AsSpan(at));
        _cropStrokeStart[crop + 1] = at + strokes.Length;
        _boxes[crop] = _raster.RasterizeDigit(ink, strokes, _inkCrop);
        _norm.Normalize(_inkCrop, _inkCrop.Bounds, _crops.AsSpan(crop * DigitNormalizer.PixelCount, DigitNormalizer.PixelCount));
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
        double intercept = (sy - slope * sx) / n;
        // Candidates that do not lie along one line (marks around a number on a form) give no skew to correct.
        double residual = 0, height = 0;
        foreach (var r in regions)
        {
            double e = r.Box.Y + r.Box.Height / 2.0 - (slope * (r.Box.X + r.Box.Width / 2.0) + intercept);
            residual += e * e;
            height += r.Box.Height;
        }
        if (Math.Sqrt(residual / n) > MaxSkewResidual * height / n) return 0;
        return Math.Atan(slope) * 180 / Math.PI;
    }

    /// <summary>Deskew only when the digit centres lie within this fraction of the mean digit height (RMS) of their fitted line.</summary>
    public const double MaxSkewResidual = 0.2;

    private void EnsureCrops(int n)
    {
        if (_crops.Length < n * DigitNormalizer.PixelCount) _crops = new byte[n * DigitNormalizer.PixelCount];
        if (_boxes.Length < n) _boxes = new PixelRect[n];
    }
}
