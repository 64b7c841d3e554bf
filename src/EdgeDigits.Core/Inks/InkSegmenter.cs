using EdgeDigits.Core.Segmentation;

namespace EdgeDigits.Core.Inks;

/// <summary>
/// Splits a multi-digit ink into digits: strokes whose x-ranges overlap by <see cref="MergeOverlap"/> of the
/// narrower one (less <see cref="OverlapTolerance"/> of the writing height) are one digit (weighed, not forced, when
/// written with a pause and overlapping less than that of the wider one); strokes that do not
/// overlap enough join only when written one right after the other (within <see cref="JoinGapMs"/>), nearly
/// touching (x-gap at most <see cref="JoinDistance"/> of the height) and together no wider than
/// <see cref="MaxJoinedAspect"/> times their height, so "2024" written left to right gives four groups in order.
/// Then short pieces join the nearest digit and tiny specks are dropped (see <c>MergePieces</c>). A group that only the time rules
/// hold together also tells its pieces (<see cref="PieceCount"/>): what it falls into when strokes join
/// only where the geometry forces it, so a reader can weigh "one digit" against "several". Keeps its
/// buffers. Not thread-safe.
/// </summary>
public sealed class InkSegmenter
{
    private int[] _parent = new int[32];
    private float[] _x0 = new float[32], _x1 = new float[32], _y0 = new float[32], _y1 = new float[32];
    private long[] _t0 = new long[32], _t1 = new long[32];
    private float[] _length = new float[32], _glength = new float[32];
    private int[] _members = new int[32];
    private int[] _groupStart = new int[33];
    private int[] _rootGroup = new int[32];
    private float[] _groupX = new float[32];
    private float[] _gx0 = new float[32], _gx1 = new float[32], _gy0 = new float[32], _gy1 = new float[32];
    private bool[] _dropped = new bool[32];
    private int[] _strictRoot = new int[32];
    private int[] _pieceRoot = new int[32];
    private float[] _pieceX = new float[32];
    private int[] _pieceStart = new int[33];
    private int[] _pieceMembers = new int[32];
    private int[] _groupFirstPiece = new int[33];

    /// <summary>
    /// Strokes whose x-ranges overlap by at least this fraction of the narrower one are one digit. Written with a pen-up
    /// pause between them (not within <see cref="JoinGapMs"/>), they are forced together only when the overlap also covers
    /// this fraction of the wider one; a smaller overlap (a narrow 1 leaning into the next digit) is weighed (<see cref="PieceCount"/>).
    /// </summary>
    public double MergeOverlap { get; init; } = 0.3;

    /// <summary>Strokes that do not overlap enough still join when the second starts within this many ms of the first's end and they nearly touch.</summary>
    public long JoinGapMs { get; init; } = 350;

    /// <summary>
    /// Consecutive strokes (see <see cref="JoinGapMs"/>) join, weighed, when their x-gap is at most this fraction of their height.
    /// 0.1, chosen on pen strings of writers 19-24 among 0-0.4 (src/EdgeDigits.Core/README.md, "Ink grouping").
    /// </summary>
    public double JoinDistance { get; init; } = 0.1;

    /// <summary>Consecutive strokes join only while their joint box is at most this many times as wide as tall (two digits side by side are wider).</summary>
    public double MaxJoinedAspect { get; init; } = 1.3;

    /// <summary>Overlap tolerance, as a fraction of the writing height (at least 1 px): a near-vertical stroke has almost no width, and a pen lifted mid-digit lands a pixel or two beside the previous stroke.</summary>
    public double OverlapTolerance { get; init; } = 0.04;

    /// <summary>Number of digit groups found by the last <see cref="Split"/>.</summary>
    public int GroupCount { get; private set; }

    /// <summary>Groups that fall into more pieces than this are left whole (each extra piece multiplies the ways to split).</summary>
    public int MaxPieces { get; init; } = 4;

