using EdgeDigits.Core.Inks;

namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>The box around every point of an ink (min > max when it has no points).</summary>
internal static class StrokeBounds
{
    public static (float X0, float Y0, float X1, float Y1) Of(Ink ink)
    {
        float x0 = float.MaxValue, y0 = float.MaxValue, x1 = float.MinValue, y1 = float.MinValue;
        foreach (var s in ink.Strokes)
            foreach (var p in s) { x0 = Math.Min(x0, p.X); x1 = Math.Max(x1, p.X); y0 = Math.Min(y0, p.Y); y1 = Math.Max(y1, p.Y); }
        return (x0, y0, x1, y1);
    }
}
