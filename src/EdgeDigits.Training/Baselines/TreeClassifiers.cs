namespace EdgeDigits.Training.Baselines;

/// <summary>One fully grown CART decision tree over every feature (scikit-learn's DecisionTreeClassifier defaults).</summary>
/// <param name="maxDepth">Deepest level grown.</param>
/// <param name="seed">Seed of the feature order (ties between equally good splits).</param>
public sealed class DecisionTreeClassifier(int maxDepth = int.MaxValue, int seed = 1) : BaselineLearner
{
    private CartTree? _tree;

    /// <inheritdoc/>
    public override string Name => "tree";

    /// <inheritdoc/>
    public override string Settings => _tree is null ? "gini" : $"gini, {_tree.NodeCount} nodes, depth {_tree.Depth}";

    /// <inheritdoc/>
    public override long ParameterBytes => _tree?.ParameterBytes ?? 0;

    /// <inheritdoc/>
    protected override void FitCore(FeatureMatrix x, int[] labels, TextWriter progress)
    {
        var bins = FeatureBins.Fit(x);
        _tree = CartTree.Grow(bins, labels, ClassCount, Enumerable.Range(0, x.Rows).ToArray(), x.Dimension, maxDepth, new Random(seed));
        progress.WriteLine($"tree: {_tree.NodeCount} nodes, depth {_tree.Depth}");
    }

    /// <inheritdoc/>
    protected override void PredictCore(ReadOnlySpan<float> features, Span<float> scores) => _tree!.AddLeaf(features, scores);
}

/// <summary>
/// A random forest (Breiman): fully grown CART trees, each on a bootstrap sample of the training rows and
/// choosing every split among sqrt(features) random ones; the class distributions of the trees' leaves
/// are averaged. Trees grow in parallel, each with its own seeded generator, so a seed gives one forest.
/// </summary>
/// <param name="trees">Number of trees.</param>
/// <param name="seed">Seed of the bootstrap samples and feature choices.</param>
public sealed class RandomForestClassifier(int trees = RandomForestClassifier.DefaultTrees, int seed = 1) : BaselineLearner
{
    /// <summary>Trees by default (scikit-learn's default too).</summary>
    public const int DefaultTrees = 100;

    private CartTree[] _trees = [];

    /// <inheritdoc/>
    public override string Name => "forest";

    /// <inheritdoc/>
    public override string Settings => $"{trees} trees, sqrt(features) per split, bootstrap";

    /// <inheritdoc/>
    public override long ParameterBytes => _trees.Sum(t => t.ParameterBytes);

    /// <inheritdoc/>
    protected override void FitCore(FeatureMatrix x, int[] labels, TextWriter progress)
    {
        if (trees < 1) throw new ArgumentException($"forest: trees must be at least 1, not {trees}");
        var bins = FeatureBins.Fit(x);
        var perSplit = Math.Max(1, (int)Math.Round(Math.Sqrt(x.Dimension)));
        _trees = new CartTree[trees];
        var done = 0;
        Parallel.For(0, trees, t =>
        {
            var rng = new Random(seed * 7919 + t);
            var rows = new int[x.Rows];
            for (var i = 0; i < rows.Length; i++) rows[i] = rng.Next(x.Rows);
            _trees[t] = CartTree.Grow(bins, labels, ClassCount, rows, perSplit, int.MaxValue, rng);
            var n = Interlocked.Increment(ref done);
            lock (progress) progress.Write($"\rforest: {n}/{trees} trees");
        });
        progress.WriteLine();
    }

    /// <inheritdoc/>
    protected override void PredictCore(ReadOnlySpan<float> features, Span<float> scores)
    {
        foreach (var t in _trees) t.AddLeaf(features, scores);
        for (var c = 0; c < scores.Length; c++) scores[c] /= _trees.Length;
    }

    /// <inheritdoc/>
    /// <remarks>Tree by tree over all rows: each tree's nodes are fetched once per batch instead of once per image.</remarks>
    protected override void PredictBatchCore(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        foreach (var t in _trees)
            for (var r = 0; r < rows; r++) t.AddLeaf(features.Slice(r * Dimension, Dimension), scores.Slice(r * ClassCount, ClassCount));
        foreach (ref var v in scores) v /= _trees.Length;
    }
}
