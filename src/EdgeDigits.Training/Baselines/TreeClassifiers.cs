namespace EdgeDigits.Training.Baselines;

/// <summary>One fully grown CART decision tree over every feature (scikit-learn's DecisionTreeClassifier defaults).</summary>
/// <param name="maxDepth">Deepest level grown.</param>
/// <param name="seed">Seed of the feature order (ties between equally good splits).</param>
public sealed class DecisionTreeClassifier(int maxDepth = int.MaxValue, int seed = 1) : BaselineLearner
{
    private PackedForest? _tree;
    private int _depth;

    /// <inheritdoc/>
    public override string Name => "tree";

    /// <inheritdoc/>
    public override string Settings => _tree is null ? "gini" : $"gini, {_tree.NodeCount} nodes, depth {_depth}";

    /// <inheritdoc/>
    public override long ParameterBytes => _tree?.ParameterBytes ?? 0;

    /// <inheritdoc/>
    protected override void FitCore(FeatureMatrix x, int[] labels, TextWriter progress)
    {
        var bins = FeatureBins.Fit(x);
        var grown = CartTree.Grow(bins, labels, ClassCount, Enumerable.Range(0, x.Rows).ToArray(), x.Dimension, maxDepth, new Random(seed));
        _depth = grown.Depth;
        _tree = PackedForest.Pack([grown], ClassCount, x.Dimension);
        progress.WriteLine($"tree: {_tree.NodeCount} nodes, depth {_depth}");
    }

    /// <inheritdoc/>
    protected override void PredictCore(ReadOnlySpan<float> features, Span<float> scores) => _tree!.AddLeaves(features, scores);
}

/// <summary>
/// A random forest (Breiman): fully grown CART trees, each on a bootstrap sample of the training rows and
/// choosing every split among sqrt(features) random ones; the class distributions of the trees' leaves
/// are averaged. Trees grow in parallel, each with its own seeded generator, so a seed gives one forest; grown, they are
/// packed into a <see cref="PackedForest"/> (8 bytes a node) for prediction.
/// </summary>
/// <param name="trees">Number of trees.</param>
/// <param name="seed">Seed of the bootstrap samples and feature choices.</param>
public sealed class RandomForestClassifier(int trees = RandomForestClassifier.DefaultTrees, int seed = 1) : BaselineLearner
{
    /// <summary>Trees by default (scikit-learn's default too).</summary>
    public const int DefaultTrees = 100;

    private PackedForest? _forest;

    /// <inheritdoc/>
    public override string Name => "forest";

    /// <inheritdoc/>
    public override string Settings => $"{trees} trees, sqrt(features) per split, bootstrap";

    /// <inheritdoc/>
    public override long ParameterBytes => _forest?.ParameterBytes ?? 0;

    /// <inheritdoc/>
    protected override void FitCore(FeatureMatrix x, int[] labels, TextWriter progress)
    {
        if (trees < 1) throw new ArgumentException($"forest: trees must be at least 1, not {trees}");
        var bins = FeatureBins.Fit(x);
        var perSplit = Math.Max(1, (int)Math.Round(Math.Sqrt(x.Dimension)));
        var grown = new CartTree[trees];
        var done = 0;
        Parallel.For(0, trees, t =>
        {
            var rng = new Random(seed * 7919 + t);
            var rows = new int[x.Rows];
            for (var i = 0; i < rows.Length; i++) rows[i] = rng.Next(x.Rows);
            grown[t] = CartTree.Grow(bins, labels, ClassCount, rows, perSplit, int.MaxValue, rng);
            var n = Interlocked.Increment(ref done);
            lock (progress) progress.Write($"\rforest: {n}/{trees} trees");
        });
        progress.WriteLine();
        _forest = PackedForest.Pack(grown, ClassCount, x.Dimension);
    }

    /// <inheritdoc/>
    protected override void PredictCore(ReadOnlySpan<float> features, Span<float> scores)
    {
        _forest!.AddLeaves(features, scores);
        foreach (ref var v in scores) v /= trees;
    }
}
