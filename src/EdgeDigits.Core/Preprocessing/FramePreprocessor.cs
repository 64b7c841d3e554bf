using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Preprocessing;

/// <summary>
/// Turns a gray frame into an ink image (white ink on black, background flattened) and a binary
/// ink mask: ROI or perspective warp, polarity detection, background flattening, threshold, removal of
/// ruling lines, borders and scanner strips (<see cref="LineRemover"/>), and an
/// optional rotation for deskewing. Owns its working images, so frames of a steady size allocate
/// nothing. Not thread-safe.
/// </summary>
public sealed class FramePreprocessor
{
    private readonly GrayImage _working = new(1, 1);
    private readonly GrayImage _oriented = new(1, 1);
    private readonly GrayImage _background = new(1, 1);
    private GrayImage _ink = new(1, 1);
    private GrayImage _spare = new(1, 1);
    private readonly GrayImage _binary = new(1, 1);
    private readonly int[] _histogram = new int[256];
    private readonly LineRemover _lines = new();
    private byte[] _grid = new byte[64];
    private long[] _sum = [], _sumSq = [];
    private PixelRect _roi;
    private PerspectiveTransform? _warp;

    /// <summary>The background-flattened ink image of the last frame: ink bright, background near 0.</summary>
    public GrayImage Ink => _ink;

    /// <summary>The binary ink mask of the last frame (255 = ink).</summary>
    public GrayImage Binary => _binary;

    /// <summary>The line remover (its counts describe the last frame).</summary>
    public LineRemover Lines => _lines;

    /// <summary>True when the last frame had light digits on a dark background (and was inverted).</summary>
    public bool Inverted { get; private set; }

    /// <summary>The threshold applied to <see cref="Ink"/> in the last frame (Otsu, at least the minimum contrast).</summary>
    public byte ThresholdValue { get; private set; }

    /// <summary>Rotation applied by <see cref="Rotate"/> since the last <see cref="Run"/>, in degrees counter-clockwise.</summary>
    public double RotationDegrees { get; private set; }

    /// <summary>The options of the last run.</summary>
    public PreprocessOptions Options { get; private set; } = PreprocessOptions.Default;

    /// <summary>Preprocesses <paramref name="frame"/>.</summary>
    /// <exception cref="ArgumentException">The ROI or quad lies outside the frame; the message says which.</exception>
    public void Run(GrayImage frame, PreprocessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Options = options ??= PreprocessOptions.Default;
        RotationDegrees = 0;
        _warp = null;
        _roi = frame.Bounds;
        GrayImage working;
        if (options.Quad is { } quad)
        {
            _warp = CreateWarp(frame, quad, options.QuadWidth, options.QuadHeight);
            _warp.Warp(frame, _working, fill: 0);
            working = _working;
        }
        else if (options.Roi is { } roi)
        {
            if (roi.IsEmpty || roi.X < 0 || roi.Y < 0 || roi.Right > frame.Width || roi.Bottom > frame.Height)
                throw new ArgumentException($"ROI {roi} is not inside the {frame.Width}x{frame.Height} frame");
            frame.CropTo(roi, _working);
            _roi = roi;
            working = _working;
        }
        else working = frame;

        int w = working.Width, h = working.Height;
        _oriented.Resize(w, h);
        _background.Resize(w, h);
        _ink.Resize(w, h);
        _binary.Resize(w, h);

        Array.Clear(_histogram);
        for (int y = 0; y < h; y++) ImageKernels.AccumulateHistogram(working.Row(y), _histogram);
        Inverted = options.Polarity switch
        {
            InkPolarity.DarkOnLight => false,
            InkPolarity.LightOnDark => true,
            _ => IsMostlyDark(_histogram, w * h),
        };
        for (int y = 0; y < h; y++)
        {
            if (Inverted) ImageKernels.Invert(working.Row(y), _oriented.Row(y));
            else working.Row(y).CopyTo(_oriented.Row(y));
        }

        int block = options.BackgroundBlock > 0 ? options.BackgroundBlock : Math.Max(16, Math.Min(w, h) / 8);
        int gridLen = ImageKernels.BackgroundGridLength(w, h, block);
        if (_grid.Length < gridLen) _grid = new byte[gridLen];
        ImageKernels.EstimateBackground(_oriented.Data, w, h, w, block, _grid, _background.Data);
        ImageKernels.SubtractSaturate(_background.Data, _oriented.Data, _ink.Data);

        if (options.Threshold == ThresholdMethod.Sauvola)
        {
            int n = (w + 1) * (h + 1);
            if (_sum.Length < n) { _sum = new long[n]; _sumSq = new long[n]; }
            ImageKernels.Sauvola(_oriented.Data, w, h, w, Math.Max(15, block) | 1, 0.2, 128, _sum, _sumSq, _binary.Data);
            // Sauvola marks faint texture on clean paper as ink; require the minimum contrast as well.
            var ink = _ink.Data;
            var bin = _binary.Data;
            for (int i = 0; i < bin.Length; i++) if (ink[i] <= options.MinContrast) bin[i] = 0;
            ThresholdValue = options.MinContrast;
        }
        else
        {
            ThresholdInk(options.MinContrast, computeOtsu: true);
        }
        _lines.Run(_binary, _ink, options.Lines);
    }