    /// <summary>The stroke indices of group <paramref name="group"/> (groups are ordered left to right).</summary>
    public ReadOnlySpan<int> StrokesOf(int group)
    {
        if ((uint)group >= (uint)GroupCount) throw new ArgumentOutOfRangeException(nameof(group));
        return _members.AsSpan(_groupStart[group], _groupStart[group + 1] - _groupStart[group]);
    }

    /// <summary>
    /// Number of pieces (2 to <see cref="MaxPieces"/>) that group <paramref name="group"/> falls into without
    /// the time rules (strokes written one right after the other that nearly touch or overlap only within a few
    /// percent of the height, strokes written with a pause that overlap under <see cref="MergeOverlap"/> of the wider one, two
    /// touching tall halves written together); 1 when no such weighed join holds it, or when
    /// it would fall into more than <see cref="MaxPieces"/>.
    /// </summary>
    public int PieceCount(int group)
    {
        if ((uint)group >= (uint)GroupCount) throw new ArgumentOutOfRangeException(nameof(group));
        return _groupFirstPiece[group + 1] - _groupFirstPiece[group];
    }

    /// <summary>
    /// The stroke indices of pieces <paramref name="firstPiece"/> to <paramref name="firstPiece"/> + <paramref name="pieceCount"/> - 1
    /// of group <paramref name="group"/> (pieces ordered left to right, each piece's strokes in writing order).
    /// </summary>
    public ReadOnlySpan<int> StrokesOfPieces(int group, int firstPiece, int pieceCount)
    {
        int count = PieceCount(group);
        if ((uint)firstPiece >= (uint)count) throw new ArgumentOutOfRangeException(nameof(firstPiece));
        if (pieceCount < 1 || firstPiece + pieceCount > count) throw new ArgumentOutOfRangeException(nameof(pieceCount));
        int p = _groupFirstPiece[group] + firstPiece;
        return _pieceMembers.AsSpan(_pieceStart[p], _pieceStart[p + pieceCount] - _pieceStart[p]);
    }

    /// <summary>Groups the strokes of <paramref name="ink"/> into digits; returns the group count (0 for an empty ink).</summary>
    public int Split(Ink ink)
    {
        ArgumentNullException.ThrowIfNull(ink);
        int n = ink.Strokes.Count;
        Ensure(n);
        int live = 0;
        for (int i = 0; i < n; i++)
        {
            _parent[i] = i;
            var s = ink.Strokes[i];
            if (s.Length == 0) { _parent[i] = -1; continue; }
            live++;
            float x0 = float.MaxValue, x1 = float.MinValue, y0 = float.MaxValue, y1 = float.MinValue, length = 0;
            for (int k = 0; k < s.Length; k++)
            {
                var p = s[k];
                x0 = Math.Min(x0, p.X); x1 = Math.Max(x1, p.X); y0 = Math.Min(y0, p.Y); y1 = Math.Max(y1, p.Y);
                if (k == 0) continue;
                float dx = p.X - s[k - 1].X, dy = p.Y - s[k - 1].Y;
                length += MathF.Sqrt(dx * dx + dy * dy);
            }
            (_x0[i], _x1[i], _y0[i], _y1[i], _length[i]) = (x0, x1, y0, y1, length);
            _t0[i] = s[0].TimeMs;
            _t1[i] = s[^1].TimeMs;
        }
        GroupCount = 0;
        if (live == 0) return 0;

        // First the split hypothesis: strokes join only where the geometry forces it. Then the groups as read.
        Partition(n, timeJoins: false);
        for (int i = 0; i < n; i++) _strictRoot[i] = _parent[i] < 0 || _dropped[Find(i)] ? -1 : Find(i);
        for (int i = 0; i < n; i++) if (_parent[i] >= 0) _parent[i] = i;
        Partition(n, timeJoins: true);

        // Number the groups by their left edge.
        int groups = 0;
        for (int i = 0; i < n; i++)
        {
            if (_parent[i] < 0 || Find(i) != i || _dropped[i]) continue;
            _rootGroup[i] = groups;
            _groupX[groups] = float.MaxValue;
            groups++;
        }
        for (int i = 0; i < n; i++)
        {
            if (_parent[i] < 0 || _dropped[Find(i)]) continue;
            int g = _rootGroup[Find(i)];
            _groupX[g] = Math.Min(_groupX[g], _x0[i]);
        }
        // Members in rank order (left to right), each group's strokes in writing order.
        int placed = 0;
        for (int r = 0; r < groups; r++)
        {
            _groupStart[r] = placed;
            for (int i = 0; i < n; i++)
            {
                if (_parent[i] < 0 || _dropped[Find(i)]) continue;
                if (Rank(_rootGroup[Find(i)], groups) == r) _members[placed++] = i;
            }
        }
        _groupStart[groups] = placed;
        GroupCount = groups;
        FindPieces(groups);
        return groups;
    }

