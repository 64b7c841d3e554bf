namespace EdgeDigits.Training.Baselines;

/// <summary>
/// Grown <see cref="CartTree"/>s packed for prediction: 8 bytes a node (threshold; feature and right-child offset in one
/// int), every tree depth-first in one array so a node's left child is the next node (usually the same cache line),
/// and a leaf whose training rows were all of one class holding that class in the node itself, so only the rare mixed
/// leaves read a class distribution. The walks of several trees advance side by side (<see cref="Lanes"/>): their memory
/// loads are independent, so the CPU overlaps their cache misses instead of waiting for each in turn. The scores are bit for bit those of <see cref="CartTree.AddLeaf"/> tree after tree.
/// </summary>
internal sealed class PackedForest
{
    /// <summary>Walks advanced side by side: enough independent loads to keep the memory system busy, few enough for registers.</summary>
    public const int Lanes = 8;

    // Internal node: Link >= 0 holds the feature in its low _featureBits bits and the offset of the right child above
    // them (the left child is the next node). Leaf: Link < 0, ~Link is its class when below the class count, else the
    // class count plus the index of its distribution in _mixed.
    private readonly Node[] _nodes;
    private readonly int[] _roots;
    private readonly float[] _mixed;
    private readonly int _classes;
    private readonly int _featureBits;
    private readonly int _featureMask;

    private PackedForest(Node[] nodes, int[] roots, float[] mixed, int classes, int featureBits)
    {
        _nodes = nodes;
        _roots = roots;
        _mixed = mixed;
        _classes = classes;
        _featureBits = featureBits;
        _featureMask = (1 << featureBits) - 1;
    }

    /// <summary>Number of trees.</summary>
    public int TreeCount => _roots.Length;

    /// <summary>Nodes of all trees.</summary>
    public int NodeCount => _nodes.Length;

    /// <summary>Leaves that hold a class distribution rather than one class.</summary>
    public int MixedLeaves => _mixed.Length / _classes;

    /// <summary>Bytes of the nodes, tree roots and mixed-leaf distributions.</summary>
    public long ParameterBytes => (long)_nodes.Length * 8 + (long)_roots.Length * sizeof(int) + (long)_mixed.Length * sizeof(float);

    /// <summary>Packs <paramref name="trees"/>, grown on <paramref name="dimension"/> features and <paramref name="classCount"/> classes.</summary>
    /// <exception cref="InvalidOperationException">A tree is too large for the 31-bit node links (billions of nodes).</exception>
    public static PackedForest Pack(IReadOnlyList<CartTree> trees, int classCount, int dimension)
    {
        var featureBits = 1;
        while ((1 << featureBits) < dimension) featureBits++;
        var maxOffset = int.MaxValue >> featureBits;
        var nodes = new Node[trees.Sum(t => (long)t.NodeCount)];
        var roots = new int[trees.Count];
        var mixed = new List<float>();
        var at = 0;
        var stack = new Stack<(int Source, int Parent)>();
        for (var t = 0; t < trees.Count; t++)
        {
            var source = trees[t].Nodes;
            var leaves = trees[t].LeafValues;
            roots[t] = at;
            stack.Push((0, -1));
            while (stack.Count > 0)
            {
                var (s, parent) = stack.Pop();
                // A right child: its parent learns how far ahead it is.
                if (parent >= 0)
                {
                    var offset = at - parent;
                    if (offset > maxOffset) throw new InvalidOperationException($"forest: a tree of {source.Length} nodes is too large to pack");
                    nodes[parent] = nodes[parent] with { Link = (offset << featureBits) | nodes[parent].Link };
                }
                var n = source[s];
                if (n.Feature >= 0)
                {
                    nodes[at] = new Node(n.Threshold, n.Feature);
                    stack.Push((n.Child + 1, at));
                    stack.Push((n.Child, -1));
                }
                else nodes[at] = new Node(0, ~LeafCode(leaves.Slice(n.Child, classCount), classCount, mixed));
                at++;
            }
        }
        return new PackedForest(nodes, roots, mixed.ToArray(), classCount, featureBits);
    }

    /// <summary>Adds every tree's leaf distribution for one feature vector to <paramref name="scores"/>, tree after tree.</summary>
    public void AddLeaves(ReadOnlySpan<float> x, Span<float> scores)
    {
        Span<int> node = stackalloc int[Lanes];
        for (var t = 0; t < _roots.Length; t += Lanes)
        {
            var lanes = Math.Min(Lanes, _roots.Length - t);
            _roots.AsSpan(t, lanes).CopyTo(node);
            Descend(x, node[..lanes]);
            for (var j = 0; j < lanes; j++) AddLeaf(node[j], scores);
        }
    }

    // Moves every lane to its leaf. A lane at a leaf stays put while the others go on: refilling it with the next tree
    // at once measured no faster, and this keeps the leaves in tree order.
    private void Descend(ReadOnlySpan<float> x, Span<int> node)
    {
        var nodes = _nodes.AsSpan();
        var bits = _featureBits;
        var mask = _featureMask;
        bool moving;
        do
        {
            moving = false;
            for (var j = 0; j < node.Length; j++)
            {
                var i = node[j];
                var n = nodes[i];
                if (n.Link < 0) continue;
                moving = true;
                node[j] = x[n.Link & mask] <= n.Threshold ? i + 1 : i + (n.Link >> bits);
            }
        }
        while (moving);
    }

    private void AddLeaf(int node, Span<float> scores)
    {
        var code = ~_nodes[node].Link;
        if (code < _classes)
        {
            // CartTree's pure leaf adds exactly 1 to its class and 0 to the others: the same sums.
            scores[code] += 1f;
            return;
        }
        var p = _mixed.AsSpan((code - _classes) * _classes, _classes);
        for (var c = 0; c < p.Length; c++) scores[c] += p[c];
    }

    // The class of a pure leaf, or the class count plus the index of the distribution appended to mixed.
    private static int LeafCode(ReadOnlySpan<float> p, int classCount, List<float> mixed)
    {
        for (var c = 0; c < classCount; c++)
            if (p[c] == 1f) return c;
        var code = classCount + mixed.Count / classCount;
        foreach (var v in p) mixed.Add(v);
        return code;
    }

    private readonly record struct Node(float Threshold, int Link);
}
