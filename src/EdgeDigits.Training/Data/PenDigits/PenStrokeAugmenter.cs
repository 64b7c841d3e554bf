using EdgeDigits.Core.Inks;

namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>
/// Plausible variations of a real pen digit, made on its strokes (never on pixels, never mirrored): one affine change
/// of the whole digit (rotation, slant, aspect), a small affine change per stroke (shift, turn), point jitter, a faster
/// or slower pen (resampling), dropped points (a touch controller that misses samples), and the stroke order and
/// direction variants people really use: a 4's or 5's bar written first or last, a bar drawn right to left. Times
/// stay monotonic. Every constant is a named option; deterministic for a random stream.
/// </summary>
public sealed record PenStrokeAugmenter
{
    /// <summary>The recipe's augmentation (<c>train --pen</c> copies after the first).</summary>
    public static PenStrokeAugmenter Default { get; } = new();

    /// <summary>No change at all (every option off): <see cref="Apply"/> gives the same points and times.</summary>
    public static PenStrokeAugmenter None { get; } = new()
    {
        MaxRotationDegrees = 0, MaxSlant = 0, MaxAspectChange = 0, MaxHeightChange = 0, MaxStrokeShift = 0, MaxStrokeTurnDegrees = 0,
        PointJitter = 0, MinSpeed = 1, MaxSpeed = 1, PointDropout = 0, StrokeOrderProbability = 0, BarReverseProbability = 0,
    };

    /// <summary>Largest rotation of the whole digit, degrees either way.</summary>
    public float MaxRotationDegrees { get; init; } = 8;

    /// <summary>Largest slant (x += slant * y, relative to the centre) either way.</summary>
    public float MaxSlant { get; init; } = 0.25f;

    /// <summary>Largest relative change of the width (x scale within 1 ± this).</summary>
    public float MaxAspectChange { get; init; } = 0.15f;

    /// <summary>Largest relative change of the height (y scale within 1 ± this).</summary>
    public float MaxHeightChange { get; init; } = 0.1f;

    /// <summary>Largest shift of one stroke against the others, as a fraction of the digit's size.</summary>
    public float MaxStrokeShift { get; init; } = 0.03f;

    /// <summary>Largest turn of one stroke about its own centre, degrees either way (a bar set at a slightly other angle).</summary>
    public float MaxStrokeTurnDegrees { get; init; } = 4;

    /// <summary>Largest jitter of one point, as a fraction of the digit's size.</summary>
    public float PointJitter { get; init; } = 0.005f;

    /// <summary>Slowest resampling step (points per original point walked: below 1 adds points, a slower pen).</summary>
    public float MinSpeed { get; init; } = 0.7f;

    /// <summary>Fastest resampling step (above 1 drops points, a faster pen).</summary>
    public float MaxSpeed { get; init; } = 1.5f;

    /// <summary>Chance that an inner point of a stroke is lost (first and last points always stay).</summary>
    public float PointDropout { get; init; } = 0.05f;

    /// <summary>
    /// Chance that, in a digit of two or more strokes, the last stroke is written first (a 4's second stroke, a 5's
    /// bar: people do both); the pen-up pauses keep their lengths and order.
    /// </summary>
    public float StrokeOrderProbability { get; init; } = 0.25f;

    /// <summary>Chance that a bar (a stroke at most <see cref="BarMaxSlope"/> steep) is drawn the other way.</summary>
    public float BarReverseProbability { get; init; } = 0.2f;

    /// <summary>Height over width below which a stroke counts as a bar for <see cref="BarReverseProbability"/>.</summary>
    public float BarMaxSlope { get; init; } = 0.35f;