    /// <summary>Rotates the ink image by <paramref name="degrees"/> (counter-clockwise) and re-thresholds it with the same threshold.</summary>
    public void Rotate(double degrees)
    {
        int w = _ink.Width, h = _ink.Height;
        _spare.Resize(w, h);
        ImageKernels.Rotate(_ink.Data, w, h, w, degrees, 0, _spare.Data);
        (_ink, _spare) = (_spare, _ink);
        RotationDegrees += degrees;
        ImageKernels.Threshold(_ink.Data, _binary.Data, ThresholdValue);
    }

    /// <summary>Maps a box in <see cref="Ink"/> coordinates back to the source frame (undoing rotation, ROI and warp).</summary>
    public PixelRect MapToSource(PixelRect box)
    {
        if (RotationDegrees != 0)
        {
            double a = RotationDegrees * Math.PI / 180, c = Math.Cos(a), s = Math.Sin(a);
            double cx = (_ink.Width - 1) / 2.0, cy = (_ink.Height - 1) / 2.0;
            double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
            Span<(double X, double Y)> corners = [(box.X, box.Y), (box.Right, box.Y), (box.Right, box.Bottom), (box.X, box.Bottom)];
            foreach (var (px, py) in corners)
            {
                double dx = px - cx, dy = py - cy;
                double sx = c * dx - s * dy + cx, sy = s * dx + c * dy + cy;
                x0 = Math.Min(x0, sx); y0 = Math.Min(y0, sy); x1 = Math.Max(x1, sx); y1 = Math.Max(y1, sy);
            }
            int ix = (int)Math.Floor(x0), iy = (int)Math.Floor(y0);
            box = new PixelRect(ix, iy, (int)Math.Ceiling(x1) - ix, (int)Math.Ceiling(y1) - iy);
        }
        if (_warp is not null) return _warp.MapRect(box);
        return box with { X = box.X + _roi.X, Y = box.Y + _roi.Y };
    }

    private void ThresholdInk(byte minContrast, bool computeOtsu)
    {
        if (computeOtsu)
        {
            Array.Clear(_histogram);
            ImageKernels.AccumulateHistogram(_ink.Data, _histogram);
            byte otsu = ImageKernels.OtsuThreshold(_histogram);
            ThresholdValue = Math.Max(otsu, minContrast);
        }
        ImageKernels.Threshold(_ink.Data, _binary.Data, ThresholdValue);
    }

    private static bool IsMostlyDark(ReadOnlySpan<int> histogram, int total)
    {
        byte t = ImageKernels.OtsuThreshold(histogram);
        long dark = 0;
        for (int i = 0; i <= t; i++) dark += histogram[i];
        return dark * 2 > total;
    }

    private static PerspectiveTransform CreateWarp(GrayImage frame, PointF[] quad, int width, int height)
    {
        if (quad.Length != 4) throw new ArgumentException($"a perspective quad needs 4 corners, got {quad.Length}");
        foreach (var p in quad)
            if (p.X < 0 || p.Y < 0 || p.X > frame.Width || p.Y > frame.Height)
                throw new ArgumentException($"quad corner ({p.X},{p.Y}) is outside the {frame.Width}x{frame.Height} frame");
        static double Dist(PointF a, PointF b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
        if (width <= 0) width = (int)Math.Round((Dist(quad[0], quad[1]) + Dist(quad[3], quad[2])) / 2);
        if (height <= 0) height = (int)Math.Round((Dist(quad[0], quad[3]) + Dist(quad[1], quad[2])) / 2);
        if (width <= 0 || height <= 0) throw new ArgumentException("perspective quad has zero size");
        return PerspectiveTransform.FromQuad(quad, width, height);
    }
}
