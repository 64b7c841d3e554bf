using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Segmentation;

/// <summary>
/// Splits a binary ink image into digits: connected components, speck removal, merging of the
/// pieces of one digit (7-segment segments, broken strokes) by x-overlap, splitting of touching
/// digits at the thinnest column, dropping of non-digits, left-to-right order. Keeps its buffers:
/// frames of a steady size allocate nothing. Not thread-safe.
/// </summary>
public sealed class DigitSegmenter
{
    private readonly ConnectedComponents _cc = new();
    private int[] _groupOf = new int[64];
    private int[] _parent = new int[64];
    private int[] _order = new int[64];
    private PixelRect[] _groupBox = new PixelRect[64];
    private int[] _groupArea = new int[64];
    private DigitRegion[] _regions = new DigitRegion[32];
    private int[] _column = new int[64];
    private byte[] _crop = new byte[1024];

    /// <summary>The connected components of the last frame.</summary>
    public ConnectedComponents Components => _cc;

    /// <summary>Digits found by the last <see cref="Segment"/>, left to right.</summary>
    public ReadOnlySpan<DigitRegion> Regions => _regions.AsSpan(0, RegionCount);

    /// <summary>Number of digits found by the last <see cref="Segment"/>.</summary>
    public int RegionCount { get; private set; }

    /// <summary>Group id of each component (index = label - 1) after the last <see cref="Segment"/>; -1 = dropped.</summary>
    public ReadOnlySpan<int> GroupOfComponent => _groupOf.AsSpan(0, _cc.Count);

    /// <summary>Finds the digits in <paramref name="binary"/> (non-zero = ink); returns how many.</summary>
    public int Segment(GrayImage binary, SegmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(binary);
        options ??= SegmentOptions.Default;
        int n = _cc.Label(binary);
        var comps = _cc.Components;
        Ensure(ref _groupOf, n);
        Ensure(ref _parent, n);
        Ensure(ref _order, n);
        Ensure(ref _groupBox, n);
        Ensure(ref _groupArea, n);
        RegionCount = 0;

        if (options.FixedBoxes is { } fixedBoxes)
        {
            for (int i = 0; i < n; i++) _groupOf[i] = comps[i].Area >= options.MinSpeckArea ? 0 : -1;
            foreach (var b in fixedBoxes)
            {
                var clipped = b.Intersect(binary.Bounds);
                if (!clipped.IsEmpty) Add(new DigitRegion(clipped, -1));
            }
            return RegionCount;
        }

        int maxArea = 0;
        for (int i = 0; i < n; i++) maxArea = Math.Max(maxArea, comps[i].Area);
        int minArea = Math.Max(options.MinSpeckArea, (int)(maxArea * options.RelativeSpeckArea));
        int kept = 0;
        int maxCompHeight = 0;
        for (int i = 0; i < n; i++)
        {
            _parent[i] = i;
            _groupOf[i] = -1;
            if (comps[i].Area < minArea) continue;
            _order[kept++] = i;
            maxCompHeight = Math.Max(maxCompHeight, comps[i].Box.Height);
        }
        if (kept == 0) return 0;

        // Merge pieces of one digit: x-ranges overlap enough and vertically not too far apart.
        for (int a = 0; a < kept; a++)
        {
            var ba = comps[_order[a]].Box;
            for (int b = a + 1; b < kept; b++)
            {
                var bb = comps[_order[b]].Box;
                int overlap = Math.Min(ba.Right, bb.Right) - Math.Max(ba.X, bb.X);
                if (overlap <= 0) continue;
                if (overlap < options.MergeOverlap * Math.Min(ba.Width, bb.Width)) continue;
                int vgap = Math.Max(ba.Y, bb.Y) - Math.Min(ba.Bottom, bb.Bottom);
                if (vgap > 0.6 * maxCompHeight) continue;
                Union(_order[a], _order[b]);
            }
        }

        int groups = 0;
        for (int k = 0; k < kept; k++)
        {
            int i = _order[k];
            int r = Find(i);
            if (_groupOf[r] < 0)
            {
                _groupOf[r] = groups;
                _groupBox[groups] = default;
                _groupArea[groups] = 0;
                groups++;
            }
            int g = _groupOf[r];
            _groupOf[i] = g;
            _groupBox[g] = _groupBox[g].Union(comps[i].Box);
            _groupArea[g] += comps[i].Area;
        }

        int tallest = 0;
        for (int g = 0; g < groups; g++) tallest = Math.Max(tallest, _groupBox[g].Height);
        for (int g = 0; g < groups; g++)
        {
            var box = _groupBox[g];
            if (box.Height < options.MinRelativeHeight * tallest) continue;
            if (box.Width > 6 * box.Height) continue; // a rule or underline, not digits
            bool touches = box.X == 0 || box.Y == 0 || box.Right == binary.Width || box.Bottom == binary.Height;
            if (options.DropBorderTouching && touches && box.Height < 0.6 * tallest) continue;
            if (box.Width > options.SplitAspect * box.Height) SplitAndAdd(g, box, options);
            else Add(new DigitRegion(box, g));
        }

        // Left to right by box centre (insertion sort: a handful of digits).
        var regions = _regions.AsSpan(0, RegionCount);
        for (int i = 1; i < regions.Length; i++)
        {
            var r = regions[i];
            int j = i - 1;
            while (j >= 0 && regions[j].Box.X * 2 + regions[j].Box.Width > r.Box.X * 2 + r.Box.Width)
            {
                regions[j + 1] = regions[j];
                j--;
            }
            regions[j + 1] = r;
        }
        if (RegionCount > options.MaxDigits) RegionCount = options.MaxDigits;
        return RegionCount;
    }

