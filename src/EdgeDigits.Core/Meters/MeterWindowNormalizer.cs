using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;

namespace EdgeDigits.Core.Meters;

/// <summary>
/// Turns one meter digit window (a box on the aligned grey frame) into the meter model's input:
/// the whole window, area-resampled to <see cref="Side"/> x <see cref="Side"/>, contrast stretched
/// between two percentiles. Unlike handwriting crops, nothing is segmented or centred and the
/// polarity is kept: where the digit sits in the window is the roll position the model reads,
/// and a meter face may be light on dark or dark on light. Training and the device use this one
/// method, so they see the same pixels.
/// </summary>
public static class MeterWindowNormalizer
{
    /// <summary>Side of the model input in pixels.</summary>
    public const int Side = 28;

    /// <summary>Pixels of the model input.</summary>
    public const int Pixels = Side * Side;

    /// <summary>Fraction of the darkest pixels mapped to 0 (and of the brightest to 255): one glint or speck does not set the range.</summary>
    public const double ClipFraction = 0.02;

    /// <summary>Range below which a window is treated as flat (no digit to see); it is written mid-grey.</summary>
    public const int MinimumRange = 8;

    /// <summary>Writes the normalized window <paramref name="window"/> of <paramref name="frame"/> into <paramref name="destination"/> (28x28). Allocates nothing.</summary>
    /// <exception cref="ArgumentException">The window is empty or not inside the frame, or the destination is too short.</exception>
    public static void Normalize(GrayImage frame, PixelRect window, Span<byte> destination) =>
        Normalize(frame, window, default, destination);

    /// <summary>
    /// Same as <see cref="Normalize(GrayImage, PixelRect, Span{byte})"/> with the cut moved by <paramref name="shift"/>
    /// (in model-input pixels, so the same for a 20x32 and a 40x64 window): a test-time crop (<see cref="MeterTestTimeCrops"/>).
    /// Where the moved cut passes the frame's edge, only the pixels inside count. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The window is empty or not inside the frame, or the destination is too short.</exception>
    public static void Normalize(GrayImage frame, PixelRect window, CropShift shift, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Normalize(frame.Buffer, frame.Width, frame.Height, frame.Stride, window, shift, destination);
    }

    /// <summary>
    /// Normalizes the window <paramref name="window"/> of the reference image as it lies on a moved <paramref name="frame"/>:
    /// the window is first resampled through <paramref name="transform"/> (reference to frame, from an <see cref="IFrameAligner"/>)
    /// into <paramref name="scratch"/>, then normalized as usual. An identity transform reads the frame directly (the same pixels
    /// as <see cref="Normalize(GrayImage, PixelRect, Span{byte})"/>). Allocates nothing once the scratch image is big enough.
    /// </summary>
    /// <exception cref="ArgumentException">The window, moved by the transform, is not inside the frame, or the destination is too short.</exception>
    public static void Normalize(GrayImage frame, PixelRect window, FrameTransform transform, GrayImage scratch, Span<byte> destination) =>
        Normalize(frame, window, transform, scratch, default(CropShift), destination);

    /// <summary>
    /// Same as <see cref="Normalize(GrayImage, PixelRect, FrameTransform, GrayImage, Span{byte})"/> with the cut moved by
    /// <paramref name="shift"/> (model-input pixels) inside the window as it lies on the frame. Allocates nothing once the scratch image is big enough.
    /// </summary>
    /// <exception cref="ArgumentException">The window, moved by the transform, is not inside the frame, or the destination is too short.</exception>
    public static void Normalize(GrayImage frame, PixelRect window, FrameTransform transform, GrayImage scratch, CropShift shift, Span<byte> destination) =>
        Normalize(frame, window, transform, scratch, new ReadOnlySpan<CropShift>(in shift), destination);

    /// <summary>
    /// Writes one normalized cut per entry of <paramref name="shifts"/> (<see cref="MeterTestTimeCrops"/>), back to back into
    /// <paramref name="destination"/> (28x28 each), of the window <paramref name="window"/> as it lies on the moved <paramref name="frame"/>;
    /// the window is resampled through <paramref name="transform"/> once for all cuts. Allocates nothing once the scratch image is big enough.
    /// </summary>
    /// <exception cref="ArgumentException">The window, moved by the transform, is not inside the frame, or the destination is too short.</exception>
    public static void Normalize(GrayImage frame, PixelRect window, FrameTransform transform, GrayImage scratch, ReadOnlySpan<CropShift> shifts, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(scratch);
        if (destination.Length < shifts.Length * Pixels) throw new ArgumentException($"destination holds {destination.Length} pixels, needs {shifts.Length * Pixels}", nameof(destination));
        var source = frame;
        var cut = window;
        if (!transform.IsIdentity)
        {
            if (window.IsEmpty || !transform.KeepsInside(window, frame.Width, frame.Height))
                throw new ArgumentException($"window {window}, moved by the alignment ({transform.Describe(window.X, window.Y)}), is not inside the {frame.Width}x{frame.Height} frame", nameof(window));
            transform.Warp(frame, window, scratch);
            source = scratch;
            cut = scratch.Bounds;
        }
        for (int k = 0; k < shifts.Length; k++)
            Normalize(source, cut, shifts[k], destination.Slice(k * Pixels, Pixels));
    }

