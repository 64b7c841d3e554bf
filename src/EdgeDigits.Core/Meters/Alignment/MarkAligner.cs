using System.Globalization;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Preprocessing;

namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>
/// Aligns a frame by two reference marks, small patches cut from the reference image (a printed logo, a screw, a corner of the
/// counter window) and found again by normalised cross-correlation within <see cref="AlignmentOptions.SearchRadius"/> of where
/// they were: first on a half-size image over the whole radius, then at full size around the best place, then to a tenth of a
/// pixel by a parabola through the scores. The two centres give shift and rotation (and scale when allowed), as in
/// AI-on-the-edge-device. A mark scoring under <see cref="AlignmentOptions.MinScore"/> refuses the frame with its number and score.
/// </summary>
public sealed class MarkAligner : IFrameAligner
{
    /// <summary>Smallest mark side in pixels: a smaller patch matches too many places.</summary>
    public const int MinMarkSide = 8;

    /// <summary>Largest mark side in pixels (the search cost grows with the mark's area).</summary>
    public const int MaxMarkSide = 96;

    /// <summary>Least contrast of a mark (standard deviation in grey levels): a flat patch matches anywhere.</summary>
    public const double MinMarkContrast = 10;

    /// <summary>Least distance between the two mark centres in pixels: closer marks give a rotation too uncertain to cut windows by.</summary>
    public const double MinMarkDistance = 48;

    /// <summary>With a fixed scale, how far the marks' distance may differ from the reference's (fraction) before the frame is refused: one mark was found in the wrong place.</summary>
    public const double DistanceTolerance = 0.03;

    /// <summary>Full-size pixels searched either side of the coarse (half-size) match.</summary>
    private const int FineRadius = 2;

    private readonly AlignmentOptions _options;
    private readonly PixelRect[] _marks;
    private readonly float[][] _templates = new float[2][];
    private readonly float[][] _halfTemplates = new float[2][];
    private readonly double[] _norms = new double[2];
    private readonly double[] _halfNorms = new double[2];
    private readonly ImagePyramid _pyramid;

