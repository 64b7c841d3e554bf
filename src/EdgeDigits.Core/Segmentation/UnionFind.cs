namespace EdgeDigits.Core.Segmentation;

/// <summary>
/// Disjoint-set operations over a caller-owned parent array (no allocation), shared by the
/// component labeller and the image and ink segmenters.
/// </summary>
internal static class UnionFind
{
    /// <summary>The root of <paramref name="i"/>'s set, halving the path on the way (keeps trees shallow without recursion).</summary>
    public static int Find(Span<int> parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /// <summary>Joins the sets of <paramref name="a"/> and <paramref name="b"/>; the smaller index becomes the root, so results do not depend on call order.</summary>
    public static int Union(Span<int> parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        return Math.Min(ra, rb);
    }
}
