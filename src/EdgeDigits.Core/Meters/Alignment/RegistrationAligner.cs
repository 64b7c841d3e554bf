using System.Globalization;
using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>
/// Aligns a frame without marks: the meter face around the digit windows (the band holding them, window interiors left out
/// because the digits change) is registered against the reference. On a pyramid of 2x2-averaged halvings, the coarsest level
/// is searched exhaustively for the shift within <see cref="AlignmentOptions.SearchRadius"/> by normalised cross-correlation;
/// each finer level then refines shift and rotation (and scale when allowed) by inverse-compositional Lucas–Kanade with
/// brightness and contrast normalised, on the reference's strongest-gradient pixels. The score is the final normalised
/// cross-correlation on those pixels.
/// </summary>
public sealed class RegistrationAligner : IFrameAligner
{
    /// <summary>Most pyramid levels (level 0 is full size; 3 halvings shrink a 24 px search radius to 3 px).</summary>
    public const int MaxLevels = 4;

    /// <summary>The band's shorter side must keep at least this many pixels on a level for the level to be used.</summary>
    public const int MinLevelSide = 16;

    /// <summary>Most registration points per level: the strongest gradients of the band; more cost time and add little.</summary>
    public const int MaxPointsPerLevel = 1500;

    /// <summary>Fewest registration points on the full-size level; fewer means the face has nothing to register on.</summary>
    public const int MinPoints = 40;

    /// <summary>Weakest gradient (grey levels per pixel) a registration point may have.</summary>
    public const float MinGradient = 4;

    /// <summary>Margin around the union of the windows that belongs to the band, at least (pixels); half a window height when larger.</summary>
    public const int MinBandMargin = 16;

    /// <summary>Pixels inside each window edge left out of the band: the digits change from frame to frame, the window frames do not.</summary>
    public const int WindowInset = 2;

    /// <summary>Lucas–Kanade iterations per level at most.</summary>
    public const int IterationsPerLevel = 10;

    /// <summary>An update moving no band point further than this (pixels of the level) ends a level.</summary>
    public const double ConvergedPixels = 0.01;

    /// <summary>Fewest of the registration points that must land on the frame.</summary>
    public const double MinVisibleFraction = 0.6;

    private readonly AlignmentOptions _options;
    private readonly ImagePyramid _pyramid;
    private readonly LevelPoints[] _levels;
    private readonly int _parameters;
    private readonly float[] _sampled;
    private readonly bool[] _visible;

    /// <summary>Prepares registration of <paramref name="reference"/> around <paramref name="windows"/> (the whole image when there are none).</summary>
    /// <exception cref="ArgumentException">A window outside the reference, a band with nothing to register on, or options that break a rule.</exception>
    public RegistrationAligner(GrayImage reference, IReadOnlyList<PixelRect> windows, AlignmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(windows);
        _options = options ?? new AlignmentOptions();
        if (_options.Problem() is { } problem) throw new ArgumentException($"alignment: {problem}", nameof(options));
        Width = reference.Width;
        Height = reference.Height;
        for (int i = 0; i < windows.Count; i++)
            if (windows[i].IsEmpty || windows[i].X < 0 || windows[i].Y < 0 || windows[i].Right > Width || windows[i].Bottom > Height)
                throw new ArgumentException($"window {i + 1} ({windows[i]}) is outside the {Width}x{Height} reference", nameof(windows));
        Band = BandAround(windows, Width, Height);
        _parameters = _options.MaxScaleChange > 0 ? 4 : 3;

        int levels = 1;
        while (levels < MaxLevels && Math.Min(Band.Width, Band.Height) >> levels >= MinLevelSide) levels++;
        _pyramid = new ImagePyramid(Width, Height, levels);
        _pyramid.Build(reference);
        var found = new List<LevelPoints>();
        for (int l = 0; l < levels; l++)
        {
            var points = LevelPoints.Select(_pyramid, l, Band, windows, _parameters);
            if (points.Count < MinPoints)
            {
                if (l == 0)
                    throw new ArgumentException($"the face around the windows ({Band}) has {points.Count} pixels with an edge; registration needs {MinPoints} (use reference marks, or a reference with the meter's face in view)", nameof(reference));
                break;
            }
            found.Add(points);
        }
        _levels = [.. found];
        _sampled = new float[_levels.Max(p => p.Count)];
        _visible = new bool[_sampled.Length];
    }