    /// <summary>
    /// Splits each group by the split hypothesis (<c>_strictRoot</c>): its pieces, ordered by their left edge,
    /// with their strokes back to back in <c>_pieceMembers</c>. A group with one piece, or more than
    /// <see cref="MaxPieces"/>, is one piece of all its strokes.
    /// </summary>
    private void FindPieces(int groups)
    {
        int pieces = 0, placed = 0;
        for (int g = 0; g < groups; g++)
        {
            _groupFirstPiece[g] = pieces;
            var members = StrokesOf(g);
            int first = pieces;
            foreach (int s in members)
            {
                int r = _strictRoot[s];
                if (r < 0) continue;
                int k = first;
                while (k < pieces && _pieceRoot[k] != r) k++;
                if (k == pieces) { _pieceRoot[pieces] = r; _pieceX[pieces] = float.MaxValue; pieces++; }
                _pieceX[k] = Math.Min(_pieceX[k], _x0[s]);
            }
            int count = pieces - first;
            if (count < 2 || count > MaxPieces)
            {
                pieces = first + 1;
                _pieceStart[first] = placed;
                foreach (int s in members) _pieceMembers[placed++] = s;
                continue;
            }
            // Insertion sort by left edge (a handful of pieces).
            for (int a = first + 1; a < pieces; a++)
            {
                (int root, float x) = (_pieceRoot[a], _pieceX[a]);
                int b = a - 1;
                for (; b >= first && _pieceX[b] > x; b--) (_pieceRoot[b + 1], _pieceX[b + 1]) = (_pieceRoot[b], _pieceX[b]);
                (_pieceRoot[b + 1], _pieceX[b + 1]) = (root, x);
            }
            for (int k = first; k < pieces; k++)
            {
                _pieceStart[k] = placed;
                foreach (int s in members) if (_strictRoot[s] == _pieceRoot[k]) _pieceMembers[placed++] = s;
            }
        }
        _groupFirstPiece[groups] = pieces;
        _pieceStart[pieces] = placed;
    }

    /// <summary>
    /// Joins the strokes into digits in the union-find: by clear x-overlap (see <see cref="MergeOverlap"/>), then pieces
    /// into their digits; with <paramref name="timeJoins"/> also strokes written one right after the other that nearly
    /// touch or overlap only within the tolerance, strokes written with a pause that overlap little of the wider one,
    /// and two touching tall halves written together.
    /// </summary>
    private void Partition(int n, bool timeJoins)
    {
        for (int i = 0; i < n; i++)
        {
            if (_parent[i] < 0) continue;
            for (int j = i + 1; j < n; j++)
            {
                if (_parent[j] < 0) continue;
                float overlap = Math.Min(_x1[i], _x1[j]) - Math.Max(_x0[i], _x0[j]);
                float narrower = Math.Min(_x1[i] - _x0[i], _x1[j] - _x0[j]);
                float tol = Math.Max(1f, (float)OverlapTolerance * Math.Max(_y1[i] - _y0[i], _y1[j] - _y0[j]));
                bool strong = overlap >= MergeOverlap * narrower - tol;
                // Written right after each other and nearly touching: the two strokes of a "4" or a "5".
                float h = Math.Max(_y1[i] - _y0[i], _y1[j] - _y0[j]);
                float mergedWidth = Math.Max(_x1[i], _x1[j]) - Math.Min(_x0[i], _x0[j]);
                float mergedHeight = Math.Max(_y1[i], _y1[j]) - Math.Min(_y0[i], _y0[j]);
                bool near = overlap >= -Math.Max(2 * tol, (float)JoinDistance * h) && mergedWidth <= (float)MaxJoinedAspect * Math.Max(mergedHeight, 1);
                bool consecutive = j == i + 1 && _t0[j] - _t1[i] <= JoinGapMs;
                // Strokes that overlap only within the tolerance, written one right after the other, may as well be two
                // digits that touch; strokes written with a pause between them may be two digits when their overlap is small
                // beside the wider one (a narrow 1 leaning into its neighbour). Like the time rule, those joins are weighed.
                float wider = Math.Max(_x1[i] - _x0[i], _x1[j] - _x0[j]);
                bool forced = strong && (consecutive ? overlap >= MergeOverlap * narrower : overlap >= MergeOverlap * wider);
                if (forced || (timeJoins && (strong || (near && consecutive)))) Union(i, j);
            }
        }
        MergePieces(n, timeJoins);
    }

