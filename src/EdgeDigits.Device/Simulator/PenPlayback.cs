using System.Diagnostics;
using EdgeDigits.Core.Inks;

namespace EdgeDigits.Device.Simulator;

/// <summary>
/// The simulator's pen: plays an <see cref="Ink"/> on an emulated touch input with the ink's timing, but never faster
/// than the kiosk polls the panel (after each point it waits for two completed polls: the XPT2046 is sampled, it keeps
/// no history; without a kiosk <c>polls</c> is null and the ink's timing alone counts). On a loaded machine the stroke is then drawn slower instead of losing points.
/// </summary>
public sealed class PenPlayback(Action<double, double> touch, Action lift, Func<long>? polls, int pollMs)
{
    /// <summary>Longest stroke played, ms (a pen held longer is not handwriting).</summary>
    public const long MaxStrokeMs = 60_000;

    /// <summary>Most points in one played stroke.</summary>
    public const int MaxStrokePoints = 20_000;

    /// <summary>
    /// The ink's strokes in panel pixels: one scale for both axes keeps the writing's shape, and the ink is centred on the
    /// <paramref name="width"/> x <paramref name="height"/> panel. Throws <see cref="FormatException"/> naming what cannot be played.
    /// </summary>
    public static List<InkPoint[]> ToPanel(Ink ink, int width, int height)
    {
        if (ink.Width > 10_000 || ink.Height > 10_000) throw new FormatException($"ink: size {ink.Width}x{ink.Height} is not plausible");
        if (ink.Strokes.Count == 0) throw new FormatException("ink: no strokes");
        var scale = Math.Min((double)width / ink.Width, (double)height / ink.Height);
        var (dx, dy) = ((width - ink.Width * scale) / 2, (height - ink.Height * scale) / 2);
        var result = new List<InkPoint[]>(ink.Strokes.Count);
        for (var i = 0; i < ink.Strokes.Count; i++)
        {
            var pts = ink.Strokes[i];
            if (pts.Length == 0) throw new FormatException($"ink: stroke {i} is not a non-empty array of points");
            if (pts.Length > MaxStrokePoints) throw new FormatException($"ink: stroke {i} has {pts.Length} points (max {MaxStrokePoints})");
            var s = new InkPoint[pts.Length];
            var last = long.MinValue;
            for (var j = 0; j < pts.Length; j++)
            {
                var (x, y) = (pts[j].X * scale + dx, pts[j].Y * scale + dy);
                if (x < -0.5 || y < -0.5 || x > width + 0.5 || y > height + 0.5)
                    throw new FormatException($"ink: stroke {i} point {j} must be [x,y,t_ms] inside the {ink.Width}x{ink.Height} panel");
                last = Math.Max(pts[j].TimeMs, last);
                s[j] = new InkPoint((float)Math.Clamp(x, 0, width - 1), (float)Math.Clamp(y, 0, height - 1), last);
            }
            if (s[^1].TimeMs - s[0].TimeMs > MaxStrokeMs) throw new FormatException($"ink: stroke {i} lasts over {MaxStrokeMs / 1000} s");
            result.Add(s);
        }
        return result;
    }

    /// <summary>Plays <paramref name="strokes"/> (panel pixels) on the calling thread; returns early when cancelled.</summary>
    public void Play(IReadOnlyList<InkPoint[]> strokes, CancellationToken ct)
    {
        var hold = TimeSpan.FromMilliseconds(Math.Max(15, pollMs * 3));
        foreach (var stroke in strokes)
        {
            var start = Stopwatch.GetTimestamp();
            var t0 = stroke[0].TimeMs;
            foreach (var p in stroke)
            {
                var wait = TimeSpan.FromMilliseconds(p.TimeMs - t0) - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero && ct.WaitHandle.WaitOne(wait)) return;
                touch(p.X, p.Y);
                WaitForPolls(2, ct);
            }
            // Hold the last point for a few polls so the driver sees where the stroke ended.
            if (ct.WaitHandle.WaitOne(hold)) return;
            lift();
            WaitForPolls(2, ct);
            if (ct.WaitHandle.WaitOne(hold)) return;
        }
    }

    /// <summary>Blocks until the kiosk has completed <paramref name="count"/> more touch polls (at most 1 s: a kiosk that stopped polling must not hang the replay).</summary>
    private void WaitForPolls(int count, CancellationToken ct)
    {
        if (polls is null) return;
        var target = polls() + count;
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (polls() < target && Stopwatch.GetTimestamp() < deadline && !ct.IsCancellationRequested) Thread.Sleep(1);
    }
}
