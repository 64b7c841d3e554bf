using System.Numerics.Tensors;

namespace EdgeDigits.Training.Baselines;

/// <summary>
/// k-nearest neighbours by brute force: squared Euclidean distances to every stored training row as
/// |x|^2 + |t|^2 - 2 x.t with SIMD dot products (System.Numerics.Tensors), so a query costs one pass over
/// the training matrix; on 50 PCA values that is 60000 x 50 multiply-adds. Each of the k nearest votes for
/// its class with weight 1 / (distance + epsilon): closer neighbours count more and ties are rare.
/// </summary>
/// <param name="k">Neighbours that vote.</param>
public sealed class KnnClassifier(int k = KnnClassifier.DefaultK) : BaselineLearner
{
    /// <summary>Neighbours by default.</summary>
    public const int DefaultK = 4;

    private FeatureMatrix? _train;
    private float[] _norms = [];
    private int[] _labels = [];

    /// <inheritdoc/>
    public override string Name => "knn";

    /// <inheritdoc/>
    public override string Settings => $"k={k}, distance-weighted";

    /// <inheritdoc/>
    public override long ParameterBytes => _train is null ? 0 : (long)_train.Data.Length * sizeof(float) + _labels.Length * sizeof(int);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">k is not positive or larger than the training set.</exception>
    public override void CheckTrainingSize(int rows)
    {
        if (k < 1) throw new ArgumentException($"knn: k must be at least 1, not {k}");
        if (k > rows) throw new ArgumentException($"knn: k={k} is larger than the training set ({rows} images)");
    }

    /// <inheritdoc/>
    protected override void FitCore(FeatureMatrix x, int[] labels, TextWriter progress)
    {
        _train = x;
        _labels = labels;
        _norms = new float[x.Rows];
        for (var i = 0; i < x.Rows; i++) _norms[i] = TensorPrimitives.Dot(x.Row(i), x.Row(i));
    }

    /// <inheritdoc/>
    protected override void PredictCore(ReadOnlySpan<float> features, Span<float> scores)
    {
        var train = _train!;
        Span<float> bestD = stackalloc float[k];
        Span<int> bestI = stackalloc int[k];
        bestD.Fill(float.PositiveInfinity);
        bestI.Fill(-1);
        var q = TensorPrimitives.Dot(features, features);
        var worst = float.PositiveInfinity;
        for (var i = 0; i < train.Rows; i++)
        {
            var d = q + _norms[i] - 2 * TensorPrimitives.Dot(features, train.Row(i));
            if (d >= worst) continue;
            var at = k - 1;
            while (at > 0 && bestD[at - 1] > d)
            {
                bestD[at] = bestD[at - 1];
                bestI[at] = bestI[at - 1];
                at--;
            }
            bestD[at] = d;
            bestI[at] = i;
            worst = bestD[k - 1];
        }
        var total = 0f;
        for (var j = 0; j < k; j++)
        {
            // Distances from the expanded form can dip just below zero by round-off.
            var w = 1f / (MathF.Sqrt(Math.Max(bestD[j], 0f)) + 1e-3f);
            scores[_labels[bestI[j]]] += w;
            total += w;
        }
        for (var c = 0; c < scores.Length; c++) scores[c] /= total;
    }
}