    /// <inheritdoc />
    public int Width { get; }

    /// <inheritdoc />
    public int Height { get; }

    /// <summary>The part of the reference that is registered (windows plus margin).</summary>
    public PixelRect Band { get; }

    /// <inheritdoc />
    public AlignmentResult Align(GrayImage frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Width != Width || frame.Height != Height)
            return AlignmentResult.Refused($"frame is {frame.Width}x{frame.Height}, the reference {Width}x{Height}");
        _pyramid.Build(frame);

        // Coarse: every whole-pixel shift within the radius on the coarsest level used.
        int top = _levels.Length - 1, r = (int)Math.Ceiling(_options.SearchRadius / (double)(1 << top)) + 1;
        double best = double.NegativeInfinity;
        var transform = FrameTransform.Identity;
        for (int dy = -r; dy <= r; dy++)
            for (int dx = -r; dx <= r; dx++)
            {
                var shift = new FrameTransform(1, 0, dx, dy);
                double s = Correlate(top, shift, out _);
                if (s > best) (best, transform) = (s, shift);
            }

        // Fine: Lucas–Kanade level by level down to full size.
        for (int l = top; l >= 0; l--)
        {
            for (int i = 0; i < IterationsPerLevel; i++)
            {
                var step = Step(l, transform, out bool converged);
                if (step is null) return AlignmentResult.Refused("registration did not converge (the frame has too little of the reference's face in view)");
                transform = step.Value;
                if (converged) break;
            }
            if (l > 0) transform = transform.AtScale(0.5);
        }

