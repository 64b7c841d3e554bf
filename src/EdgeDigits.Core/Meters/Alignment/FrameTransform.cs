using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Preprocessing;

namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>
/// A similarity transform from reference coordinates to frame coordinates:
/// <c>frame = [A -B; B A] · reference + (Tx, Ty)</c>. Where a point of the meter face was on the reference image,
/// it is at <see cref="Map"/> of it on the moved frame. Image y points down, so a positive <see cref="AngleDegrees"/>
/// turns the content clockwise on screen.
/// </summary>
/// <param name="A">Scale × cos(angle).</param>
/// <param name="B">Scale × sin(angle).</param>
/// <param name="Tx">Translation in x, pixels.</param>
/// <param name="Ty">Translation in y, pixels.</param>
public readonly record struct FrameTransform(double A, double B, double Tx, double Ty)
{
    /// <summary>The frame is where the reference was.</summary>
    public static FrameTransform Identity => new(1, 0, 0, 0);

    /// <summary>
    /// A turn by <paramref name="angleDegrees"/> and a scale by <paramref name="scale"/> about (<paramref name="pivotX"/>, <paramref name="pivotY"/>),
    /// then a shift by (<paramref name="dx"/>, <paramref name="dy"/>).
    /// </summary>
    public static FrameTransform FromShiftRotation(double dx, double dy, double angleDegrees, double scale, double pivotX, double pivotY)
    {
        double a = angleDegrees * Math.PI / 180, c = scale * Math.Cos(a), s = scale * Math.Sin(a);
        return new FrameTransform(c, s, pivotX + dx - (c * pivotX - s * pivotY), pivotY + dy - (s * pivotX + c * pivotY));
    }

    /// <summary>Rotation in degrees (clockwise on screen).</summary>
    public double AngleDegrees => Math.Atan2(B, A) * 180 / Math.PI;

    /// <summary>Scale factor (1 = the same size as the reference).</summary>
    public double Scale => Math.Sqrt(A * A + B * B);

    /// <summary>True when the transform moves no point by more than a thousandth of a pixel over a 10,000 px frame.</summary>
    public bool IsIdentity => Math.Abs(A - 1) < 1e-7 && Math.Abs(B) < 1e-7 && Math.Abs(Tx) < 1e-3 && Math.Abs(Ty) < 1e-3;

    /// <summary>Where the reference point (<paramref name="x"/>, <paramref name="y"/>) is on the frame.</summary>
    public PointF Map(double x, double y) => new(A * x - B * y + Tx, B * x + A * y + Ty);

    /// <summary>How far the reference point (<paramref name="x"/>, <paramref name="y"/>) moved: <c>Map(x, y) - (x, y)</c>.</summary>
    public PointF ShiftAt(double x, double y)
    {
        var p = Map(x, y);
        return new PointF(p.X - x, p.Y - y);
    }

    /// <summary>This transform after <paramref name="first"/>: a point goes through <paramref name="first"/>, then through this.</summary>
    public FrameTransform After(FrameTransform first) =>
        new(A * first.A - B * first.B, B * first.A + A * first.B, A * first.Tx - B * first.Ty + Tx, B * first.Tx + A * first.Ty + Ty);

    /// <summary>The transform that undoes this one (frame to reference).</summary>
    public FrameTransform Inverse()
    {
        double d = A * A + B * B, ia = A / d, ib = -B / d;
        return new FrameTransform(ia, ib, -(ia * Tx - ib * Ty), -(ib * Tx + ia * Ty));
    }

    /// <summary>
    /// The same transform on a pyramid level <paramref name="factor"/> times smaller (2 = half size), where a pixel of that level
    /// covers <paramref name="factor"/> x <paramref name="factor"/> pixels and pixel centres sit on integers at every level.
    /// </summary>
    public FrameTransform AtScale(double factor)
    {
        // p0 = (p + 0.5)·f − 0.5 maps a level pixel to full size; q = (T(p0) + 0.5)/f − 0.5 maps back.
        double h = 0.5 * factor - 0.5;
        var shifted = Map(h, h);
        return new FrameTransform(A, B, (shifted.X + 0.5) / factor - 0.5, (shifted.Y + 0.5) / factor - 0.5);
    }

    /// <summary>
    /// Writes the reference rectangle <paramref name="referenceRect"/> as seen on <paramref name="frame"/> into
    /// <paramref name="destination"/> (resized to the rectangle): pixel (x, y) is the frame sampled bilinearly at
    /// <see cref="Map"/>(rect.X + x, rect.Y + y); points off the frame become <paramref name="fill"/>.
    /// An identity transform copies the pixels exactly. Allocates nothing once the destination is big enough.
    /// </summary>
    public void Warp(GrayImage frame, PixelRect referenceRect, GrayImage destination, byte fill = 0)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(destination);
        if (referenceRect.IsEmpty) throw new ArgumentException($"rectangle {referenceRect} is empty", nameof(referenceRect));
        destination.Resize(referenceRect.Width, referenceRect.Height);
        var src = frame.Buffer.AsSpan();
        for (int y = 0; y < referenceRect.Height; y++)
        {
            var row = destination.Row(y);
            double ry = referenceRect.Y + y;
            // Along a row the frame point advances by (A, B) per pixel.
            double fx = A * referenceRect.X - B * ry + Tx, fy = B * referenceRect.X + A * ry + Ty;
            for (int x = 0; x < row.Length; x++, fx += A, fy += B)
                row[x] = ImageKernels.Sample(src, frame.Width, frame.Height, frame.Stride, fx, fy, fill);
        }
    }

    /// <summary>True when all four corners of <paramref name="referenceRect"/> land inside a <paramref name="width"/> x <paramref name="height"/> frame.</summary>
    public bool KeepsInside(PixelRect referenceRect, int width, int height)
    {
        Span<PointF> corners =
        [
            Map(referenceRect.X, referenceRect.Y), Map(referenceRect.Right - 1, referenceRect.Y),
            Map(referenceRect.X, referenceRect.Bottom - 1), Map(referenceRect.Right - 1, referenceRect.Bottom - 1),
        ];
        foreach (var c in corners)
            if (c.X < -0.5 || c.Y < -0.5 || c.X > width - 0.5 || c.Y > height - 0.5) return false;
        return true;
    }

    /// <summary>Shift at <paramref name="pivotX"/>, <paramref name="pivotY"/>, rotation and scale, e.g. <c>shift (3.2, -1.0) px, 1.50°, scale 1.000</c>.</summary>
    public string Describe(double pivotX, double pivotY)
    {
        var s = ShiftAt(pivotX, pivotY);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"shift ({s.X:0.0}, {s.Y:0.0}) px, {AngleDegrees:0.00}°, scale {Scale:0.000}");
    }
}
