using System.Text;
using EdgeDigits.Core.Inks;

namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>
/// Multi-digit inks composed from one writer's real pen digits, as if written in one go on a touch
/// panel: 2-6 digits left to right, each scaled to a common writing height with small size changes,
/// varied spacing (now and then touching or slightly overlapping), a drifting and sloping baseline, and a
/// pen-up pause of 150-600 ms between digits. Strokes keep their writing order and their own timing.
/// Deterministic for a seed.
/// </summary>
public static class PenStringComposer
{
    /// <summary>Fewest digits in a composed string.</summary>
    public const int MinLength = 2;

    /// <summary>Most digits in a composed string.</summary>
    public const int MaxLength = 6;

    /// <summary>Share of neighbouring digits that touch or overlap a little instead of leaving a gap.</summary>
    public const double TouchingShare = 0.1;

    /// <summary>Composes string <paramref name="index"/> of a run with <paramref name="seed"/>: one writer of <paramref name="digits"/>, chosen at random.</summary>
    /// <exception cref="ArgumentException">No digits to compose from.</exception>
    public static Ink Compose(IReadOnlyList<PenDigit> digits, int seed, int index) => Compose(digits, seed, index, out _);

    /// <summary>As <see cref="Compose(IReadOnlyList{PenDigit}, int, int)"/>; <paramref name="touching"/> tells whether two neighbours touch or overlap.</summary>
    public static Ink Compose(IReadOnlyList<PenDigit> digits, int seed, int index, out bool touching)
    {
        ArgumentNullException.ThrowIfNull(digits);
        if (digits.Count == 0) throw new ArgumentException("no pen digits to compose from", nameof(digits));
        var rng = new Random(Augmentation.SplitMix.Seed(seed, index, 0x9E4));
        var writers = digits.Select(d => d.Writer).Distinct().Order().ToArray();
        int writer = writers[rng.Next(writers.Length)];
        var own = digits.Where(d => d.Writer == writer).ToArray();
        int length = rng.Next(MinLength, MaxLength + 1);
        var picked = Enumerable.Range(0, length).Select(_ => own[rng.Next(own.Length)]).ToArray();
        return Compose(picked, rng, out touching);
    }

    /// <summary>Lays out <paramref name="digits"/> (one writer's, in reading order) as one ink; its label is the digits.</summary>
    /// <param name="digits">The digits in reading order.</param>
    /// <param name="rng">The random stream for size, spacing, baseline and pauses.</param>
    /// <param name="touching">True when some neighbours were placed touching or slightly overlapping.</param>
    public static Ink Compose(IReadOnlyList<PenDigit> digits, Random rng, out bool touching)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentNullException.ThrowIfNull(rng);
        if (digits.Count == 0) throw new ArgumentException("no pen digits to compose", nameof(digits));
        // A touch panel of the kiosk (320x240) holds numbers written 40-90 px tall.
        double height = 40 + rng.NextDouble() * 50;
        double slope = (rng.NextDouble() * 2 - 1) * 0.06;
        double cursor = 0, drift = 0;
        touching = false;
        long clock = 0;
        var strokes = new List<InkPoint[]>();
        var label = new StringBuilder();
        var placed = new List<(PenDigit Digit, double Scale, double Dx, double Dy, long Dt)>();
        foreach (var d in digits)
        {
            var (x0, y0, x1, y1) = StrokeBounds.Of(d.Ink);
            double scale = height * (0.88 + rng.NextDouble() * 0.24) / Math.Max(y1 - y0, 1);
            double width = (x1 - x0) * scale;
            if (placed.Count > 0)
            {
                // Mostly a clear gap (between the boxes; a slanted digit leans closer); now and then the digits touch or overlap a little.
                bool touch = rng.NextDouble() < TouchingShare;
                touching |= touch;
                double gap = touch ? (-0.06 + rng.NextDouble() * 0.08) * height : (0.12 + rng.NextDouble() * 0.38) * height;
                cursor += gap;
                clock += 150 + rng.Next(451);
            }
            drift += (rng.NextDouble() * 2 - 1) * 0.05 * height;
            double baseline = height + drift + slope * cursor;
            double dx = cursor - x0 * scale, dy = baseline - y1 * scale;
            long t0 = d.Ink.Strokes[0][0].TimeMs;
            placed.Add((d, scale, dx, dy, clock - t0));
            clock += d.Ink.Strokes[^1][^1].TimeMs - t0;
            cursor += width;
            label.Append((char)('0' + d.Digit));
        }
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var (d, s, dx, dy, _) in placed)
        {
            var (x0, y0, x1, y1) = StrokeBounds.Of(d.Ink);
            minX = Math.Min(minX, x0 * s + dx); maxX = Math.Max(maxX, x1 * s + dx);
            minY = Math.Min(minY, y0 * s + dy); maxY = Math.Max(maxY, y1 * s + dy);
        }
        const double margin = 12;
        foreach (var (d, s, dx, dy, dt) in placed)
            foreach (var stroke in d.Ink.Strokes)
                strokes.Add(stroke.Select(p => new InkPoint((float)(p.X * s + dx - minX + margin), (float)(p.Y * s + dy - minY + margin), p.TimeMs + dt)).ToArray());
        int w = Math.Max(320, (int)Math.Ceiling(maxX - minX + 2 * margin));
        int h = Math.Max(240, (int)Math.Ceiling(maxY - minY + 2 * margin));
        return new Ink(w, h, strokes, label.ToString());
    }
}
