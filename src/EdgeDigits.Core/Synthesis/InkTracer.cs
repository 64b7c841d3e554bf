using EdgeDigits.Core.Inks;

namespace EdgeDigits.Core.Synthesis;

/// <summary>
/// Turns 28x28 digit images (e.g. MNIST) into pen recordings: the digit is upsampled, binarized, its
/// blobs (loops filled in by a fat pen) opened, thinned to a one-pixel skeleton (Zhang-Suen) whose free
/// ends are grown back to where the pen stopped, and the skeleton is walked from its end points into
/// timed strokes joined at their junctions. Several digits
/// are laid out left to right with pauses between them, as a person writes a number. Deterministic for a given <see cref="Random"/> seed.
/// </summary>
public static class InkTracer
{
    // Skeletons of 112x112 follow the strokes more faithfully than of 56x56 (on MNIST-train 50000-59999,
    // read by the shipped model: 0.92% of single-digit inks misread at 4x against 1.05% at 2x).
    private const int Up = 4;

    /// <summary>Side of the square, in pixels, that <see cref="Trace"/> works and returns its points in (28 x 4).</summary>
    public const int Side = 28 * Up;

    /// <summary>Traces one 784-byte digit into strokes in a <see cref="Side"/>-pixel box (time starting at 0, 8 ms per point).</summary>
    public static List<List<(float X, float Y)>> Trace(ReadOnlySpan<byte> digit)
    {
        if (digit.Length != 784) throw new ArgumentException($"digit has {digit.Length} bytes, expected 784", nameof(digit));
        var bin = new bool[Side * Side];
        var faint = new bool[Side * Side];
        var core = new bool[Side * Side];
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                double sx = (x + 0.5) / Up - 0.5, sy = (y + 0.5) / Up - 0.5;
                int ix = (int)Math.Floor(sx), iy = (int)Math.Floor(sy);
                double fx = sx - ix, fy = sy - iy;
                double v = (At(digit, ix, iy) * (1 - fx) + At(digit, ix + 1, iy) * fx) * (1 - fy)
                         + (At(digit, ix, iy + 1) * (1 - fx) + At(digit, ix + 1, iy + 1) * fx) * fy;
                bin[y * Side + x] = v > 128;
                faint[y * Side + x] = v > 60;
                core[y * Side + x] = v > 170;
            }
        // The mid-grey threshold is the stroke's edge: a lower one bridges the narrow gaps that tell an
        // open "4" from a "9" (0.66% misread against 0.92% at 60, same data as above). Only a faint digit,
        // which mid-grey breaks into more pieces than the low threshold does, is traced at the low one
        // (whole numbers 98.3% -> 98.7%, 4,000 strings of the same digits). Either still fills the small
        // loops of fat digits (an "8" whose lower loop is ink); holes of the high-threshold image are cut
        // back out before thinning, so the skeleton keeps the loop.
        const int Crumb = 4 * Up * Up; // pieces under 4 MNIST pixels do not count
        if (Pieces(bin, Crumb) > Pieces(faint, Crumb)) bin = faint;
        CutHoles(bin, core);
        OpenBlobs(bin);
        var ink = (bool[])bin.Clone();
        Thin(bin);
        ExtendEnds(bin, ink);
        return Walk(bin);
    }

    /// <summary>
    /// Makes an ink of several digits written left to right: each digit's skeleton scaled to a random
    /// writing height, spaced apart, with 8 ms between samples, a short pause between strokes and a
    /// longer one between digits.
    /// </summary>
    public static Ink Compose(IReadOnlyList<byte[]> digits, Random rng, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(digits);
        ArgumentNullException.ThrowIfNull(rng);
        double height = 50 + rng.NextDouble() * 70;
        var traced = digits.Select(d => Trace(d)).ToList();
        var strokes = new List<InkPoint[]>();
        double x = 20;
        long t = 0;
        double top = 30;
        foreach (var digit in traced)
        {
            if (digit.Count == 0) continue;
            float minX = digit.SelectMany(s => s).Min(p => p.X), maxX = digit.SelectMany(s => s).Max(p => p.X);
            float minY = digit.SelectMany(s => s).Min(p => p.Y), maxY = digit.SelectMany(s => s).Max(p => p.Y);
            double scale = height * (0.9 + rng.NextDouble() * 0.2) / Math.Max(8, maxY - minY);
            double dy = top + (rng.NextDouble() * 2 - 1) * 0.05 * height;
            foreach (var s in digit)
            {
                var pts = new InkPoint[s.Count];
                for (int i = 0; i < s.Count; i++)
                {
                    pts[i] = new InkPoint((float)Math.Round(x + (s[i].X - minX) * scale, 1), (float)Math.Round(dy + (s[i].Y - minY) * scale, 1), t);
                    t += 8;
                }
                strokes.Add(pts);
                t += 120 + rng.Next(100);
            }
            x += (maxX - minX) * scale + height * (0.25 + rng.NextDouble() * 0.3);
            t += 300 + rng.Next(300);
        }
        int width = (int)Math.Ceiling(x + 20);
        int panelHeight = (int)Math.Ceiling(top + height * 1.3 + 30);
        return new Ink(Math.Max(width, 64), panelHeight, strokes, label);
    }

    private static double At(ReadOnlySpan<byte> d, int x, int y) => x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : d[y * 28 + x];

    /// <summary>Number of 8-connected pieces of ink of at least <paramref name="minArea"/> pixels.</summary>
    private static int Pieces(bool[] ink, int minArea)
    {
        var seen = new bool[ink.Length];
        var stack = new Stack<int>();
        int count = 0;
        for (int start = 0; start < ink.Length; start++)
        {
            if (!ink[start] || seen[start]) continue;
            int area = 0;
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int p = stack.Pop(), x = p % Side, y = p / Side;
                area++;
                foreach (var (dx, dy) in s_neighbours)
                {
                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= Side || ny >= Side) continue;
                    int q = ny * Side + nx;
                    if (ink[q] && !seen[q]) { seen[q] = true; stack.Push(q); }
                }
            }
            if (area >= minArea) count++;
        }
        return count;
    }

    /// <summary>Clears in <paramref name="bin"/> the background pixels of <paramref name="core"/> that the border cannot reach.</summary>
    private static void CutHoles(bool[] bin, bool[] core)
    {
        var outside = new bool[Side * Side];
        var stack = new Stack<int>();
        for (int i = 0; i < Side; i++)
        {
            foreach (int p in new[] { i, (Side - 1) * Side + i, i * Side, i * Side + Side - 1 })
                if (!core[p] && !outside[p]) { outside[p] = true; stack.Push(p); }
        }
        while (stack.Count > 0)
        {
            int p = stack.Pop();
            int x = p % Side, y = p / Side;
            if (x > 0) Visit(p - 1);
            if (x < Side - 1) Visit(p + 1);
            if (y > 0) Visit(p - Side);
            if (y < Side - 1) Visit(p + Side);
        }
        for (int p = 0; p < bin.Length; p++)
            if (!core[p] && !outside[p]) bin[p] = false;

        void Visit(int q)
        {
            if (core[q] || outside[q]) return;
            outside[q] = true;
            stack.Push(q);
        }
    }

    /// <summary>
    /// Punches a hole into each blob: ink much thicker than the digit's own stroke, usually a small loop
    /// written with a fat pen (the loop of a "6" or "9" filled in). Thinned as it is, a blob becomes a
    /// short line and the loop is lost; with its core (deeper than a stroke width from the edge) cut out,
    /// the skeleton runs around it, as the pen did.
    /// </summary>
    private static void OpenBlobs(bool[] bin)
    {
        var depth = Depth(bin);
        var skeleton = (bool[])bin.Clone();
        Thin(skeleton);
        var radii = new List<float>();
        for (int p = 0; p < bin.Length; p++) if (skeleton[p]) radii.Add(depth[p]);
        if (radii.Count == 0) return;
        radii.Sort();
        // The stroke's half width: a low quantile of the depth along the skeleton, so that a big blob does
        // not count as the digit's own stroke.
        float r0 = radii[radii.Count / 4];
        float deep = Math.Max(2 * r0, r0 + 2);
        for (int p = 0; p < bin.Length; p++)
            if (depth[p] >= deep) bin[p] = false;
    }

    /// <summary>Chamfer (3-4) distance of each ink pixel to the nearest background pixel, in pixels.</summary>
    private static float[] Depth(bool[] bin)
    {
        const int Inf = 1 << 20;
        var d = new int[bin.Length];
        for (int p = 0; p < bin.Length; p++) d[p] = bin[p] ? Inf : 0;
        for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                int p = y * Side + x;
                if (d[p] == 0) continue;
                int v = d[p];
                v = Math.Min(v, x > 0 ? d[p - 1] + 3 : 3);
                v = Math.Min(v, y > 0 ? d[p - Side] + 3 : 3);
                v = Math.Min(v, x > 0 && y > 0 ? d[p - Side - 1] + 4 : 4);
                v = Math.Min(v, x < Side - 1 && y > 0 ? d[p - Side + 1] + 4 : 4);
                d[p] = v;
            }
        for (int y = Side - 1; y >= 0; y--)
            for (int x = Side - 1; x >= 0; x--)
            {
                int p = y * Side + x;
                if (d[p] == 0) continue;
                int v = d[p];
                v = Math.Min(v, x < Side - 1 ? d[p + 1] + 3 : 3);
                v = Math.Min(v, y < Side - 1 ? d[p + Side] + 3 : 3);
                v = Math.Min(v, x < Side - 1 && y < Side - 1 ? d[p + Side + 1] + 4 : 4);
                v = Math.Min(v, x > 0 && y < Side - 1 ? d[p + Side - 1] + 4 : 4);
                d[p] = v;
            }
        var r = new float[bin.Length];
        for (int p = 0; p < bin.Length; p++) r[p] = d[p] / 3f;
        return r;
    }

    /// <summary>
    /// Zhang-Suen eats each free end of a stroke back by about the stroke's half width, so a fat "1"
    /// comes out short and the arms of a "4" do not reach their tips. Each free end is grown on, in the
    /// direction of its last few skeleton pixels, while the ink there is deeper than 3/4 of the stroke's
    /// half width (the pen's centre on paper), stopping before it would touch another part of the skeleton.
    /// </summary>
    private static void ExtendEnds(bool[] skeleton, bool[] ink)
    {
        const int Back = 6;
        var depth = Depth(ink);
        var ends = new List<int>();
        for (int p = 0; p < skeleton.Length; p++)
            if (skeleton[p] && Neighbours(skeleton, p, -1, -1, out _) == 1) ends.Add(p);
        var path = new List<int>(Back + 1);
        foreach (int end in ends)
        {
            // Back along the stroke to the last pixel before a junction, at most Back pixels.
            path.Clear();
            path.Add(end);
            int previous = -1, current = end;
            while (path.Count <= Back && Neighbours(skeleton, current, previous, path.Count > 2 ? path[^3] : -1, out int next) == 1)
            {
                previous = current;
                current = next;
                path.Add(current);
            }
            if (path.Count < 3) continue;
            float halfWidth = 0;
            foreach (int q in path) halfWidth = Math.Max(halfWidth, depth[q]);
            float ex = end % Side, ey = end / Side;
            float dx = ex - path[^1] % Side, dy = ey - path[^1] / Side;
            float length = MathF.Sqrt(dx * dx + dy * dy);
            dx /= length;
            dy /= length;
            int last = end;
            for (float step = 0.5f; ; step += 0.5f)
            {
                int x = (int)MathF.Round(ex + dx * step), y = (int)MathF.Round(ey + dy * step);
                if (x < 1 || y < 1 || x >= Side - 1 || y >= Side - 1) break;
                int q = y * Side + x;
                if (q == last) continue;
                if (!ink[q] || skeleton[q] || depth[q] < 0.75f * halfWidth || TouchesOtherThan(skeleton, x, y, last)) break;
                skeleton[q] = true;
                last = q;
            }
        }
    }

    /// <summary>Skeleton neighbours of <paramref name="p"/> other than <paramref name="skip1"/> and <paramref name="skip2"/>; <paramref name="first"/> is one of them (-1 if none).</summary>
    private static int Neighbours(bool[] b, int p, int skip1, int skip2, out int first)
    {
        int x = p % Side, y = p / Side, count = 0;
        first = -1;
        foreach (var (dx, dy) in s_neighbours)
        {
            int nx = x + dx, ny = y + dy;
            if (nx < 0 || ny < 0 || nx >= Side || ny >= Side) continue;
            int q = ny * Side + nx;
            if (!b[q] || q == skip1 || q == skip2) continue;
            count++;
            if (first < 0) first = q;
        }
        return count;
    }

    /// <summary>Whether a skeleton pixel other than <paramref name="last"/> and its neighbours touches (x, y).</summary>
    private static bool TouchesOtherThan(bool[] b, int x, int y, int last)
    {
        int lx = last % Side, ly = last / Side;
        foreach (var (dx, dy) in s_neighbours)
        {
            int nx = x + dx, ny = y + dy;
            if (b[ny * Side + nx] && (Math.Abs(nx - lx) > 1 || Math.Abs(ny - ly) > 1)) return true;
        }
        return false;
    }

    /// <summary>Zhang-Suen thinning in place.</summary>
    private static void Thin(bool[] b)
    {
        var remove = new List<int>();
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int step = 0; step < 2; step++)
            {
                remove.Clear();
                for (int y = 1; y < Side - 1; y++)
                    for (int x = 1; x < Side - 1; x++)
                    {
                        if (!b[y * Side + x]) continue;
                        // Neighbours P2..P9 clockwise from north.
                        bool p2 = b[(y - 1) * Side + x], p3 = b[(y - 1) * Side + x + 1], p4 = b[y * Side + x + 1], p5 = b[(y + 1) * Side + x + 1];
                        bool p6 = b[(y + 1) * Side + x], p7 = b[(y + 1) * Side + x - 1], p8 = b[y * Side + x - 1], p9 = b[(y - 1) * Side + x - 1];
                        int bCount = (p2 ? 1 : 0) + (p3 ? 1 : 0) + (p4 ? 1 : 0) + (p5 ? 1 : 0) + (p6 ? 1 : 0) + (p7 ? 1 : 0) + (p8 ? 1 : 0) + (p9 ? 1 : 0);
                        if (bCount < 2 || bCount > 6) continue;
                        int a = (!p2 && p3 ? 1 : 0) + (!p3 && p4 ? 1 : 0) + (!p4 && p5 ? 1 : 0) + (!p5 && p6 ? 1 : 0)
                              + (!p6 && p7 ? 1 : 0) + (!p7 && p8 ? 1 : 0) + (!p8 && p9 ? 1 : 0) + (!p9 && p2 ? 1 : 0);
                        if (a != 1) continue;
                        if (step == 0 ? (p2 && p4 && p6) || (p4 && p6 && p8) : (p2 && p4 && p8) || (p2 && p6 && p8)) continue;
                        remove.Add(y * Side + x);
                    }
                foreach (var i in remove) b[i] = false;
                if (remove.Count > 0) changed = true;
            }
        }
    }

    private static readonly (int Dx, int Dy)[] s_neighbours = [(1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (-1, 1), (-1, -1), (1, -1)];

    /// <summary>The 8 neighbours, then the 16 pixels two steps away, nearest first.</summary>
    private static readonly (int Dx, int Dy)[] s_reach =
    [
        .. s_neighbours,
        (2, 0), (0, 2), (-2, 0), (0, -2), (2, 1), (1, 2), (-1, 2), (-2, 1), (-2, -1), (-1, -2), (1, -2), (2, -1), (2, 2), (-2, 2), (-2, -2), (2, -2),
    ];

    /// <summary>
    /// Walks the skeleton into strokes. A stroke starts at a free end (else at the end of what is left of
    /// a loop, else anywhere on a closed loop), follows unvisited pixels, and is joined to the skeleton
    /// it leaves from and runs into: the arcs left over after the first stroke (the second loop of an
    /// "8", the bar of a "4") are drawn up to their junctions, not with a gap before them.
    /// </summary>
    private static List<List<(float X, float Y)>> Walk(bool[] b)
    {
        var visited = new bool[b.Length];
        var strokes = new List<List<(float X, float Y)>>();
        int Unvisited(int p)
        {
            int x = p % Side, y = p / Side, d = 0;
            foreach (var (dx, dy) in s_neighbours)
            {
                int nx = x + dx, ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < Side && ny < Side && b[ny * Side + nx] && !visited[ny * Side + nx]) d++;
            }
            return d;
        }
        // A drawn skeleton pixel next to p (4-neighbours first, then two pixels away: thinning can break a
        // two-pixel-thick diagonal), skipping the last few points of the stroke itself.
        int DrawnNeighbour(int p, List<int> stroke)
        {
            int x = p % Side, y = p / Side;
            foreach (var (dx, dy) in s_reach)
            {
                int nx = x + dx, ny = y + dy;
                if (nx < 0 || ny < 0 || nx >= Side || ny >= Side) continue;
                int q = ny * Side + nx;
                if (!b[q] || !visited[q]) continue;
                int at = stroke.LastIndexOf(q);
                if (at >= 0 && stroke.Count - at <= 8) continue;
                return q;
            }
            return -1;
        }
        while (true)
        {
            int start = -1;
            for (int i = 0; i < b.Length && start < 0; i++)
                if (b[i] && !visited[i] && Neighbours(b, i, -1, -1, out _) == 1) start = i;
            for (int i = 0; i < b.Length && start < 0; i++)
                if (b[i] && !visited[i] && Unvisited(i) <= 1) start = i;
            for (int i = 0; i < b.Length && start < 0; i++)
                if (b[i] && !visited[i]) start = i;
            if (start < 0) break;
            var stroke = new List<int>();
            int from = DrawnNeighbour(start, stroke);
            if (from >= 0) stroke.Add(from);
            int c = start;
            while (true)
            {
                visited[c] = true;
                stroke.Add(c);
                int next = -1, cx = c % Side, cy = c / Side;
                foreach (var (dx, dy) in s_neighbours)
                {
                    int nx = cx + dx, ny = cy + dy;
                    if (nx < 0 || ny < 0 || nx >= Side || ny >= Side) continue;
                    int j = ny * Side + nx;
                    if (b[j] && !visited[j]) { next = j; break; }
                }
                if (next < 0) break;
                c = next;
            }
            // Run into the skeleton the walk ended next to: a junction, or the stroke's own start (a loop).
            int to = DrawnNeighbour(c, stroke);
            if (to >= 0) stroke.Add(to);
            bool joined = from >= 0 || to >= 0;
            if (stroke.Count >= 4 || (joined && stroke.Count >= 2) || strokes.Count == 0)
                strokes.Add(Decimate(stroke.Select(p => ((float)(p % Side), (float)(p / Side))).ToList()));
        }
        return strokes;
    }

    /// <summary>Keeps one point per MNIST pixel of path (every <see cref="Up"/>th skeleton pixel): about how densely a touch panel samples a moving pen.</summary>
    private static List<(float X, float Y)> Decimate(List<(float X, float Y)> s)
    {
        if (s.Count <= 3) return s;
        var r = new List<(float X, float Y)>();
        for (int i = 0; i < s.Count; i += Up) r.Add(s[i]);
        if (r[^1] != s[^1]) r.Add(s[^1]);
        return r;
    }
}
