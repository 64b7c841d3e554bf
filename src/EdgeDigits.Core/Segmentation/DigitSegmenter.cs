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
    private SplitAlternative[] _alternatives = new SplitAlternative[8];
    private DigitRegion[] _runs = new DigitRegion[16];
    private LayerAlternative[] _layers = new LayerAlternative[4];
    private int[] _wholeOf = new int[64];
    private int[] _rowInk = new int[64];
    private PixelRect[] _parts = new PixelRect[16];
    private int[] _column = new int[64];
    private int[] _heights = new int[64];
    private byte[] _crop = new byte[1024];
    private int[] _columnTop = new int[64];
    private PixelRect[] _segments = new PixelRect[4];
    private PixelRect[] _lineRuns = new PixelRect[4];

    /// <summary>The connected components of the last frame.</summary>
    public ConnectedComponents Components => _cc;

    /// <summary>Digits found by the last <see cref="Segment"/>, left to right.</summary>
    public ReadOnlySpan<DigitRegion> Regions => _regions.AsSpan(0, RegionCount);

    /// <summary>Number of digits found by the last <see cref="Segment"/>.</summary>
    public int RegionCount { get; private set; }

    /// <summary>
    /// Wide groups that were split into several digits, each with the unsplit box, so a recognizer can
    /// check whether the group was one wide digit after all.
    /// </summary>
    public ReadOnlySpan<SplitAlternative> Alternatives => _alternatives.AsSpan(0, AlternativeCount);

    /// <summary>Number of entries in <see cref="Alternatives"/>.</summary>
    public int AlternativeCount { get; private set; }

    /// <summary>
    /// Regions of two or more consecutive pieces of a split group, short of the whole group (see
    /// <see cref="SplitAlternative.FirstRun"/>), so a recognizer can weigh every way to cut the group.
    /// </summary>
    public ReadOnlySpan<DigitRegion> Runs => _runs.AsSpan(0, RunTotal);

    /// <summary>Number of entries in <see cref="Runs"/>.</summary>
    public int RunTotal { get; private set; }

    /// <summary>
    /// Groups cut into layers one above the other at empty rows (<see cref="SegmentOptions.LayerGap"/>), each with the
    /// whole group, so a recognizer can weigh the layers apart (a digit and a mark) against the whole.
    /// </summary>
    public ReadOnlySpan<LayerAlternative> Layers => _layers.AsSpan(0, LayerCount);

    /// <summary>Number of entries in <see cref="Layers"/>.</summary>
    public int LayerCount { get; private set; }

    /// <summary>
    /// Thin line runs cut off the bottom of groups by the last <see cref="Segment"/> (<see cref="SegmentOptions.LineRunLength"/>),
    /// in the binary image's coordinates: the rest of a writing line that the digits stand on.
    /// </summary>
    public ReadOnlySpan<PixelRect> LineRuns => _lineRuns.AsSpan(0, LineRunCount);

    /// <summary>Number of entries in <see cref="LineRuns"/>.</summary>
    public int LineRunCount { get; private set; }

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
        // Layers (CutLayers) take new group ids: up to one per component beside the n first ids.
        Ensure(ref _groupBox, 2 * n);
        Ensure(ref _groupArea, 2 * n);
        Ensure(ref _wholeOf, 2 * n);
        RegionCount = 0;
        LineRunCount = 0;
        AlternativeCount = 0;
        RunTotal = 0;
        LayerCount = 0;

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

        // Specks are measured against the largest piece that does not run from edge to edge: a scanner strip's area
        // would make a thin "1" a speck.
        int maxArea = 0;
        for (int i = 0; i < n; i++)
            if (!(options.DropFrameSpanning && SpansFrame(comps[i].Box, binary))) maxArea = Math.Max(maxArea, comps[i].Area);
        int minArea = Math.Max(options.MinSpeckArea, (int)(maxArea * options.RelativeSpeckArea));
        int kept = 0, upright = 0, maxCompHeight = 0;
        Ensure(ref _heights, n);
        for (int i = 0; i < n; i++)
        {
            _parent[i] = i;
            _groupOf[i] = -1;
            if (comps[i].Area < minArea) continue;
            _order[kept++] = i;
            var b = comps[i].Box;
            maxCompHeight = Math.Max(maxCompHeight, b.Height);
            if (b.Height * 2 >= b.Width) _heights[upright++] = b.Height;
        }
        if (kept == 0) return 0;
        // The tallest upright piece not far above the (lower) median upright piece: a scanner strip or a stamp on a
        // form must not stretch how far apart the pieces of one digit may lie. Flat pieces (a 5's bar, 7-segment bars)
        // do not set the median.
        if (upright > 0) maxCompHeight = TallestUnderMedianLimit(_heights.AsSpan(0, upright), options, lowerMedian: true);
        // A layer must be this tall to be a digit (CutLayers): the pieces' own height, not the 7-segment band below, which
        // a digit with a stamp stacked under it can pass for.
        int pieceHeight = maxCompHeight;

        // Reference digit height: the tallest piece, unless every piece is much shorter than the band
        // the pieces span (a lone 7-segment "5" has no piece taller than half the digit).
        int bandTop = int.MaxValue, bandBottom = 0;
        for (int k = 0; k < kept; k++)
        {
            var b = comps[_order[k]].Box;
            bandTop = Math.Min(bandTop, b.Y);
            bandBottom = Math.Max(bandBottom, b.Bottom);
        }
        // Marks far above and below a number (a form) make a band no 7-segment piece is a fair part of: keep the tallest piece.
        int band = bandBottom - bandTop;
        if (maxCompHeight < 0.55 * band && maxCompHeight >= options.MinPieceOfBand * band && BandCoverage(kept, bandTop, band) >= options.MinBandCoverage)
            maxCompHeight = band;

        // Merge pieces of one digit: x-ranges overlap enough and vertically not too far apart. A strip or border with a
        // stub of a ruling line still on it spans every row: it would join every digit under the stub.
        for (int a = 0; a < kept; a++)
        {
            var ba = comps[_order[a]].Box;
            if (IsFrameSpanning(ba, binary, pieceHeight, options)) continue;
            for (int b = a + 1; b < kept; b++)
            {
                var bb = comps[_order[b]].Box;
                if (IsFrameSpanning(bb, binary, pieceHeight, options)) continue;
                int overlap = Math.Min(ba.Right, bb.Right) - Math.Max(ba.X, bb.X);
                if (overlap <= 0) continue;
                if (overlap < options.MergeOverlap * Math.Min(ba.Width, bb.Width)) continue;
                int vgap = Math.Max(ba.Y, bb.Y) - Math.Min(ba.Bottom, bb.Bottom);
                if (vgap > options.MaxStackedGap * maxCompHeight) continue;
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

        int tallest = Math.Max(maxCompHeight, ReferenceHeight(groups, options));
        MergePieces(groups, tallest, options);
        for (int g = 0; g < 2 * n; g++) _wholeOf[g] = g;
        // Groups stacked in layers become their layers (the whole is kept in Layers): before the reference height, so a
        // digit joined with a stamp does not set it.
        for (int g = 0, merged = groups; g < merged && options.LayerGap > 0; g++)
            if (!_groupBox[g].IsEmpty && CutLayers(g, _groupBox[g], pieceHeight, options, ref groups)) _groupBox[g] = default;
        tallest = ReferenceHeight(groups, options);
        RejoinShortLayers(tallest, options);
        LineRunCount = 0;
        for (int g = 0; g < groups; g++)
        {
            var whole = _groupBox[g];
            if (whole.IsEmpty) continue; // merged into another group, or cut into layers
            // A thin straight run along the group's bottom (what line removal left of a writing line the digits stand on)
            // is cut off: the parts beside it are the group.
            int parts = CutLineRuns(g, whole, tallest, options);
            for (int p = 0; p < parts; p++)
            {
                var box = _segments[p];
                if (box.Height < options.MinRelativeHeight * tallest) continue;
                if (box.Width > 6 * box.Height) continue; // a rule or underline, not digits
                bool touches = box.X == 0 || box.Y == 0 || box.Right == binary.Width || box.Bottom == binary.Height;
                if (options.DropBorderTouching && touches && box.Height < 0.6 * tallest) continue;
                if (IsFrameSpanning(box, binary, tallest, options)) continue;
                if (box.Width > options.SplitAspect * box.Height) SplitAndAdd(g, box, options);
                else Add(new DigitRegion(box, g));
            }
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
        // A split's pieces tile its group's box, but a region of another group whose centre lies between two of them (a
        // stamp layer above the group) sorts in between: it moves after them, as the reader takes a split's pieces as
        // consecutive regions. Then each split's pieces are located.
        for (int pass = 0; pass < 2; pass++)
            for (int a = 0; a < AlternativeCount; a++)
            {
                ref var alt = ref _alternatives[a];
                int first = -1, count = 0;
                for (int i = 0; i < RegionCount; i++)
                {
                    if (regions[i].Group != alt.Whole.Group || !alt.Whole.Box.Contains(regions[i].Box.X, regions[i].Box.Y)) continue;
                    if (first < 0) first = i;
                    var piece = regions[i];
                    for (int j = i; j > first + count; j--) regions[j] = regions[j - 1];
                    regions[first + count] = piece;
                    count++;
                }
                alt = alt with { FirstPiece = first, PieceCount = count };
            }
        return RegionCount;
    }

    /// <summary>
    /// Cuts group <paramref name="g"/> into layers at every band of empty rows at least <see cref="SegmentOptions.LayerGap"/>
    /// of <paramref name="pieceHeight"/> (the reference piece height), when one of the layers is at least
    /// <see cref="SegmentOptions.MinRelativeHeight"/> of it: each layer (the components above or below the band;
    /// no component crosses an empty row) gets a new group id from <paramref name="groups"/> on, the layer's components
    /// move to it, and the whole stays as <see cref="Layers"/>' entry under group id <paramref name="g"/>. False (nothing
    /// changed) when there is no such band.
    /// </summary>
    private bool CutLayers(int g, PixelRect box, int pieceHeight, SegmentOptions options, ref int groups)
    {
        Ensure(ref _rowInk, box.Height);
        var rows = _rowInk.AsSpan(0, box.Height);
        rows.Clear();
        var comps = _cc.Components;
        int n = _cc.Count;
        for (int i = 0; i < n; i++)
            if (_groupOf[i] == g) rows.Slice(comps[i].Box.Y - box.Y, comps[i].Box.Height).Fill(1);
        int minGap = Math.Max(1, (int)Math.Ceiling(options.LayerGap * pieceHeight));
        // Layer starts: the first row, then the first inked row after each empty band of minGap rows or more.
        int layers = 1, empty = 0, top = 0, tallLayers = 0;
        double minHeight = options.MinRelativeHeight * pieceHeight;
        for (int y = 0; y < rows.Length; y++)
        {
            if (rows[y] == 0) { empty++; continue; }
            if (empty >= minGap && y > empty)
            {
                if (y - empty - top >= minHeight) tallLayers++;
                layers++;
                top = y;
            }
            empty = 0;
            rows[y] = layers;   // the layer of this row, 1-based
        }
        if (rows.Length - top >= minHeight) tallLayers++;
        // A digit broken across a gap with no part tall enough to be a digit (a thin 6's stem over its loop) stays whole.
        if (layers < 2 || tallLayers == 0 || groups + layers > _groupBox.Length) return false;
        int first = groups;
        for (int l = 0; l < layers; l++) { _groupBox[first + l] = default; _groupArea[first + l] = 0; _wholeOf[first + l] = g; }
        for (int i = 0; i < n; i++)
        {
            if (_groupOf[i] != g) continue;
            int l = first + rows[comps[i].Box.Y - box.Y] - 1;
            _groupOf[i] = l;
            _groupBox[l] = _groupBox[l].Union(comps[i].Box);
            _groupArea[l] += comps[i].Area;
        }
        groups += layers;
        if (LayerCount == _layers.Length) Array.Resize(ref _layers, LayerCount * 2);
        _layers[LayerCount++] = new LayerAlternative(new DigitRegion(box, g), first, layers);
        return true;
    }

    /// <summary>
    /// Cuts group <paramref name="g"/> (box <paramref name="box"/>) at every run of at least
    /// <see cref="SegmentOptions.LineRunLength"/> of <paramref name="tallest"/> consecutive columns whose ink is a thin line
    /// along the group's bottom: at most <see cref="SegmentOptions.LineRunThickness"/> of <paramref name="tallest"/> thick
    /// and no higher than the lowest <see cref="SegmentOptions.LineRunBand"/> of the group. The parts left and right of the
    /// runs (each shrunk to the group's ink within its columns) go to <c>_segments</c>, the runs to <see cref="LineRuns"/>;
    /// returns how many parts. Without such a run the group is one part, its box.
    /// </summary>
    private int CutLineRuns(int g, PixelRect box, int tallest, SegmentOptions options)
    {
        _segments[0] = box;
        int minRun = (int)Math.Ceiling(options.LineRunLength * tallest);
        if (options.LineRunLength <= 0 || tallest <= 0 || box.Width <= minRun) return 1;
        double thin = Math.Max(1, options.LineRunThickness * tallest);
        int lowest = box.Bottom - (int)Math.Ceiling(options.LineRunBand * box.Height);
        Ensure(ref _column, box.Width);
        Ensure(ref _columnTop, box.Width);
        var labels = _cc.Labels;
        int w = _cc.Width;
        for (int x = 0; x < box.Width; x++)
        {
            int c = 0, top = -1;
            for (int y = box.Y; y < box.Bottom; y++)
            {
                int l = labels[y * w + box.X + x];
                if (l == 0 || _groupOf[l - 1] != g) continue;
                if (c++ == 0) top = y;
            }
            _column[x] = c;
            _columnTop[x] = top;
        }
        int parts = 0, start = 0, x0 = 0;
        while (x0 <= box.Width)
        {
            // The next run of line columns from x0 (an empty run at the end closes the last part).
            int a = x0;
            while (a < box.Width && !IsLineColumn(a, thin, lowest)) a++;
            int b = a;
            while (b < box.Width && IsLineColumn(b, thin, lowest)) b++;
            if (b - a < minRun && b < box.Width) { x0 = b; continue; }
            if (b - a < minRun) a = b = box.Width;   // a short run at the end stays with the last part
            if (a > start && Trim(g, box, start, a, thin, out var part))
            {
                if (parts == _segments.Length) Array.Resize(ref _segments, parts * 2);
                _segments[parts++] = part;
            }
            if (b > a)
            {
                int top = int.MaxValue, bottom = 0;
                for (int x = a; x < b; x++) { top = Math.Min(top, _columnTop[x]); bottom = Math.Max(bottom, _columnTop[x] + _column[x]); }
                if (LineRunCount == _lineRuns.Length) Array.Resize(ref _lineRuns, LineRunCount * 2);
                _lineRuns[LineRunCount++] = new PixelRect(box.X + a, top, b - a, bottom - top);
            }
            start = b;
            x0 = b + 1;
            if (b >= box.Width) break;
        }
        return parts;
    }

    private bool IsLineColumn(int x, double thin, int lowest) => _column[x] > 0 && _column[x] <= thin && _columnTop[x] >= lowest;

    /// <summary>
    /// The box of group <paramref name="g"/>'s ink within columns <paramref name="from"/> to <paramref name="to"/> - 1 of
    /// <paramref name="box"/>; false when none of them is thicker than <paramref name="thin"/> (only line).
    /// </summary>
    private bool Trim(int g, PixelRect box, int from, int to, double thin, out PixelRect trimmed)
    {
        trimmed = default;
        bool thick = false;
        for (int x = from; x < to && !thick; x++) thick = _column[x] > thin;
        if (!thick) return false;
        return InkBox(g, new PixelRect(box.X + from, box.Y, to - from, box.Height), out trimmed);
    }

    /// <summary>
    /// Puts back together the layered groups none of whose layers is <see cref="SegmentOptions.MinRelativeHeight"/> of the
    /// reference digit height <paramref name="tallest"/>: a faint digit broken into short pieces is a digit, not layers
    /// that would each be dropped as too short.
    /// </summary>
    private void RejoinShortLayers(int tallest, SegmentOptions options)
    {
        int kept = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            var a = _layers[l];
            bool anyTall = false;
            for (int k = 0; k < a.GroupCount; k++) anyTall |= _groupBox[a.FirstGroup + k].Height >= options.MinRelativeHeight * tallest;
            if (anyTall) { _layers[kept++] = a; continue; }
            int whole = a.Whole.Group;
            var g = _groupOf.AsSpan(0, _cc.Count);
            for (int i = 0; i < g.Length; i++) if (g[i] >= 0 && a.HasLayer(g[i])) g[i] = whole;
            for (int k = 0; k < a.GroupCount; k++) _groupBox[a.FirstGroup + k] = default;
            _groupBox[whole] = a.Whole.Box;
        }
        LayerCount = kept;
    }

    /// <summary>
    /// Copies the ink of <paramref name="region"/> from <paramref name="ink"/> into a crop (other groups
    /// masked out, the faint edge pixels next to its strokes kept), contrast-stretched so its strongest
    /// ink is 255. The crop covers <see cref="CropBox"/>; its rows are CropBox.Width long. The returned
    /// span stays valid until the next call.
    /// </summary>
    public Span<byte> ExtractCrop(GrayImage ink, DigitRegion region)
    {
        ArgumentNullException.ThrowIfNull(ink);
        var box = region.Box;
        // One pixel of margin keeps the soft, below-threshold edge of the strokes (MNIST digits are anti-aliased).
        var outer = new PixelRect(box.X - 1, box.Y - 1, box.Width + 2, box.Height + 2).Intersect(ink.Bounds);
        CropBox = outer;
        int need = outer.Width * outer.Height;
        if (_crop.Length < need) _crop = new byte[Math.Max(need, _crop.Length * 2)];
        var crop = _crop.AsSpan(0, need);
        var labels = _cc.Labels;
        int w = _cc.Width, h = _cc.Height;
        Span<int> histogram = stackalloc int[256];
        histogram.Clear();
        int mineCount = 0;
        for (int y = 0; y < outer.Height; y++)
        {
            int iy = outer.Y + y;
            var src = ink.Row(iy).Slice(outer.X, outer.Width);
            var dst = crop.Slice(y * outer.Width, outer.Width);
            for (int x = 0; x < outer.Width; x++)
            {
                int ix = outer.X + x;
                byte v = 0;
                if (box.Contains(ix, iy) && IsMine(labels[iy * w + ix], region.Group))
                {
                    v = src[x];
                    histogram[v]++;
                    mineCount++;
                }
                else if (src[x] > 0 && NextToMine(labels, w, h, ix, iy, region.Group, box))
                {
                    v = src[x];
                }
                dst[x] = v;
            }
        }
        // Contrast stretch so the stroke cores saturate as in MNIST: the median of the digit's
        // ink becomes 255 (the maximum would let one noise spike keep the whole digit gray).
        int full = 0, seen = 0;
        for (int v = 255; v > 0 && seen * 2 < mineCount; v--)
        {
            seen += histogram[v];
            full = v;
        }
        if (full is > 0 and < 255)
        {
            int f = (255 << 16) / full;
            for (int i = 0; i < crop.Length; i++) crop[i] = (byte)Math.Min(255, (crop[i] * f) >> 16);
        }
        return crop;
    }

    /// <summary>The rectangle (in the ink image) covered by the last <see cref="ExtractCrop"/>: the region's box plus a one-pixel margin.</summary>
    public PixelRect CropBox { get; private set; }

    private bool IsMine(int label, int group)
    {
        if (label == 0) return false;
        int own = _groupOf[label - 1];
        return group < 0 ? own >= 0 : own == group || (own >= 0 && _wholeOf[own] == group);
    }

    private bool NextToMine(ReadOnlySpan<int> labels, int w, int h, int x, int y, int group, PixelRect box)
    {
        for (int dy = -1; dy <= 1; dy++)
        {
            int yy = y + dy;
            if ((uint)yy >= (uint)h) continue;
            for (int dx = -1; dx <= 1; dx++)
            {
                int xx = x + dx;
                if ((uint)xx >= (uint)w || !box.Contains(xx, yy)) continue;
                if (IsMine(labels[yy * w + xx], group)) return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Joins groups that are only part of a digit (shorter than <see cref="SegmentOptions.PieceHeight"/> of the
    /// tallest) with the nearest group when the two nearly touch: 7-segment segments that do not overlap
    /// in x, the detached bar of a handwritten 5. The closest pair goes first; a merge that would make a
    /// box wider than <see cref="SegmentOptions.MaxMergedAspect"/> times the tallest digit is refused.
    /// </summary>
    private void MergePieces(int groups, int tallest, SegmentOptions options)
    {
        double maxGap = options.MaxPieceGap * tallest;
        while (true)
        {
            int bestA = -1, bestB = -1;
            double bestGap = double.MaxValue;
            for (int a = 0; a < groups; a++)
            {
                var ba = _groupBox[a];
                if (ba.IsEmpty || ba.Height >= options.PieceHeight * tallest) continue;
                for (int b = 0; b < groups; b++)
                {
                    var bb = _groupBox[b];
                    if (b == a || bb.IsEmpty) continue;
                    int hgap = Math.Max(ba.X, bb.X) - Math.Min(ba.Right, bb.Right);
                    int vgap = Math.Max(ba.Y, bb.Y) - Math.Min(ba.Bottom, bb.Bottom);
                    if (hgap > maxGap || vgap > 0.6 * tallest) continue;
                    var merged = ba.Union(bb);
                    if (merged.Width > options.MaxMergedAspect * Math.Max(merged.Height, 0.6 * tallest) || merged.Height > options.MaxJoinedHeight * tallest) continue;
                    double gap = Math.Max(hgap, 0) + Math.Max(vgap, 0) * 0.5;
                    if (gap < bestGap) { bestGap = gap; bestA = a; bestB = b; }
                }
            }
            if (bestA < 0) return;
            int keep = Math.Min(bestA, bestB), gone = Math.Max(bestA, bestB);
            _groupBox[keep] = _groupBox[keep].Union(_groupBox[gone]);
            _groupArea[keep] += _groupArea[gone];
            _groupBox[gone] = default;
            var g = _groupOf.AsSpan(0, _cc.Count);
            for (int i = 0; i < g.Length; i++) if (g[i] == gone) g[i] = keep;
        }
    }

    /// <summary>
    /// The height digits are measured against: the tallest group, leaving out groups more than
    /// <see cref="SegmentOptions.MaxHeightOverMedian"/> times the (upper) median group height, so one stamp or
    /// frame on a form does not make the number's digits look like specks. The groups left out stay candidates.
    /// </summary>
    private int ReferenceHeight(int groups, SegmentOptions options)
    {
        Ensure(ref _heights, groups);
        int k = 0;
        for (int g = 0; g < groups; g++) if (!_groupBox[g].IsEmpty) _heights[k++] = _groupBox[g].Height;
        return TallestUnderMedianLimit(_heights.AsSpan(0, k), options);
    }

    /// <summary>The largest of <paramref name="heights"/> (sorted in place) that is at most <see cref="SegmentOptions.MaxHeightOverMedian"/> times the upper (or lower) median; 0 when empty.</summary>
    private static int TallestUnderMedianLimit(Span<int> heights, SegmentOptions options, bool lowerMedian = false)
    {
        int k = heights.Length;
        if (k == 0) return 0;
        heights.Sort();
        double limit = options.MaxHeightOverMedian * heights[lowerMedian ? (k - 1) / 2 : k / 2];
        int tallest = heights[0];
        foreach (var v in heights) if (v <= limit) tallest = v;
        return tallest;
    }

    /// <summary>Fraction of the rows of the band (from <paramref name="top"/>, <paramref name="band"/> rows) that some kept piece covers.</summary>
    private double BandCoverage(int kept, int top, int band)
    {
        if (band <= 0) return 0;
        Ensure(ref _column, band);
        var rows = _column.AsSpan(0, band);
        rows.Clear();
        var comps = _cc.Components;
        for (int k = 0; k < kept; k++)
        {
            var b = comps[_order[k]].Box;
            rows.Slice(b.Y - top, b.Height).Fill(1);
        }
        int covered = 0;
        foreach (var r in rows) covered += r;
        return (double)covered / band;
    }

    /// <summary>
    /// A group that runs from one edge of the frame to the opposite edge and is more than
    /// <see cref="SegmentOptions.MaxHeightOverMedian"/> times the reference digit height long is a scanner strip or a
    /// table border that line removal left (with the marks that touch it), not a digit.
    /// </summary>
    internal static bool IsFrameSpanning(PixelRect box, GrayImage binary, int tallest, SegmentOptions options)
    {
        if (!options.DropFrameSpanning || tallest <= 0) return false;
        double limit = options.MaxHeightOverMedian * tallest;
        bool topToBottom = box.Y == 0 && box.Bottom == binary.Height && box.Height > limit;
        bool leftToRight = box.X == 0 && box.Right == binary.Width && box.Width > limit;
        return topToBottom || leftToRight;
    }

    /// <summary>A box that runs from one edge of the frame to the opposite one.</summary>
    private static bool SpansFrame(PixelRect box, GrayImage binary) =>
        (box.Y == 0 && box.Bottom == binary.Height) || (box.X == 0 && box.Right == binary.Width);

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
        if (AlternativeCount == _alternatives.Length) Array.Resize(ref _alternatives, AlternativeCount * 2);
        int alt = AlternativeCount++;
        _alternatives[alt] = new SplitAlternative(new DigitRegion(box, g), 0, 0);
        Ensure(ref _parts, k);
        int start = 0;
        int found = 0;
        for (int i = 1; i <= k; i++)
        {
            if (i == k)
            {
                if (AddTrimmed(g, new PixelRect(box.X + start, box.Y, box.Width - start, box.Height), out _parts[i - 1])) found++;
                break;
            }
            int expected = i * box.Width / k;
            int radius = Math.Max(1, box.Width / (3 * k));
            int best = expected, bestInk = int.MaxValue;
            for (int x = Math.Max(start + 1, expected - radius); x <= Math.Min(box.Width - 2, expected + radius); x++)
            {
                // Prefer the thinnest column, and among equals the one nearest the expected cut.
                int score = _column[x] * 4 + Math.Abs(x - expected) / Math.Max(1, radius / 2);
                if (score < bestInk) { bestInk = score; best = x; }
            }
            if (AddTrimmed(g, new PixelRect(box.X + start, box.Y, best - start, box.Height), out _parts[i - 1])) found++;
            start = best;
        }
        if (found < 3 || found < k) return;
        // Every run of 2..k-1 consecutive pieces (by first piece, then length) as a region of its own.
        _alternatives[alt] = _alternatives[alt] with { FirstRun = RunTotal };
        int need = RunTotal + SplitAlternative.RunCount(k);
        if (_runs.Length < need) Array.Resize(ref _runs, Math.Max(need, _runs.Length * 2));
        for (int first = 0; first < k; first++)
            for (int count = 2; first + count <= k; count++)
            {
                if (first == 0 && count == k) continue;
                var run = _parts[first];
                for (int p = first + 1; p < first + count; p++) run = run.Union(_parts[p]);
                _runs[RunTotal++] = new DigitRegion(run, g);
            }
    }

    private bool AddTrimmed(int g, PixelRect part, out PixelRect trimmed)
    {
        if (!InkBox(g, part, out trimmed)) return false;
        Add(new DigitRegion(trimmed, g));
        return true;
    }

    /// <summary>The box of group <paramref name="g"/>'s ink inside <paramref name="part"/>; false when it holds none.</summary>
    private bool InkBox(int g, PixelRect part, out PixelRect trimmed)
    {
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
        trimmed = default;
        if (x1 < 0) return false;
        trimmed = new PixelRect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        return true;
    }

    private void Add(DigitRegion r)
    {
        if (RegionCount == _regions.Length) Array.Resize(ref _regions, _regions.Length * 2);
        _regions[RegionCount++] = r;
    }

    private int Find(int i) => UnionFind.Find(_parent, i);

    private void Union(int a, int b) => UnionFind.Union(_parent, a, b);

    private static void Ensure<T>(ref T[] array, int n)
    {
        if (array.Length < n) array = new T[Math.Max(n, array.Length * 2)];
    }
}