    /// <summary>Cuts the two <paramref name="marks"/> (boxes on <paramref name="reference"/>) as templates.</summary>
    /// <exception cref="ArgumentException">Not two marks, a mark outside the reference, too small, too large or flat, the marks too close, or the options break a rule.</exception>
    public MarkAligner(GrayImage reference, IReadOnlyList<PixelRect> marks, AlignmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(marks);
        _options = options ?? new AlignmentOptions();
        if (_options.Problem() is { } problem) throw new ArgumentException($"alignment: {problem}", nameof(options));
        if (marks.Count != 2) throw new ArgumentException($"mark alignment takes 2 reference marks, got {marks.Count}", nameof(marks));
        Width = reference.Width;
        Height = reference.Height;
        _marks = [.. marks];
        _pyramid = new ImagePyramid(Width, Height, 2);
        _pyramid.Build(reference);
        for (int k = 0; k < 2; k++)
        {
            var m = _marks[k];
            string name = $"reference mark {k + 1} ({m})";
            if (m.IsEmpty || m.X < 0 || m.Y < 0 || m.Right > Width || m.Bottom > Height)
                throw new ArgumentException($"{name} is outside the {Width}x{Height} reference", nameof(marks));
            if (m.Width < MinMarkSide || m.Height < MinMarkSide || m.Width > MaxMarkSide || m.Height > MaxMarkSide)
                throw new ArgumentException($"{name}: each side must be {MinMarkSide} … {MaxMarkSide} pixels", nameof(marks));
            _templates[k] = new float[m.Area];
            _norms[k] = PatchCorrelation.MakeTemplate(reference.Buffer, reference.Stride, m.X, m.Y, m.Width, m.Height, _templates[k]);
            double contrast = _norms[k] / Math.Sqrt(m.Area);
            if (contrast < MinMarkContrast)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{name} is flat (contrast {contrast:0.0} < {MinMarkContrast}): choose a patch with a printed mark or an edge"), nameof(marks));
            var (hx, hy, hw, hh) = Half(m);
            _halfTemplates[k] = new float[hw * hh];
            _halfNorms[k] = PatchCorrelation.MakeTemplate(_pyramid.Pixels(1), _pyramid.Stride(1), hx, hy, hw, hh, _halfTemplates[k]);
        }
        var (c1, c2) = (Centre(_marks[0]), Centre(_marks[1]));
        double distance = Math.Sqrt(Sq(c2.X - c1.X) + Sq(c2.Y - c1.Y));
        if (distance < MinMarkDistance)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"reference marks 1 and 2 are {distance:0} px apart; put them at least {MinMarkDistance} px apart (opposite ends of the face)"), nameof(marks));
    }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <summary>The reference marks (boxes on the reference image).</summary>
    public IReadOnlyList<PixelRect> Marks => _marks;

    /// <inheritdoc />
    public AlignmentResult Align(GrayImage frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != Width || frame.Height != Height)
            return AlignmentResult.Refused($"frame is {frame.Width}x{frame.Height}, the reference {Width}x{Height}");
        _pyramid.Build(frame);
        Span<PointF> found = stackalloc PointF[2];
        Span<double> scores = stackalloc double[2];
        for (int k = 0; k < 2; k++) (found[k], scores[k]) = Find(k);
        double score = Math.Min(scores[0], scores[1]);
        PointF[] marksFound = [found[0], found[1]];
        for (int k = 0; k < 2; k++)
            if (scores[k] < _options.MinScore)
                return new AlignmentResult(FrameTransform.Identity, score, string.Create(CultureInfo.InvariantCulture,
                    $"reference mark {k + 1} not found: score {scores[k]:0.00} < {_options.MinScore:0.00}")) { MarksFound = marksFound };

        var (r1, r2) = (Centre(_marks[0]), Centre(_marks[1]));
        double rx = r2.X - r1.X, ry = r2.Y - r1.Y, fx = found[1].X - found[0].X, fy = found[1].Y - found[0].Y;
        double measuredScale = Math.Sqrt((fx * fx + fy * fy) / (rx * rx + ry * ry));
        double angle = Math.Atan2(fy, fx) - Math.Atan2(ry, rx);
        angle = Math.IEEERemainder(angle, 2 * Math.PI);
        double scale = _options.MaxScaleChange > 0 ? measuredScale : 1;
        string? reason = null;
        if (Math.Abs(measuredScale - 1) > _options.MaxScaleChange + DistanceTolerance)
            reason = string.Create(CultureInfo.InvariantCulture,
                $"reference marks are {measuredScale * Math.Sqrt(rx * rx + ry * ry):0.0} px apart on the frame, {Math.Sqrt(rx * rx + ry * ry):0.0} px on the reference: scale {measuredScale:0.000} is outside 1 ± {_options.MaxScaleChange + DistanceTolerance:0.000}");
        else if (Math.Abs(angle) * 180 / Math.PI > _options.MaxRotationDegrees)
            reason = string.Create(CultureInfo.InvariantCulture, $"rotation {angle * 180 / Math.PI:0.0}° exceeds the {_options.MaxRotationDegrees:0.0}° allowed");
        double a = scale * Math.Cos(angle), b = scale * Math.Sin(angle);
        double mx = (r1.X + r2.X) / 2, my = (r1.Y + r2.Y) / 2, nx = (found[0].X + found[1].X) / 2, ny = (found[0].Y + found[1].Y) / 2;
        var transform = new FrameTransform(a, b, nx - (a * mx - b * my), ny - (b * mx + a * my));
        return new AlignmentResult(transform, score, reason) { MarksFound = marksFound };
    }

    /// <summary>Centre of a box in pixel coordinates (pixel centres on integers).</summary>
    public static PointF Centre(PixelRect box) => new(box.X + (box.Width - 1) / 2.0, box.Y + (box.Height - 1) / 2.0);

    /// <summary>Finds mark <paramref name="k"/> on the frame in the pyramid: its centre and score (−1 when no place is searchable).</summary>
    private (PointF Centre, double Score) Find(int k)
    {
        var m = _marks[k];
        int radius = _options.SearchRadius;

        // Coarse: every half-size offset within the radius.
        var (hx, hy, hw, hh) = Half(m);
        int hr = (radius + 1) / 2, w1 = _pyramid.LevelWidth(1), h1 = _pyramid.LevelHeight(1);
        double best = double.NegativeInfinity;
        int bdx = 0, bdy = 0;
        var half = _pyramid.Pixels(1);
        for (int dy = Math.Max(-hr, -hy); dy <= hr && hy + dy + hh <= h1; dy++)
            for (int dx = Math.Max(-hr, -hx); dx <= hr && hx + dx + hw <= w1; dx++)
            {
                double s = PatchCorrelation.Score(half, w1, hx + dx, hy + dy, _halfTemplates[k], hw, hh, _halfNorms[k]);
                if (s > best) (best, bdx, bdy) = (s, dx, dy);
            }
        if (double.IsNegativeInfinity(best)) return (Centre(m), -1);

        // Fine: full size around twice the coarse offset, kept within the radius and the frame.
        best = double.NegativeInfinity;
        int fdx = 0, fdy = 0;
        for (int dy = 2 * bdy - FineRadius; dy <= 2 * bdy + FineRadius; dy++)
            for (int dx = 2 * bdx - FineRadius; dx <= 2 * bdx + FineRadius; dx++)
            {
                double s = ScoreAt(k, dx, dy);
                if (s > best) (best, fdx, fdy) = (s, dx, dy);
            }
        if (double.IsNegativeInfinity(best)) return (Centre(m), -1);

        double sx = PatchCorrelation.ParabolaPeak(ScoreAt(k, fdx - 1, fdy), best, ScoreAt(k, fdx + 1, fdy));
        double sy = PatchCorrelation.ParabolaPeak(ScoreAt(k, fdx, fdy - 1), best, ScoreAt(k, fdx, fdy + 1));
        var c = Centre(m);
        return (new PointF(c.X + fdx + sx, c.Y + fdy + sy), best);
    }

    /// <summary>Full-size score of mark <paramref name="k"/> moved by (<paramref name="dx"/>, <paramref name="dy"/>); −∞ off the frame or beyond the radius.</summary>
    private double ScoreAt(int k, int dx, int dy)
    {
        var m = _marks[k];
        int r = _options.SearchRadius;
        if (Math.Abs(dx) > r || Math.Abs(dy) > r || m.X + dx < 0 || m.Y + dy < 0 || m.Right + dx > Width || m.Bottom + dy > Height) return double.NegativeInfinity;
        return PatchCorrelation.Score(_pyramid.Pixels(0), _pyramid.Stride(0), m.X + dx, m.Y + dy, _templates[k], m.Width, m.Height, _norms[k]);
    }

    private static (int X, int Y, int W, int H) Half(PixelRect m) => (m.X / 2, m.Y / 2, m.Width / 2, m.Height / 2);

    private static double Sq(double v) => v * v;
}
