namespace EdgeDigits.Core.Inks;

/// <summary>
/// The input of the ink sequence model: some strokes of an ink resampled to <see cref="Length"/> points equally
/// spaced along the pen's path (the jumps between strokes included, flagged as pen-up), centred on their box and
/// scaled by its longer side, so speed, sampling rate and size drop out and order and direction stay. Per point
/// <see cref="Channels"/> values, channel-major (<c>[Channels, 1, Length]</c>, the model's NCHW input):
/// x and y (about -1..1, y down), the direction of travel (cos, sin) and the pen-up flag.
/// Keeps its buffers, so <c>Extract</c> allocates nothing in steady state. Not thread-safe.
/// </summary>
public sealed class InkSequenceFeatures
{
    private int[] _order = new int[16];

    /// <summary>Values per point: x, y, cos and sin of the direction, pen-up.</summary>
    public const int Channels = 5;

    /// <summary>Channel of the x coordinate.</summary>
    public const int X = 0;

    /// <summary>Channel of the y coordinate.</summary>
    public const int Y = 1;

    /// <summary>Channel of the direction's cosine.</summary>
    public const int Cos = 2;

    /// <summary>Channel of the direction's sine.</summary>
    public const int Sin = 3;

    /// <summary>Channel of the pen-up flag: 1 on the straight jump from one stroke's end to the next stroke's start.</summary>
    public const int PenUp = 4;

    /// <summary>The number of points the default model reads (<c>[N,5,1,64]</c>).</summary>
    public const int DefaultLength = 64;

    /// <summary>Creates an extractor of <paramref name="length"/> points per ink.</summary>
    public InkSequenceFeatures(int length = DefaultLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        Length = length;
    }

    /// <summary>Points per ink.</summary>
    public int Length { get; }

    /// <summary>Values written per ink: <see cref="Channels"/> x <see cref="Length"/>.</summary>
    public int Size => Channels * Length;

    /// <summary>Writes the features of all strokes of <paramref name="ink"/> into <paramref name="destination"/>.</summary>
    public void Extract(Ink ink, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(ink);
        int n = ink.Strokes.Count;
        if (_order.Length < n) _order = new int[Math.Max(n, _order.Length * 2)];
        for (int i = 0; i < n; i++) _order[i] = i;
        Write(ink, n, destination);
    }

    /// <summary>
    /// Writes the features of strokes <paramref name="strokes"/> of <paramref name="ink"/> (taken in writing order,
    /// whatever their order in the span) into <paramref name="destination"/>. No points (an empty group, dots only at
    /// one place) give all zeros but the position.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>, or a stroke index is out of range.</exception>
    public void Extract(Ink ink, ReadOnlySpan<int> strokes, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(ink);
        if (_order.Length < strokes.Length) _order = new int[Math.Max(strokes.Length, _order.Length * 2)];
        foreach (int s in strokes)
            if ((uint)s >= (uint)ink.Strokes.Count) throw new ArgumentException($"stroke {s} outside 0..{ink.Strokes.Count - 1}", nameof(strokes));
        strokes.CopyTo(_order);
        _order.AsSpan(0, strokes.Length).Sort();
        Write(ink, strokes.Length, destination);
    }

    private void Write(Ink ink, int count, Span<float> destination)
    {
        int len = Length;
        if (destination.Length < Size) throw new ArgumentException($"room for {destination.Length} values, {Size} needed", nameof(destination));
        var dst = destination[..Size];
        dst.Clear();
        var order = _order.AsSpan(0, count);
        float x0 = float.MaxValue, y0 = float.MaxValue, x1 = float.MinValue, y1 = float.MinValue;
        foreach (int s in order)
            foreach (var p in ink.Strokes[s])
            {
                x0 = Math.Min(x0, p.X); x1 = Math.Max(x1, p.X); y0 = Math.Min(y0, p.Y); y1 = Math.Max(y1, p.Y);
            }
        if (x0 > x1) return;
        float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        float half = Math.Max(x1 - x0, y1 - y0) / 2;
        float inv = half > 0 ? 1 / half : 1;

        double total = 0;
        bool any = false;
        InkPoint prev = default;
        foreach (int s in order)
            foreach (var p in ink.Strokes[s])
            {
                if (any) total += Distance(prev, p);
                prev = p;
                any = true;
            }

        var xs = dst.Slice(X * len, len);
        var ys = dst.Slice(Y * len, len);
        var cos = dst.Slice(Cos * len, len);
        var sin = dst.Slice(Sin * len, len);
        var up = dst.Slice(PenUp * len, len);
        if (total <= 0)
        {
            xs.Fill((prev.X - cx) * inv);
            ys.Fill((prev.Y - cy) * inv);
            return;
        }

        double step = total / (len - 1), walked = 0;
        int next = 0;
        any = false;
        float lastCos = 0, lastSin = 0, lastUp = 0;
        foreach (int s in order)
        {
            var pts = ink.Strokes[s];
            for (int i = 0; i < pts.Length; i++)
            {
                var p = pts[i];
                if (!any) { prev = p; any = true; continue; }
                double d = Distance(prev, p);
                if (d > 0)
                {
                    float dirX = (float)((p.X - prev.X) / d), dirY = (float)((p.Y - prev.Y) / d);
                    float penUp = i == 0 ? 1 : 0;
                    while (next < len && next * step <= walked + d)
                    {
                        double f = (next * step - walked) / d;
                        xs[next] = (float)((prev.X + f * (p.X - prev.X) - cx) * inv);
                        ys[next] = (float)((prev.Y + f * (p.Y - prev.Y) - cy) * inv);
                        cos[next] = dirX;
                        sin[next] = dirY;
                        up[next] = penUp;
                        next++;
                    }
                    walked += d;
                    lastCos = dirX; lastSin = dirY; lastUp = penUp;
                }
                prev = p;
            }
        }
        // Rounding can leave the last target a hair beyond the path's end: it is the last point.
        for (; next < len; next++)
        {
            xs[next] = (prev.X - cx) * inv;
            ys[next] = (prev.Y - cy) * inv;
            cos[next] = lastCos;
            sin[next] = lastSin;
            up[next] = lastUp;
        }
    }

    private static double Distance(InkPoint a, InkPoint b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        return Math.Sqrt(dx * dx + dy * dy);
    }
}