    /// <summary>
    /// A group much shorter than the tallest, or with little ink, is a piece (the detached bar of a 5, a
    /// lifted pen, the crumbs of a broken stroke): it joins the nearest group within 0.3 of the writing
    /// height (0.5 when written right before or after it), or is dropped as a stray dot when tiny. With
    /// <paramref name="timeJoins"/>, two touching tall groups written one right after the other join too.
    /// </summary>
    private void MergePieces(int n, bool timeJoins)
    {
        // Root boxes: accumulate stroke boxes into their roots.
        for (int i = 0; i < n; i++) _dropped[i] = false;
        while (true)
        {
            for (int i = 0; i < n; i++)
            {
                if (_parent[i] < 0 || Find(i) != i) continue;
                (_gx0[i], _gx1[i], _gy0[i], _gy1[i], _glength[i]) = (float.MaxValue, float.MinValue, float.MaxValue, float.MinValue, 0);
            }
            for (int i = 0; i < n; i++)
            {
                if (_parent[i] < 0) continue;
                int r = Find(i);
                _gx0[r] = Math.Min(_gx0[r], _x0[i]); _gx1[r] = Math.Max(_gx1[r], _x1[i]);
                _gy0[r] = Math.Min(_gy0[r], _y0[i]); _gy1[r] = Math.Max(_gy1[r], _y1[i]);
                _glength[r] += _length[i];
            }
            float tallest = 0;
            for (int i = 0; i < n; i++)
                if (_parent[i] >= 0 && Find(i) == i && !_dropped[i]) tallest = Math.Max(tallest, _gy1[i] - _gy0[i]);
            int bestA = -1, bestB = -1;
            float bestGap = float.MaxValue;
            for (int a = 0; a < n; a++)
            {
                if (_parent[a] < 0 || Find(a) != a || _dropped[a]) continue;
                float ha = _gy1[a] - _gy0[a];
                // Short, or tall but with little ink (the crumbs of a broken stroke spread over a digit's height).
                bool piece = ha < PieceHeight * tallest || _glength[a] < PieceHeight * tallest;
                bool flat = ha < 0.3f * tallest;
                for (int b = 0; b < n; b++)
                {
                    if (b == a || _parent[b] < 0 || Find(b) != b || _dropped[b]) continue;
                    float gap = Math.Max(_gx0[a], _gx0[b]) - Math.Min(_gx1[a], _gx1[b]);
                    float mw = Math.Max(_gx1[a], _gx1[b]) - Math.Min(_gx0[a], _gx0[b]);
                    float mh = Math.Max(_gy1[a], _gy1[b]) - Math.Min(_gy0[a], _gy0[b]);
                    long pause = PauseBetween(a, b, n);
                    bool writtenTogether = pause <= JoinGapMs;
                    if (!piece)
                    {
                        if (!timeJoins) continue;
                        // Two tall groups are one digit when they touch, were written one right after the other,
                        // and together are no wider than a digit: a "4" whose stem came after a wide cross bar.
                        if (gap <= 0.05f * tallest && writtenTogether && mw <= 1.3f * mh && gap < bestGap) { bestGap = gap; bestA = a; bestB = b; }
                        continue;
                    }
                    // A touching piece written right after its digit (the flat foot of a 2, the tail of a 5)
                    // may widen the digit more than a piece from elsewhere; so may a flat bar written right
                    // after it even when it floats off to the right (the top bar of a 5).
                    bool extendsDigit = writtenTogether && (gap <= 0.1f * tallest || flat);
                    // Written right after or before its digit, a piece may float a little further off.
                    float reach = (writtenTogether ? 0.5f : 0.3f) * tallest;
                    if (gap > reach || mw > (float)(extendsDigit ? PieceWidening : 1.3) * Math.Max(mh, 0.6f * tallest)) continue;
                    // Beyond touching distance a piece only joins the digit it was written with (adjacent in order).
                    if (gap > 0.1f * tallest && pause == long.MaxValue) continue;
                    if (gap < bestGap) { bestGap = gap; bestA = a; bestB = b; }
                }
            }
            if (bestA >= 0)
            {
                Union(bestA, bestB);
                continue;
            }
            for (int a = 0; a < n; a++)
            {
                if (_parent[a] < 0 || Find(a) != a) continue;
                float size = Math.Max(_gx1[a] - _gx0[a], _gy1[a] - _gy0[a]);
                if (size < 0.3f * tallest || _glength[a] < 0.3f * tallest) _dropped[a] = true;
            }
            return;
        }
    }