        double score = Correlate(0, transform, out double visible);
        var centre = (X: Band.X + (Band.Width - 1) / 2.0, Y: Band.Y + (Band.Height - 1) / 2.0);
        var moved = transform.ShiftAt(centre.X, centre.Y);
        string? reason =
            visible < MinVisibleFraction ? string.Create(CultureInfo.InvariantCulture, $"the face moved out of view: {visible:P0} of it is on the frame")
            : score < _options.MinScore ? string.Create(CultureInfo.InvariantCulture, $"frame does not match the reference: score {score:0.00} < {_options.MinScore:0.00}")
            : Math.Abs(transform.AngleDegrees) > _options.MaxRotationDegrees ? string.Create(CultureInfo.InvariantCulture, $"rotation {transform.AngleDegrees:0.0}° exceeds the {_options.MaxRotationDegrees:0.0}° allowed")
            : Math.Abs(transform.Scale - 1) > _options.MaxScaleChange + 0.01 ? string.Create(CultureInfo.InvariantCulture, $"scale {transform.Scale:0.000} is outside 1 ± {_options.MaxScaleChange:0.000}")
            : Math.Max(Math.Abs(moved.X), Math.Abs(moved.Y)) > _options.SearchRadius + 1 ? string.Create(CultureInfo.InvariantCulture, $"shift ({moved.X:0.0}, {moved.Y:0.0}) px exceeds the search radius of {_options.SearchRadius} px")
            : null;
        return new AlignmentResult(transform, score, reason);
    }

    /// <summary>The band: windows plus margin, clipped to the image; the whole image without windows.</summary>
    internal static PixelRect BandAround(IReadOnlyList<PixelRect> windows, int width, int height)
    {
        if (windows.Count == 0) return new PixelRect(0, 0, width, height);
        PixelRect union = default;
        int margin = MinBandMargin;
        foreach (var w in windows)
        {
            union = union.Union(w);
            margin = Math.Max(margin, w.Height / 2);
        }
        return new PixelRect(union.X - margin, union.Y - margin, union.Width + 2 * margin, union.Height + 2 * margin).Intersect(new PixelRect(0, 0, width, height));
    }

    /// <summary>Normalised cross-correlation of the level's points with the frame under <paramref name="transform"/> (level coordinates); −1 when too few land on the frame.</summary>
    private double Correlate(int level, FrameTransform transform, out double visibleFraction)
    {
        var p = _levels[level];
        double si = 0, sii = 0, st = 0, stt = 0, sit = 0;
        int n = 0;
        for (int i = 0; i < p.Count; i++)
        {
            if (!_pyramid.TrySample(level, transform.A * p.X[i] - transform.B * p.Y[i] + transform.Tx, transform.B * p.X[i] + transform.A * p.Y[i] + transform.Ty, out float v)) continue;
            float t = p.T[i];
            si += v; sii += v * v; st += t; stt += t * t; sit += v * t; n++;
        }
        visibleFraction = n / (double)p.Count;
        if (visibleFraction < MinVisibleFraction) return -1;
        double vi = sii - si * si / n, vt = stt - st * st / n;
        return vi <= 0 || vt <= 0 ? 0 : (sit - si * st / n) / Math.Sqrt(vi * vt);
    }

    /// <summary>One inverse-compositional Gauss–Newton step on <paramref name="level"/>; null when it cannot be taken.</summary>
    private FrameTransform? Step(int level, FrameTransform transform, out bool converged)
    {
        converged = false;
        var p = _levels[level];
        int np = _parameters;
        double si = 0, sii = 0, st = 0, stt = 0;
        int n = 0;
        for (int i = 0; i < p.Count; i++)
        {
            _visible[i] = _pyramid.TrySample(level, transform.A * p.X[i] - transform.B * p.Y[i] + transform.Tx, transform.B * p.X[i] + transform.A * p.Y[i] + transform.Ty, out _sampled[i]);
            if (!_visible[i]) continue;
            si += _sampled[i]; sii += _sampled[i] * _sampled[i]; st += p.T[i]; stt += p.T[i] * p.T[i]; n++;
        }
        if (n < Math.Max(MinPoints / 4, p.Count * MinVisibleFraction)) return null;
        double mi = si / n, di = Math.Sqrt(Math.Max(sii / n - mi * mi, 1e-6)), mt = st / n, dt = Math.Sqrt(Math.Max(stt / n - mt * mt, 1e-6));

        Span<double> h = stackalloc double[16];
        Span<double> b = stackalloc double[4];
        h.Clear();
        b.Clear();
        for (int i = 0; i < p.Count; i++)
        {
            if (!_visible[i]) continue;
            // Brightness and contrast of the frame are matched to the template's before the difference is taken.
            double e = ((_sampled[i] - mi) / di - (p.T[i] - mt) / dt) * dt;
            var sd = p.Steepest.AsSpan(i * np, np);
            for (int a = 0; a < np; a++)
            {
                b[a] += sd[a] * e;
                for (int c = 0; c <= a; c++) h[a * 4 + c] += sd[a] * sd[c];
            }
        }
        for (int a = 0; a < np; a++)
            for (int c = a + 1; c < np; c++) h[a * 4 + c] = h[c * 4 + a];
        Span<double> d = stackalloc double[4];
        if (!Solve(h, b, d, np)) return null;

        // The update as a warp about the band centre, in level pixels.
        double da, db, tx, ty;
        if (np == 3) (da, db, tx, ty) = (Math.Cos(d[0]), Math.Sin(d[0]), d[1], d[2]);
        else (da, db, tx, ty) = (1 + d[0], d[1], d[2], d[3]);
        double cx = p.CentreX, cy = p.CentreY;
        var update = new FrameTransform(da, db, cx + tx - (da * cx - db * cy), cy + ty - (db * cx + da * cy));
        var next = transform.After(update.Inverse());
        if (np == 3)
        {
            double s = next.Scale;
            next = next with { A = next.A / s, B = next.B / s };
        }
        if (!double.IsFinite(next.A) || !double.IsFinite(next.B) || !double.IsFinite(next.Tx) || !double.IsFinite(next.Ty)) return null;
        converged = Math.Sqrt(tx * tx + ty * ty) + (Math.Abs(da - 1) + Math.Abs(db)) * p.Radius < ConvergedPixels;
        return next;
    }

    /// <summary>Solves the <paramref name="n"/> x <paramref name="n"/> system (row stride 4) by Gaussian elimination with pivoting; false when singular.</summary>
    private static bool Solve(Span<double> m, Span<double> rhs, Span<double> x, int n)
    {
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.Abs(m[r * 4 + col]) > Math.Abs(m[pivot * 4 + col])) pivot = r;
            if (Math.Abs(m[pivot * 4 + col]) < 1e-9) return false;
            if (pivot != col)
            {
                for (int c = 0; c < n; c++) (m[col * 4 + c], m[pivot * 4 + c]) = (m[pivot * 4 + c], m[col * 4 + c]);
                (rhs[col], rhs[pivot]) = (rhs[pivot], rhs[col]);
            }
            for (int r = col + 1; r < n; r++)
            {
                double f = m[r * 4 + col] / m[col * 4 + col];
                for (int c = col; c < n; c++) m[r * 4 + c] -= f * m[col * 4 + c];
                rhs[r] -= f * rhs[col];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double s = rhs[r];
            for (int c = r + 1; c < n; c++) s -= m[r * 4 + c] * x[c];
            x[r] = s / m[r * 4 + r];
        }
        return true;
    }

    /// <summary>The registration points of one pyramid level: positions, template values and steepest-descent images.</summary>
    private sealed class LevelPoints
    {
        public required float[] X { get; init; }
        public required float[] Y { get; init; }
        public required float[] T { get; init; }
        public required float[] Steepest { get; init; }
        public required int Count { get; init; }
        public required double CentreX { get; init; }
        public required double CentreY { get; init; }
        public required double Radius { get; init; }

        /// <summary>The strongest-gradient pixels of the band on level <paramref name="level"/>, window interiors left out.</summary>
        public static LevelPoints Select(ImagePyramid pyramid, int level, PixelRect band, IReadOnlyList<PixelRect> windows, int parameters)
        {
            int w = pyramid.LevelWidth(level), h = pyramid.LevelHeight(level), s = pyramid.Stride(level);
            var img = pyramid.Pixels(level);
            int x0 = Math.Max(1, band.X >> level), y0 = Math.Max(1, band.Y >> level);
            int x1 = Math.Min(w - 1, band.Right >> level), y1 = Math.Min(h - 1, band.Bottom >> level);
            var candidates = new List<(int X, int Y, float Gx, float Gy, float Magnitude)>();
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                {
                    if (InsideWindow(x, y, level, windows)) continue;
                    float gx = (img[y * s + x + 1] - img[y * s + x - 1]) * 0.5f, gy = (img[(y + 1) * s + x] - img[(y - 1) * s + x]) * 0.5f;
                    float mag = MathF.Sqrt(gx * gx + gy * gy);
                    if (mag >= MinGradient) candidates.Add((x, y, gx, gy, mag));
                }
            if (candidates.Count > MaxPointsPerLevel)
                candidates = [.. candidates.OrderByDescending(c => c.Magnitude).ThenBy(c => c.Y).ThenBy(c => c.X).Take(MaxPointsPerLevel)];
            int n = candidates.Count;
            double cx = ((x0 + x1) - 1) / 2.0, cy = ((y0 + y1) - 1) / 2.0;
            var points = new LevelPoints
            {
                X = new float[n], Y = new float[n], T = new float[n], Steepest = new float[n * parameters], Count = n,
                CentreX = cx, CentreY = cy, Radius = Math.Sqrt(Sq(x1 - x0) + Sq(y1 - y0)) / 2,
            };
            for (int i = 0; i < n; i++)
            {
                var c = candidates[i];
                points.X[i] = c.X;
                points.Y[i] = c.Y;
                points.T[i] = img[c.Y * s + c.X];
                double u = c.X - cx, v = c.Y - cy;
                var sd = points.Steepest.AsSpan(i * parameters, parameters);
                if (parameters == 3)
                {
                    sd[0] = (float)(-c.Gx * v + c.Gy * u);
                    sd[1] = c.Gx;
                    sd[2] = c.Gy;
                }
                else
                {
                    sd[0] = (float)(c.Gx * u + c.Gy * v);
                    sd[1] = (float)(-c.Gx * v + c.Gy * u);
                    sd[2] = c.Gx;
                    sd[3] = c.Gy;
                }
            }
            return points;
        }

        private static bool InsideWindow(int x, int y, int level, IReadOnlyList<PixelRect> windows)
        {
            foreach (var r in windows)
            {
                const int inset = WindowInset;
                int fx = (x << level), fy = (y << level), size = 1 << level;
                // The level pixel covers full pixels fx … fx+size−1; it is inside when it overlaps the inset window.
                if (fx + size > r.X + inset && fx < r.Right - inset && fy + size > r.Y + inset && fy < r.Bottom - inset) return true;
            }
            return false;
        }

        private static double Sq(double v) => v * v;
    }
}
