namespace EdgeDigits.Training.Baselines;

/// <summary>
/// One CART classification tree (Gini impurity, binary splits "feature &lt;= threshold"), grown on binned
/// features from a list of row indices (a bootstrap sample may repeat rows). Nodes are flat arrays; the
/// two children of a node are adjacent, and a leaf keeps its class distribution.
/// </summary>
internal sealed class CartTree
{
    private readonly List<int> _feature = [];
    private readonly List<float> _threshold = [];
    private readonly List<int> _child = [];
    private readonly List<float> _leaf = [];
    // Feature, threshold and child of a node side by side: a walk down a tree that does not fit the cache
    // then costs one miss per level, not three.
    private Node[] _nodes = [];
    private float[] _p = [];

    /// <summary>Number of nodes.</summary>
    public int NodeCount => _nodes.Length;

    /// <summary>Depth of the deepest leaf.</summary>
    public int Depth { get; private set; }

    /// <summary>The nodes; a node's children are at Child and Child + 1, a leaf's (Feature -1) distribution at Child in <see cref="LeafValues"/>.</summary>
    public ReadOnlySpan<Node> Nodes => _nodes;

    /// <summary>The class distributions of the leaves, back to back.</summary>
    public ReadOnlySpan<float> LeafValues => _p;

    /// <summary>
    /// Adds the class distribution of the leaf <paramref name="x"/> falls in to <paramref name="scores"/>: the plain walk,
    /// the reference <see cref="PackedForest"/> is tested against.
    /// </summary>
    public void AddLeaf(ReadOnlySpan<float> x, Span<float> scores)
    {
        var node = _nodes[0];
        while (node.Feature >= 0) node = _nodes[node.Child + (x[node.Feature] <= node.Threshold ? 0 : 1)];
        var leaf = _p.AsSpan(node.Child, scores.Length);
        for (var c = 0; c < leaf.Length; c++) scores[c] += leaf[c];
    }

    /// <summary>
    /// Grows a tree on rows <paramref name="rows"/> (reordered in place). Each node looks at random features until
    /// <paramref name="featuresPerSplit"/> of them vary within it (all features when it is the feature count).
    /// </summary>
    public static CartTree Grow(FeatureBins bins, int[] labels, int classCount, int[] rows, int featuresPerSplit, int maxDepth, Random rng)
    {
        var tree = new CartTree();
        var d = bins.Thresholds.Length;
        var order = Enumerable.Range(0, d).ToArray();
        var hist = new int[FeatureBins.MaxBins * classCount];
        var binTotal = new int[FeatureBins.MaxBins];
        var counts = new int[classCount];
        var left = new int[classCount];
        var stack = new Stack<(int Node, int Start, int End, int Depth)>();
        tree.AddNode();
        stack.Push((0, 0, rows.Length, 0));
        while (stack.Count > 0)
        {
            var (node, start, end, depth) = stack.Pop();
            tree.Depth = Math.Max(tree.Depth, depth);
            Array.Clear(counts);
            for (var i = start; i < end; i++) counts[labels[rows[i]]]++;
            var n = end - start;
            var pure = counts.Count(c => c > 0) <= 1;
            int bestF = -1, bestB = -1;
            if (!pure && n >= 2 && depth < maxDepth)
            {
                double parentSq = 0;
                foreach (var c in counts) parentSq += (double)c * c;
                var bestScore = parentSq / n + 1e-9; // a split must lower the impurity
                var varying = 0;
                for (var k = 0; k < d && varying < featuresPerSplit; k++)
                {
                    // Partial Fisher-Yates: the next random feature not yet tried at this node.
                    var pick = k + rng.Next(d - k);
                    (order[k], order[pick]) = (order[pick], order[k]);
                    var f = order[k];
                    var col = bins.Binned.AsSpan((int)((long)f * bins.Rows), bins.Rows);
                    int lo = FeatureBins.MaxBins, hi = -1;
                    for (var i = start; i < end; i++)
                    {
                        var r = rows[i];
                        int b = col[r];
                        hist[b * classCount + labels[r]]++;
                        binTotal[b]++;
                        if (b < lo) lo = b;
                        if (b > hi) hi = b;
                    }
                    if (lo < hi)
                    {
                        varying++;
                        Array.Clear(left);
                        double sqL = 0, sqR = parentSq;
                        var nL = 0;
                        for (var b = lo; b < hi; b++)
                        {
                            if (binTotal[b] == 0) continue;
                            for (var c = 0; c < classCount; c++)
                            {
                                var h = hist[b * classCount + c];
                                if (h == 0) continue;
                                var l = left[c];
                                var r = counts[c] - l;
                                sqL += (2.0 * l + h) * h;
                                sqR += (-2.0 * r + h) * h;
                                left[c] = l + h;
                            }
                            nL += binTotal[b];
                            var score = sqL / nL + sqR / (n - nL);
                            if (score > bestScore)
                            {
                                bestScore = score;
                                bestF = f;
                                bestB = b;
                            }
                        }
                    }
                    Array.Clear(hist, lo * classCount, (hi - lo + 1) * classCount);
                    Array.Clear(binTotal, lo, hi - lo + 1);
                }
            }
            if (bestF < 0)
            {
                tree.MakeLeaf(node, counts, n);
                continue;
            }
            var column = bins.Binned.AsSpan((int)((long)bestF * bins.Rows), bins.Rows);
            int a = start, z = end - 1;
            while (a <= z)
            {
                if (column[rows[a]] <= bestB) a++;
                else
                {
                    (rows[a], rows[z]) = (rows[z], rows[a]);
                    z--;
                }
            }
            var child = tree.AddNode();
            tree.AddNode();
            tree._feature[node] = bestF;
            tree._threshold[node] = bins.Thresholds[bestF][bestB];
            tree._child[node] = child;
            stack.Push((child + 1, a, end, depth + 1));
            stack.Push((child, start, a, depth + 1));
        }
        tree.Freeze();
        return tree;
    }

    private int AddNode()
    {
        _feature.Add(-1);
        _threshold.Add(0);
        _child.Add(0);
        return _feature.Count - 1;
    }

    private void MakeLeaf(int node, int[] counts, int n)
    {
        _child[node] = _leaf.Count;
        foreach (var c in counts) _leaf.Add(c / (float)n);
    }

    private void Freeze()
    {
        _nodes = new Node[_feature.Count];
        for (var i = 0; i < _nodes.Length; i++) _nodes[i] = new Node(_feature[i], _threshold[i], _child[i]);
        _p = _leaf.ToArray();
        _feature.Clear();
        _threshold.Clear();
        _child.Clear();
        _leaf.Clear();
    }

    /// <summary>A node: split "feature &lt;= threshold" with children at Child and Child + 1, or (Feature -1) a leaf whose distribution starts at Child.</summary>
    internal readonly record struct Node(int Feature, float Threshold, int Child);
}
