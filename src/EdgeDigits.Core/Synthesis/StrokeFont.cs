using EdgeDigits.Core.Inks;

namespace EdgeDigits.Core.Synthesis;

/// <summary>
/// A tiny built-in handwriting-like stroke font for the digits 0-9 (polylines in a unit box), so
/// benchmarks and demos can make inks and frames without any data set. Not for accuracy figures.
/// </summary>
public static class StrokeFont
{
    private static readonly float[][][] s_digits =
    [
        [[0.5f, 0, 0.15f, 0.15f, 0, 0.5f, 0.15f, 0.88f, 0.5f, 1, 0.85f, 0.88f, 1, 0.5f, 0.85f, 0.15f, 0.5f, 0]],
        [[0.25f, 0.2f, 0.6f, 0], [0.6f, 0, 0.6f, 1]],
        [[0.05f, 0.25f, 0.3f, 0.02f, 0.7f, 0.02f, 0.92f, 0.25f, 0.85f, 0.5f, 0.05f, 1, 1, 1]],
        [[0.05f, 0.1f, 0.5f, 0, 0.9f, 0.2f, 0.5f, 0.48f, 0.95f, 0.7f, 0.6f, 1, 0.05f, 0.9f]],
        [[0.65f, 0, 0, 0.68f, 1, 0.68f], [0.72f, 0.3f, 0.72f, 1]],
        [[0.9f, 0, 0.15f, 0, 0.1f, 0.45f, 0.6f, 0.4f, 0.95f, 0.7f, 0.6f, 1, 0.05f, 0.9f]],
        [[0.8f, 0.05f, 0.35f, 0.1f, 0.05f, 0.6f, 0.2f, 0.95f, 0.6f, 1, 0.9f, 0.75f, 0.6f, 0.5f, 0.2f, 0.55f, 0.08f, 0.7f]],
        [[0, 0, 1, 0, 0.4f, 1]],
        [[0.5f, 0.48f, 0.12f, 0.25f, 0.5f, 0, 0.88f, 0.25f, 0.5f, 0.48f, 0.05f, 0.75f, 0.5f, 1, 0.95f, 0.75f, 0.5f, 0.48f]],
        [[0.9f, 0.3f, 0.55f, 0.5f, 0.1f, 0.3f, 0.4f, 0, 0.9f, 0.3f, 0.75f, 1]],
    ];

    /// <summary>Writes <paramref name="digits"/> as an ink: each digit <paramref name="height"/> panel pixels tall, left to right.</summary>
    public static Ink Write(string digits, float height = 80, float x = 20, float y = 20, int panelWidth = 0, int panelHeight = 0)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var strokes = new List<InkPoint[]>();
        long t = 0;
        float w = height * 0.6f;
        foreach (char c in digits)
        {
            if (c is < '0' or > '9') throw new ArgumentException($"'{c}' is not a digit", nameof(digits));
            foreach (var poly in s_digits[c - '0'])
            {
                var pts = new List<InkPoint>();
                for (int i = 0; i + 3 < poly.Length; i += 2)
                {
                    // Sample each polyline segment every few pixels, as a touch panel would.
                    float x0 = poly[i], y0 = poly[i + 1], x1 = poly[i + 2], y1 = poly[i + 3];
                    float len = MathF.Sqrt((x1 - x0) * (x1 - x0) * w * w + (y1 - y0) * (y1 - y0) * height * height);
                    int n = Math.Max(1, (int)(len / 4));
                    for (int k = 0; k < n; k++)
                    {
                        float f = (float)k / n;
                        pts.Add(new InkPoint(x + (x0 + (x1 - x0) * f) * w, y + (y0 + (y1 - y0) * f) * height, t));
                        t += 8;
                    }
                }
                pts.Add(new InkPoint(x + poly[^2] * w, y + poly[^1] * height, t));
                strokes.Add([.. pts]);
                t += 150;
            }
            x += w + height * 0.35f;
            t += 400;
        }
        return new Ink(panelWidth > 0 ? panelWidth : (int)(x + 20), panelHeight > 0 ? panelHeight : (int)(y + height + 20), strokes, digits);
    }
}
