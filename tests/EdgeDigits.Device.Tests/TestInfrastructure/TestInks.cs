using System.Globalization;
using System.Text;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>Hand-made inks on the 320x240 panel, drawn the way a person writes these digits.</summary>
internal static class TestInks
{
    /// <summary>Strokes (points in panel pixels) of a "1" at <paramref name="cx"/>.</summary>
    public static List<(double X, double Y)[]> One(double cx) => [Line((cx, 60), (cx, 180), 24)];

    /// <summary>A "0" as one ellipse centred at <paramref name="cx"/>.</summary>
    public static List<(double X, double Y)[]> Zero(double cx) =>
        [Enumerable.Range(0, 41).Select(i => (cx + 32 * Math.Sin(i * Math.PI / 20), 120 - 58 * Math.Cos(i * Math.PI / 20))).ToArray()];

    /// <summary>A "7": the bar, then the down stroke, in one stroke.</summary>
    public static List<(double X, double Y)[]> Seven(double cx) => [[.. Line((cx - 32, 62), (cx + 32, 62), 10), .. Line((cx + 32, 64), (cx - 8, 180), 18)]];

    public static (double X, double Y)[] Line((double X, double Y) a, (double X, double Y) b, int n) =>
        Enumerable.Range(0, n + 1).Select(i => (a.X + (b.X - a.X) * i / n, a.Y + (b.Y - a.Y) * i / n)).ToArray();

    /// <summary>DESIGN.md ink JSON with 12 ms between points and 250 ms between strokes.</summary>
    public static string Json(IEnumerable<(double X, double Y)[]> strokes)
    {
        var sb = new StringBuilder("{\"width\":320,\"height\":240,\"strokes\":[");
        long t = 0;
        var first = true;
        foreach (var s in strokes)
        {
            if (!first) sb.Append(',');
            first = false;
            sb.Append('[').AppendJoin(',', s.Select(p => string.Create(CultureInfo.InvariantCulture, $"[{p.X:0.#},{p.Y:0.#},{t += 12}]"))).Append(']');
            t += 250;
        }
        return sb.Append("]}").ToString();
    }
}
