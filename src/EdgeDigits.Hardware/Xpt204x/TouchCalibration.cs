using System.Text.Json;

namespace EdgeDigits.Hardware.Xpt204x;

/// <summary>A calibration target: where it was drawn (display pixels) and the raw touch read there.</summary>
/// <param name="DisplayX">Target x in display pixels.</param>
/// <param name="DisplayY">Target y in display pixels.</param>
/// <param name="RawX">Averaged raw X.</param>
/// <param name="RawY">Averaged raw Y.</param>
public readonly record struct CalibrationPoint(double DisplayX, double DisplayY, double RawX, double RawY);

/// <summary>Affine map from raw touch counts to display pixels: x = A·rx + B·ry + C, y = D·rx + E·ry + F. Covers swapped and inverted axes, scale, offset and a small rotation; stored as JSON in the device config.</summary>
/// <param name="A">x per raw X.</param>
/// <param name="B">x per raw Y.</param>
/// <param name="C">x offset.</param>
/// <param name="D">y per raw X.</param>
/// <param name="E">y per raw Y.</param>
/// <param name="F">y offset.</param>
/// <param name="Width">Display width the calibration was made for.</param>
/// <param name="Height">Display height the calibration was made for.</param>
public sealed record TouchCalibration(double A, double B, double C, double D, double E, double F, int Width, int Height)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Maps a raw reading to display pixels (not clamped).</summary>
    public (double X, double Y) Apply(double rawX, double rawY) => (A * rawX + B * rawY + C, D * rawX + E * rawY + F);

    /// <summary>Maps display pixels back to the raw counts that give them (the inverse of <see cref="Apply"/>; emulators and tests use it to make touches).</summary>
    public (double RawX, double RawY) ToRaw(double x, double y)
    {
        // Invert the 2x2 linear part; FromJson and FromAxisRanges refuse degenerate maps, so det ≠ 0 here.
        var det = A * E - B * D;
        double dx = x - C, dy = y - F;
        return ((E * dx - B * dy) / det, (A * dy - D * dx) / det);
    }

    /// <summary>
    /// The map an evdev touchscreen's axis ranges give: the raw values <paramref name="xMin"/>..<paramref name="xMax"/> are read at the
    /// display's left and right edges and <paramref name="yMin"/>..<paramref name="yMax"/> at its top and bottom (min &gt; max inverts
    /// an axis); with <paramref name="swapXY"/> the display's x comes from raw Y and its y from raw X (a portrait panel mounted landscape).
    /// </summary>
    /// <exception cref="ArgumentException">A range is empty (min = max) or the size is not positive.</exception>
    public static TouchCalibration FromAxisRanges(double xMin, double xMax, double yMin, double yMax, bool swapXY, int width, int height)
    {
        if (xMin == xMax) throw new ArgumentException($"touch axis range X {xMin}..{xMax} is empty", nameof(xMax));
        if (yMin == yMax) throw new ArgumentException($"touch axis range Y {yMin}..{yMax} is empty", nameof(yMax));
        if (width <= 0 || height <= 0) throw new ArgumentException($"display size {width}x{height} is empty", nameof(width));
        // The edge pixels' centres are 0 and width-1: a touch at xMin lands on the first column, at xMax on the last.
        var sx = (width - 1) / (xMax - xMin);
        var sy = (height - 1) / (yMax - yMin);
        return swapXY
            ? new TouchCalibration(0, sx, -sx * xMin, sy, 0, -sy * yMin, width, height)
            : new TouchCalibration(sx, 0, -sx * xMin, 0, sy, -sy * yMin, width, height);
    }

    /// <summary>Solves the map from three or more targets (exact for three, least squares for more).</summary>
    /// <exception cref="ArgumentException">Fewer than three points, or the raw points lie on a line (the pen was not where the targets were).</exception>
    public static TouchCalibration FromPoints(IReadOnlyList<CalibrationPoint> points, int width, int height)
    {
        if (points.Count < 3) throw new ArgumentException($"touch calibration needs at least 3 points, got {points.Count}", nameof(points));
        // Normal equations M·[a b c]ᵀ = v with M = Σ[rx ry 1]ᵀ[rx ry 1]; raw values are centred first
        // so the 3x3 system stays well conditioned with counts in the thousands.
        double mx = points.Average(p => p.RawX), my = points.Average(p => p.RawY);
        var m = new double[3, 3];
        double[] vx = new double[3], vy = new double[3];
        foreach (var p in points)
        {
            double[] r = [p.RawX - mx, p.RawY - my, 1];
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++) m[i, j] += r[i] * r[j];
                vx[i] += r[i] * p.DisplayX;
                vy[i] += r[i] * p.DisplayY;
            }
        }
        var det = Det(m);
        // Centred, det = n·(Sxx·Syy − Sxy²): near zero when the raw points are (almost) collinear.
        var spread = m[0, 0] * m[1, 1];
        if (spread <= 0 || det / points.Count < 1e-4 * spread) throw new ArgumentException("touch calibration points are on one line (raw readings did not follow the targets): repeat the calibration", nameof(points));
        var (a, b, c0) = Solve(m, vx, det);
        var (d, e, f0) = Solve(m, vy, det);
        return new TouchCalibration(a, b, c0 - a * mx - b * my, d, e, f0 - d * mx - e * my, width, height);
    }

    /// <summary>The calibration as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses JSON written by <see cref="ToJson"/>; throws <see cref="FormatException"/> on anything else.</summary>
    public static TouchCalibration FromJson(string json, string source = "touch calibration")
    {
        TouchCalibration? cal;
        try
        {
            cal = JsonSerializer.Deserialize<TouchCalibration>(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{source}: not a touch calibration ({ex.Message})", ex);
        }
        if (cal is null || cal.Width <= 0 || cal.Height <= 0 || !double.IsFinite(cal.A + cal.B + cal.C + cal.D + cal.E + cal.F) || Math.Abs(cal.A * cal.E - cal.B * cal.D) < 1e-12)
            throw new FormatException($"{source}: calibration is empty or degenerate");
        return cal;
    }

    /// <summary>Writes the JSON to <paramref name="path"/> (temporary file, then rename).</summary>
    public void Save(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, ToJson());
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a calibration file; errors name the file.</summary>
    public static TouchCalibration Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: touch calibration file not found (run the calibration)", path);
        return FromJson(File.ReadAllText(path), path);
    }

    private static double Det(double[,] m) =>
        m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1]) - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0]) + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);

    private static (double, double, double) Solve(double[,] m, double[] v, double det)
    {
        var r = new double[3];
        for (var k = 0; k < 3; k++)
        {
            var mk = (double[,])m.Clone();
            for (var i = 0; i < 3; i++) mk[i, k] = v[i];
            r[k] = Det(mk) / det;
        }
        return (r[0], r[1], r[2]);
    }
}
