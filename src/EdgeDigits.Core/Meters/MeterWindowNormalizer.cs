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
    public static void Normalize(GrayImage frame, PixelRect window, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Normalize(frame.Buffer, frame.Width, frame.Height, frame.Stride, window, destination);
    }

    /// <summary>
    /// Normalizes the window <paramref name="window"/> of the reference image as it lies on a moved <paramref name="frame"/>:
    /// the window is first resampled through <paramref name="transform"/> (reference to frame, from an <see cref="IFrameAligner"/>)
    /// into <paramref name="scratch"/>, then normalized as usual. An identity transform reads the frame directly (the same pixels
    /// as <see cref="Normalize(GrayImage, PixelRect, Span{byte})"/>). Allocates nothing once the scratch image is big enough.
    /// </summary>
    /// <exception cref="ArgumentException">The window, moved by the transform, is not inside the frame, or the destination is too short.</exception>
    public static void Normalize(GrayImage frame, PixelRect window, FrameTransform transform, GrayImage scratch, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(scratch);
        if (transform.IsIdentity)
        {
            Normalize(frame, window, destination);
            return;
        }
        if (window.IsEmpty || !transform.KeepsInside(window, frame.Width, frame.Height))
            throw new ArgumentException($"window {window}, moved by the alignment ({transform.Describe(window.X, window.Y)}), is not inside the {frame.Width}x{frame.Height} frame", nameof(window));
        transform.Warp(frame, window, scratch);
        Normalize(scratch, scratch.Bounds, destination);
    }

    /// <summary>Same as <see cref="Normalize(GrayImage, PixelRect, Span{byte})"/> on a raw grey buffer with a row stride.</summary>
    /// <exception cref="ArgumentException">The window is empty or not inside the frame, or a buffer is too short.</exception>
    public static void Normalize(ReadOnlySpan<byte> gray, int width, int height, int stride, PixelRect window, Span<byte> destination)
    {
        if (window.IsEmpty || window.X < 0 || window.Y < 0 || window.Right > width || window.Bottom > height)
            throw new ArgumentException($"window {window} is not inside the {width}x{height} frame", nameof(window));
        if (destination.Length < Pixels) throw new ArgumentException($"destination holds {destination.Length} pixels, needs {Pixels}", nameof(destination));
        if (gray.Length < stride * (height - 1) + width) throw new ArgumentException("grey buffer shorter than width, height and stride say", nameof(gray));

        // Area resampling in fixed point: each output pixel averages the source rectangle it covers,
        // with fractional edge weights, so a 20x32 window and a 200x320 one give the same picture.
        Span<float> plane = stackalloc float[Pixels];
        float sx = window.Width / (float)Side, sy = window.Height / (float)Side;
        for (int oy = 0; oy < Side; oy++)
        {
            float y0 = window.Y + oy * sy, y1 = y0 + sy;
            for (int ox = 0; ox < Side; ox++)
            {
                float x0 = window.X + ox * sx, x1 = x0 + sx;
                float sum = 0, area = 0;
                for (int y = (int)y0; y < y1 && y < height; y++)
                {
                    float wy = Math.Min(y + 1, y1) - Math.Max(y, y0);
                    if (wy <= 0) continue;
                    var row = gray.Slice(y * stride, width);
                    for (int x = (int)x0; x < x1 && x < width; x++)
                    {
                        float wx = Math.Min(x + 1, x1) - Math.Max(x, x0);
                        if (wx <= 0) continue;
                        sum += row[x] * wx * wy;
                        area += wx * wy;
                    }
                }
                plane[oy * Side + ox] = area > 0 ? sum / area : 0;
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