    /// <summary>Returns a varied copy of <paramref name="ink"/> (same panel, same label, times monotonic).</summary>
    public Ink Apply(Ink ink, Random rng)
    {
        ArgumentNullException.ThrowIfNull(ink);
        ArgumentNullException.ThrowIfNull(rng);
        var (x0, y0, x1, y1) = StrokeBounds.Of(ink);
        if (x0 > x1) return ink;
        float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, size = Math.Max(Math.Max(x1 - x0, y1 - y0), 1);
        double angle = Symmetric(rng, MaxRotationDegrees) * Math.PI / 180;
        double slant = Symmetric(rng, MaxSlant);
        double sx = 1 + Symmetric(rng, MaxAspectChange), sy = 1 + Symmetric(rng, MaxHeightChange);
        float cos = (float)Math.Cos(angle), sin = (float)Math.Sin(angle);
        double step = MinSpeed + rng.NextDouble() * (MaxSpeed - MinSpeed);
        var strokes = new List<InkPoint[]>(ink.Strokes.Count);
        foreach (var stroke in ink.Strokes)
        {
            if (stroke.Length == 0) { strokes.Add(stroke); continue; }
            float ox = (float)Symmetric(rng, MaxStrokeShift * size), oy = (float)Symmetric(rng, MaxStrokeShift * size);
            double turn = Symmetric(rng, MaxStrokeTurnDegrees) * Math.PI / 180;
            float tc = (float)Math.Cos(turn), ts = (float)Math.Sin(turn);
            var (scx, scy) = Centre(stroke);
            var points = new List<InkPoint>(stroke.Length);
            // Resample by walking the stroke's index at a random speed; the first and last points always stay.
            for (double t = 0; ; t += step)
            {
                int i = Math.Min((int)t, stroke.Length - 1);
                int j = Math.Min(i + 1, stroke.Length - 1);
                float f = (float)(t - Math.Floor(t));
                if (i == stroke.Length - 1) f = 0;
                bool last = i >= stroke.Length - 1;
                bool dropped = t > 0 && !last && rng.NextDouble() < PointDropout;
                float px = stroke[i].X + (stroke[j].X - stroke[i].X) * f, py = stroke[i].Y + (stroke[j].Y - stroke[i].Y) * f;
                // The stroke's own turn about its centre, then the digit's slant, aspect and rotation about the digit's centre.
                float qx = scx + (px - scx) * tc - (py - scy) * ts - cx, qy = scy + (px - scx) * ts + (py - scy) * tc - cy;
                long time = stroke[i].TimeMs + (long)((stroke[j].TimeMs - stroke[i].TimeMs) * f);
                float ax = (float)((qx + slant * qy) * sx), ay = (float)(qy * sy);
                float jx = (float)Symmetric(rng, PointJitter * size), jy = (float)Symmetric(rng, PointJitter * size);
                if (!dropped) points.Add(new InkPoint(cx + ax * cos - ay * sin + ox + jx, cy + ax * sin + ay * cos + oy + jy, time));
                if (last) break;
            }
            strokes.Add(points.ToArray());
        }
        ReverseBars(strokes, rng);
        if (strokes.Count >= 2 && rng.NextDouble() < StrokeOrderProbability) LastStrokeFirst(strokes);
        return new Ink(ink.Width, ink.Height, strokes, ink.Label);
    }

    private static double Symmetric(Random rng, double max) => max == 0 ? 0 : (rng.NextDouble() * 2 - 1) * max;

    private static (float X, float Y) Centre(InkPoint[] stroke)
    {
        float x0 = float.MaxValue, y0 = float.MaxValue, x1 = float.MinValue, y1 = float.MinValue;
        foreach (var p in stroke) { x0 = Math.Min(x0, p.X); x1 = Math.Max(x1, p.X); y0 = Math.Min(y0, p.Y); y1 = Math.Max(y1, p.Y); }
        return ((x0 + x1) / 2, (y0 + y1) / 2);
    }

    /// <summary>Draws each bar (a flat stroke) the other way with <see cref="BarReverseProbability"/>, keeping its times.</summary>
    private void ReverseBars(List<InkPoint[]> strokes, Random rng)
    {
        for (int s = 0; s < strokes.Count; s++)
        {
            var st = strokes[s];
            if (st.Length < 2 || BarReverseProbability <= 0) continue;
            float w = Math.Abs(st[^1].X - st[0].X), h = 0;
            foreach (var p in st) h = Math.Max(h, Math.Abs(p.Y - st[0].Y));
            if (w <= 0 || h > BarMaxSlope * w || rng.NextDouble() >= BarReverseProbability) continue;
            var reversed = new InkPoint[st.Length];
            for (int i = 0; i < st.Length; i++) reversed[i] = st[st.Length - 1 - i] with { TimeMs = st[i].TimeMs };
            strokes[s] = reversed;
        }
    }

    /// <summary>Moves the last stroke to the front; every stroke keeps its duration and the pauses keep their order and lengths.</summary>
    private static void LastStrokeFirst(List<InkPoint[]> strokes)
    {
        var starts = strokes.Select(s => s.Length > 0 ? s[0].TimeMs : 0).ToArray();
        var ends = strokes.Select(s => s.Length > 0 ? s[^1].TimeMs : 0).ToArray();
        var pauses = new long[strokes.Count - 1];
        for (int i = 0; i < pauses.Length; i++) pauses[i] = Math.Max(0, starts[i + 1] - ends[i]);
        var moved = strokes[^1];
        strokes.RemoveAt(strokes.Count - 1);
        strokes.Insert(0, moved);
        long clock = starts[0];
        for (int i = 0; i < strokes.Count; i++)
        {
            var st = strokes[i];
            if (st.Length == 0) continue;
            long shift = clock - st[0].TimeMs;
            for (int k = 0; k < st.Length; k++) st[k] = st[k] with { TimeMs = st[k].TimeMs + shift };
            clock = st[^1].TimeMs + (i < pauses.Length ? pauses[i] : 0);
        }
    }
}
