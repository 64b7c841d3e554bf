using EdgeDigits.Core.Inks;

namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>
/// Plausible variations of a real pen digit, made on its strokes (never on pixels, never mirrored):
/// one affine change of the whole digit (rotation, slant, aspect), a small shift per stroke, a little
/// point jitter, and resampling of the points (a faster or slower pen). Deterministic for a random stream.
/// </summary>
public static class PenStrokeJitter
{
    /// <summary>Returns a varied copy of <paramref name="ink"/> (same panel, same label, times kept monotonic).</summary>
    public static Ink Apply(Ink ink, Random rng)
    {
        ArgumentNullException.ThrowIfNull(ink);
        ArgumentNullException.ThrowIfNull(rng);
        var (x0, y0, x1, y1) = StrokeBounds.Of(ink);
        if (x0 > x1) return ink;
        float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, size = Math.Max(Math.Max(x1 - x0, y1 - y0), 1);
        double angle = (rng.NextDouble() * 2 - 1) * 8 * Math.PI / 180;
        double slant = (rng.NextDouble() * 2 - 1) * 0.25;
        double sx = 0.85 + rng.NextDouble() * 0.3, sy = 0.9 + rng.NextDouble() * 0.2;
        float cos = (float)Math.Cos(angle), sin = (float)Math.Sin(angle);
        double step = 0.7 + rng.NextDouble() * 0.8;
        var strokes = new List<InkPoint[]>(ink.Strokes.Count);
        foreach (var stroke in ink.Strokes)
        {
            float ox = (float)((rng.NextDouble() * 2 - 1) * 0.03 * size), oy = (float)((rng.NextDouble() * 2 - 1) * 0.03 * size);
            var points = new List<InkPoint>(stroke.Length);
            // Resample by walking the stroke's index at a random speed; the last point always stays.
            for (double t = 0; ; t += step)
            {
                int i = Math.Min((int)t, stroke.Length - 1);
                int j = Math.Min(i + 1, stroke.Length - 1);
                float f = (float)(t - Math.Floor(t));
                if (i == stroke.Length - 1) f = 0;
                float px = stroke[i].X + (stroke[j].X - stroke[i].X) * f - cx;
                float py = stroke[i].Y + (stroke[j].Y - stroke[i].Y) * f - cy;
                long time = stroke[i].TimeMs + (long)((stroke[j].TimeMs - stroke[i].TimeMs) * f);
                float ax = (float)((px + slant * py) * sx), ay = (float)(py * sy);
                float jx = (float)((rng.NextDouble() * 2 - 1) * 0.005 * size), jy = (float)((rng.NextDouble() * 2 - 1) * 0.005 * size);
                points.Add(new InkPoint(cx + ax * cos - ay * sin + ox + jx, cy + ax * sin + ay * cos + oy + jy, time));
                if (i >= stroke.Length - 1) break;
            }
            strokes.Add(points.ToArray());
        }
        return new Ink(ink.Width, ink.Height, strokes, ink.Label);
    }
}