    /// <summary>Same as <see cref="Normalize(GrayImage, PixelRect, Span{byte})"/> on a raw grey buffer with a row stride.</summary>
    /// <exception cref="ArgumentException">The window is empty or not inside the frame, or a buffer is too short.</exception>
    public static void Normalize(ReadOnlySpan<byte> gray, int width, int height, int stride, PixelRect window, Span<byte> destination) =>
        Normalize(gray, width, height, stride, window, default, destination);

    /// <summary>Same as <see cref="Normalize(GrayImage, PixelRect, CropShift, Span{byte})"/> on a raw grey buffer with a row stride.</summary>
    /// <exception cref="ArgumentException">The window is empty or not inside the frame, or a buffer is too short.</exception>
    public static void Normalize(ReadOnlySpan<byte> gray, int width, int height, int stride, PixelRect window, CropShift shift, Span<byte> destination)
    {
        if (window.IsEmpty || window.X < 0 || window.Y < 0 || window.Right > width || window.Bottom > height)
            throw new ArgumentException($"window {window} is not inside the {width}x{height} frame", nameof(window));
        if (destination.Length < Pixels) throw new ArgumentException($"destination holds {destination.Length} pixels, needs {Pixels}", nameof(destination));
        if (gray.Length < stride * (height - 1) + width) throw new ArgumentException("grey buffer shorter than width, height and stride say", nameof(gray));

        // Area resampling in fixed point: each output pixel averages the source rectangle it covers,
        // with fractional edge weights, so a 20x32 window and a 200x320 one give the same picture.
        Span<float> plane = stackalloc float[Pixels];
        float sx = window.Width / (float)Side, sy = window.Height / (float)Side;
        float left = window.X + shift.X * sx, top = window.Y + shift.Y * sy;
        for (int oy = 0; oy < Side; oy++)
        {
            float y0 = top + oy * sy, y1 = y0 + sy;
            for (int ox = 0; ox < Side; ox++)
            {
                float x0 = left + ox * sx, x1 = x0 + sx;
                float sum = 0, area = 0;
                for (int y = Math.Max(0, (int)MathF.Floor(y0)); y < y1 && y < height; y++)
                {
                    float wy = Math.Min(y + 1, y1) - Math.Max(y, y0);
                    if (wy <= 0) continue;
                    var row = gray.Slice(y * stride, width);
                    for (int x = Math.Max(0, (int)MathF.Floor(x0)); x < x1 && x < width; x++)
                    {
                        float wx = Math.Min(x + 1, x1) - Math.Max(x, x0);
                        if (wx <= 0) continue;
                        sum += row[x] * wx * wy;
                        area += wx * wy;
                    }
                }
                // A cut moved past the frame's edge (test-time crops) repeats the edge pixel.
                plane[oy * Side + ox] = area > 0 ? sum / area
                    : gray[Math.Clamp((int)MathF.Floor(y0), 0, height - 1) * stride + Math.Clamp((int)MathF.Floor(x0), 0, width - 1)];
            }
        }

        Span<int> histogram = stackalloc int[256];
        histogram.Clear();
        foreach (var v in plane) histogram[(int)Math.Clamp(v + 0.5f, 0, 255)]++;
        int clip = (int)(Pixels * ClipFraction);
        int lo = 0, hi = 255;
        for (int seen = 0; lo < 255 && (seen += histogram[lo]) <= clip; lo++) { }
        for (int seen = 0; hi > 0 && (seen += histogram[hi]) <= clip; hi--) { }
        if (hi - lo < MinimumRange)
        {
            destination[..Pixels].Fill(128);
            return;
        }
        float scale = 255f / (hi - lo);
        for (int i = 0; i < Pixels; i++)
            destination[i] = (byte)Math.Clamp((plane[i] - lo) * scale + 0.5f, 0, 255);
    }
}
