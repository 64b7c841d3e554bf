using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Segmentation;

/// <summary>
/// 8-connected component labelling of a binary image (non-zero = ink) in two passes with union-find.
/// Keeps its label and statistics buffers between calls, so labelling frames of a steady size allocates nothing.
/// </summary>
public sealed class ConnectedComponents
{
    private int[] _labels = [];
    private int[] _parent = new int[256];
    private int[] _compact = new int[256];
    private Component[] _components = new Component[64];
    private int _width, _height;

    /// <summary>Number of components found by the last <see cref="Label(GrayImage)"/> call.</summary>
    public int Count { get; private set; }

    /// <summary>Per-pixel labels of the last call (row-major, width x height): 0 = background, 1..Count = component.</summary>
    public ReadOnlySpan<int> Labels => _labels.AsSpan(0, _width * _height);

    /// <summary>Statistics of the components: entry i describes label i + 1.</summary>
    public ReadOnlySpan<Component> Components => _components.AsSpan(0, Count);

    /// <summary>Width of the last labelled image.</summary>
    public int Width => _width;

    /// <summary>Height of the last labelled image.</summary>
    public int Height => _height;

    /// <summary>Labels <paramref name="image"/> (non-zero pixels are ink); returns the component count.</summary>
    public int Label(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Label(image.Buffer, image.Width, image.Height, image.Stride);
    }

    /// <summary>Labels a binary image given as rows of <paramref name="stride"/> bytes; returns the component count.</summary>
    public int Label(ReadOnlySpan<byte> binary, int width, int height, int stride)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} must be positive");
        if ((long)(height - 1) * stride + width > binary.Length) throw new ArgumentException("binary image buffer too small", nameof(binary));
        int n = width * height;
        if (_labels.Length < n) _labels = new int[n];
        _width = width;
        _height = height;
        var labels = _labels.AsSpan(0, n);
        int next = 1;
        _parent[0] = 0;

        for (int y = 0; y < height; y++)
        {
            var row = binary.Slice(y * stride, width);
            int o = y * width;
            for (int x = 0; x < width; x++)
            {
                if (row[x] == 0) { labels[o + x] = 0; continue; }
                int l = 0;
                // Neighbours already visited: W, NW, N, NE.
                if (x > 0 && labels[o + x - 1] != 0) l = labels[o + x - 1];
                if (y > 0)
                {
                    int up = o - width + x;
                    if (x > 0 && labels[up - 1] != 0) l = Merge(l, labels[up - 1]);
                    if (labels[up] != 0) l = Merge(l, labels[up]);
                    if (x + 1 < width && labels[up + 1] != 0) l = Merge(l, labels[up + 1]);
                }
                if (l == 0)
                {
                    if (next >= _parent.Length) Array.Resize(ref _parent, _parent.Length * 2);
                    _parent[next] = next;
                    l = next++;
                }
                labels[o + x] = l;
            }
        }

        if (_compact.Length < next) _compact = new int[Math.Max(next, _compact.Length * 2)];
        int count = 0;
        for (int i = 1; i < next; i++)
        {
            int r = Find(i);
            if (r == i) _compact[i] = ++count;
        }
        for (int i = 1; i < next; i++) _compact[i] = _compact[Find(i)];
        if (_components.Length < count) _components = new Component[Math.Max(count, _components.Length * 2)];
        var comps = _components.AsSpan(0, count);
        for (int i = 0; i < count; i++) comps[i] = new Component(new PixelRect(int.MaxValue, int.MaxValue, 0, 0), 0, 0, 0);

        // Second pass: final labels and statistics; boxes kept as (x0, y0, x1, y1) until the end.
        for (int y = 0; y < height; y++)
        {
            int o = y * width;
            for (int x = 0; x < width; x++)
            {
                int l = labels[o + x];
                if (l == 0) continue;
                int c = _compact[l];
                labels[o + x] = c;
                ref var s = ref comps[c - 1];
                var b = s.Box;
                int x0 = Math.Min(b.X, x), y0 = Math.Min(b.Y, y);
                int x1 = Math.Max(b.Width, x), y1 = Math.Max(b.Height, y);
                s = new Component(new PixelRect(x0, y0, x1, y1), s.Area + 1, s.SumX + x, s.SumY + y);
            }
        }
        for (int i = 0; i < count; i++)
        {
            var b = comps[i].Box;
            comps[i] = comps[i] with { Box = new PixelRect(b.X, b.Y, b.Width - b.X + 1, b.Height - b.Y + 1) };
        }
        Count = count;
        return count;
    }

    private int Find(int i) => UnionFind.Find(_parent, i);

    private int Merge(int a, int b)
    {
        if (a == 0) return Find(b);
        int ra = Find(a), rb = Find(b);
        if (ra == rb) return ra;
        if (ra < rb) { _parent[rb] = ra; return ra; }
        _parent[ra] = rb;
        return rb;
    }
}