    /// <summary>
    /// The shortest pen-up pause (ms) between a stroke of group <paramref name="a"/> and the stroke of group
    /// <paramref name="b"/> written directly before or after it; <see cref="long.MaxValue"/> when no stroke of
    /// one directly precedes or follows one of the other.
    /// </summary>
    private long PauseBetween(int a, int b, int n)
    {
        long best = long.MaxValue;
        for (int i = 0; i + 1 < n; i++)
        {
            if (_parent[i] < 0 || _parent[i + 1] < 0) continue;
            int ri = Find(i), rj = Find(i + 1);
            if ((ri == a && rj == b) || (ri == b && rj == a)) best = Math.Min(best, Math.Max(0, _t0[i + 1] - _t1[i]));
        }
        return best;
    }

    /// <summary>A touching piece written right after (or before) a digit may make the digit this many times wider than tall.</summary>
    public double PieceWidening { get; init; } = 2.0;

    /// <summary>A group shorter than this fraction of the tallest is a piece that may join its neighbour.</summary>
    public double PieceHeight { get; init; } = 0.6;

    private int Rank(int g, int groups)
    {
        int r = 0;
        for (int k = 0; k < groups; k++)
            if (_groupX[k] < _groupX[g] || (_groupX[k] == _groupX[g] && k < g)) r++;
        return r;
    }

    private int Find(int i) => UnionFind.Find(_parent, i);

    private void Union(int a, int b) => UnionFind.Union(_parent, a, b);

    private void Ensure(int n)
    {
        if (_parent.Length >= n) return;
        int m = Math.Max(n, _parent.Length * 2);
        _parent = new int[m]; _x0 = new float[m]; _x1 = new float[m]; _y0 = new float[m]; _y1 = new float[m];
        _t0 = new long[m]; _t1 = new long[m]; _length = new float[m]; _glength = new float[m]; _members = new int[m]; _groupStart = new int[m + 1];
        _rootGroup = new int[m]; _groupX = new float[m];
        _gx0 = new float[m]; _gx1 = new float[m]; _gy0 = new float[m]; _gy1 = new float[m]; _dropped = new bool[m];
        _strictRoot = new int[m]; _pieceRoot = new int[m]; _pieceX = new float[m]; _pieceStart = new int[m + 1];
        _pieceMembers = new int[m]; _groupFirstPiece = new int[m + 1];
    }
}
