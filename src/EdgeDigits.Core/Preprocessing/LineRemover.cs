using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Preprocessing;

/// <summary>
/// Removes ruling lines, table borders and scanner strips from a binary ink mask before it is cut into
/// components: runs of ink along a row (column) that are long (<see cref="LineRemovalOptions.MinLengthFraction"/>
/// of the frame), thin for their length (<see cref="LineRemovalOptions.MinAspect"/>) and mostly solid
/// (<see cref="LineRemovalOptions.MinFill"/>). Only the pixels where the ink across the line is no thicker than the
/// line itself go (<see cref="LineRemovalOptions.CrossingFactor"/>), so a digit stroke that crosses or touches the
/// line keeps its pixels on it. Keeps its buffers: frames of a steady size allocate nothing. Not thread-safe.
/// </summary>
public sealed class LineRemover
{
    private ushort[] _across = [];
    private byte[] _mark = [];

    /// <summary>Lines (runs on one row or column) found by the last <see cref="Run"/>.</summary>
    public int LineRuns { get; private set; }

    /// <summary>Pixels removed by the last <see cref="Run"/>.</summary>
    public int RemovedPixels { get; private set; }

    /// <summary>Removes lines from <paramref name="binary"/> (non-zero = ink) and clears the same pixels in <paramref name="ink"/> (same size), when given.</summary>
    public void Run(GrayImage binary, GrayImage? ink, LineRemovalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(binary);
        options ??= LineRemovalOptions.Default;
        LineRuns = 0;
        RemovedPixels = 0;
        if (!options.Enabled) return;
        if (ink is not null && (ink.Width != binary.Width || ink.Height != binary.Height))
            throw new ArgumentException($"ink image {ink.Width}x{ink.Height} differs from the binary {binary.Width}x{binary.Height}");
        if (!binary.IsContiguous || (ink is not null && !ink.IsContiguous)) throw new ArgumentException("line removal needs contiguous images");
        int w = binary.Width, h = binary.Height, n = w * h;
        if (_across.Length < n) { _across = new ushort[n]; _mark = new byte[n]; }
        var b = binary.Data;
        var mark = _mark.AsSpan(0, n);
        mark.Clear();
        Pass(b, w, h, horizontal: true, options);
        Pass(b, w, h, horizontal: false, options);
        var inkData = ink is null ? default : ink.Data;
        int removed = 0;
        for (int i = 0; i < n; i++)
        {
            if (mark[i] == 0) continue;
            b[i] = 0;
            if (ink is not null) inkData[i] = 0;
            removed++;
        }
        RemovedPixels = removed;
    }

    /// <summary>Marks the line pixels of one direction: along = x for horizontal lines, y for vertical ones.</summary>
    private void Pass(ReadOnlySpan<byte> b, int w, int h, bool horizontal, LineRemovalOptions o)
    {
        int along = horizontal ? w : h, lines = horizontal ? h : w;
        int stepAlong = horizontal ? 1 : w, stepLine = horizontal ? w : 1;
        var across = _across.AsSpan(0, w * h);
        // Ink across each pixel: the length of the run perpendicular to the lines being looked for.
        for (int i = 0; i < along; i++)
        {
            int j = 0;
            while (j < lines)
            {
                if (b[i * stepAlong + j * stepLine] == 0) { j++; continue; }
                int start = j;
                while (j < lines && b[i * stepAlong + j * stepLine] != 0) j++;
                ushort len = (ushort)Math.Min(j - start, ushort.MaxValue);
                for (int k = start; k < j; k++) across[i * stepAlong + k * stepLine] = len;
            }
        }
        int minLen = Math.Max(o.MinLength, (int)Math.Ceiling(o.MinLengthFraction * along));
        int tol = Math.Max(0, o.Tolerance);
        Span<int> histogram = stackalloc int[256];
        for (int j = 0; j < lines; j++)
        {
            int lo = Math.Max(0, j - tol), hi = Math.Min(lines - 1, j + tol);
            int i = 0;
            while (i < along)
            {
                if (!AnyInk(b, i, lo, hi, stepAlong, stepLine)) { i++; continue; }
                int start = i;
                while (i < along && AnyInk(b, i, lo, hi, stepAlong, stepLine)) i++;
                int len = i - start;
                if (len < minLen) continue;
                int fill = 0;
                histogram.Clear();
                for (int k = start; k < i; k++)
                {
                    int p = k * stepAlong + j * stepLine;
                    if (b[p] == 0) continue;
                    fill++;
                    histogram[Math.Min(255, (int)across[p])]++;
                }
                if (fill < o.MinFill * len) continue;
                int thickness = 0;
                for (int seen = 0; thickness < 255; thickness++)
                {
                    seen += histogram[thickness];
                    if (seen * 2 >= fill) break;
                }
                if (len < o.MinAspect * Math.Max(1, thickness)) continue;
                LineRuns++;
                double limit = thickness * o.CrossingFactor + 1;
                for (int k = start; k < i; k++)
                {
                    int p = k * stepAlong + j * stepLine;
                    if (b[p] != 0 && across[p] <= limit) _mark[p] = 1;
                }
            }
        }
    }

    private static bool AnyInk(ReadOnlySpan<byte> b, int i, int lo, int hi, int stepAlong, int stepLine)
    {
        for (int j = lo; j <= hi; j++)
            if (b[i * stepAlong + j * stepLine] != 0) return true;
        return false;
    }
}