    /// <summary>
    /// Copies the ink of <paramref name="region"/> from <paramref name="ink"/> into a crop (other groups
    /// masked out), contrast-stretched so its strongest ink is 255. The returned span stays valid
    /// until the next call; its rows are region.Box.Width long.
    /// </summary>
    public Span<byte> ExtractCrop(GrayImage ink, DigitRegion region)
    {
        ArgumentNullException.ThrowIfNull(ink);
        var box = region.Box;
        int need = box.Width * box.Height;
        if (_crop.Length < need) _crop = new byte[Math.Max(need, _crop.Length * 2)];
        var crop = _crop.AsSpan(0, need);
        var labels = _cc.Labels;
        int w = _cc.Width;
        int max = 0;
        for (int y = 0; y < box.Height; y++)
        {
            var src = ink.Row(box.Y + y).Slice(box.X, box.Width);
            var dst = crop.Slice(y * box.Width, box.Width);
            int o = (box.Y + y) * w + box.X;
            for (int x = 0; x < box.Width; x++)
            {
                int l = labels[o + x];
                bool mine = l != 0 && (region.Group < 0 ? _groupOf[l - 1] >= 0 : _groupOf[l - 1] == region.Group);
                byte v = mine ? src[x] : (byte)0;
                dst[x] = v;
                if (v > max) max = v;
            }
        }
        if (max is > 0 and < 255)
        {
            // Contrast stretch in 16.16 fixed point: faint ink reads like MNIST's saturated strokes.
            int f = (255 << 16) / max;
            for (int i = 0; i < crop.Length; i++) crop[i] = (byte)Math.Min(255, (crop[i] * f) >> 16);
        }
        return crop;
    }

    private void SplitAndAdd(int g, PixelRect box, SegmentOptions options)
    {
        int k = Math.Max(2, (int)Math.Round(box.Width / (options.DigitAspect * box.Height)));
        Ensure(ref _column, box.Width);
        var labels = _cc.Labels;
        int w = _cc.Width;
        for (int x = 0; x < box.Width; x++)
        {
            int c = 0;
            for (int y = box.Y; y < box.Bottom; y++)
            {
                int l = labels[y * w + box.X + x];
                if (l != 0 && _groupOf[l - 1] == g) c++;
            }
            _column[x] = c;
        }
        int start = 0;
        for (int i = 1; i < k; i++)
        {
            int expected = i * box.Width / k;
            int radius = Math.Max(1, box.Width / (3 * k));
            int best = expected, bestInk = int.MaxValue;
            for (int x = Math.Max(start + 1, expected - radius); x <= Math.Min(box.Width - 2, expected + radius); x++)
            {
                // Prefer the thinnest column, and among equals the one nearest the expected cut.
                int score = _column[x] * 4 + Math.Abs(x - expected) / Math.Max(1, radius / 2);
                if (score < bestInk) { bestInk = score; best = x; }
            }
            AddTrimmed(g, new PixelRect(box.X + start, box.Y, best - start, box.Height));
            start = best;
        }
        AddTrimmed(g, new PixelRect(box.X + start, box.Y, box.Width - start, box.Height));
    }

    private void AddTrimmed(int g, PixelRect part)
    {
        // Shrink the part's box to the group's ink inside it.
        var labels = _cc.Labels;
        int w = _cc.Width;
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (int y = part.Y; y < part.Bottom; y++)
            for (int x = part.X; x < part.Right; x++)
            {
                int l = labels[y * w + x];
                if (l == 0 || _groupOf[l - 1] != g) continue;
                if (x < x0) x0 = x;
                if (x > x1) x1 = x;
                if (y < y0) y0 = y;
                if (y > y1) y1 = y;
            }
        if (x1 >= 0) Add(new DigitRegion(new PixelRect(x0, y0, x1 - x0 + 1, y1 - y0 + 1), g));
    }

    private void Add(DigitRegion r)
    {
        if (RegionCount == _regions.Length) Array.Resize(ref _regions, _regions.Length * 2);
        _regions[RegionCount++] = r;
    }

    private int Find(int i)
    {
        while (_parent[i] != i)
        {
            _parent[i] = _parent[_parent[i]];
            i = _parent[i];
        }
        return i;
    }

    private void Union(int a, int b)
    {
        int ra = Find(a), rb = Find(b);
        if (ra != rb) _parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
    }

    private static void Ensure<T>(ref T[] array, int n)
    {
        if (array.Length < n) array = new T[Math.Max(n, array.Length * 2)];
    }
}
