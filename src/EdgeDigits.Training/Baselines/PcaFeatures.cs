using System.Numerics.Tensors;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Baselines;

/// <summary>
/// Projection of the [0,1] pixels onto the leading principal components of the training set: a few dozen
/// values that keep most of the variance, so distances (kNN, RBF kernels) cost a fraction of 784 pixels.
/// </summary>
/// <param name="components">Principal components kept.</param>
/// <param name="fitSamples">Training images the covariance is estimated from (a fixed, evenly spaced sample).</param>
public sealed class PcaFeatures(int components = PcaFeatures.DefaultComponents, int fitSamples = PcaFeatures.DefaultFitSamples) : FeatureExtractor
{
    /// <summary>Components kept by default (scikit-learn's reference figures use 50).</summary>
    public const int DefaultComponents = 50;

    /// <summary>Images the covariance is estimated from by default; more changes the basis by less than it costs.</summary>
    public const int DefaultFitSamples = 20000;

    // Orthogonal iteration on a block this much wider than the components wanted converges in a few dozen
    // steps: the error shrinks like (lambda[p] / lambda[k])^iterations.
    private const int ExtraVectors = 20, Iterations = 60;

    private float[] _mean = [];
    private float[][] _basis = [];

    /// <inheritdoc/>
    public override string Name => "pca";

    /// <inheritdoc/>
    public override int Dimension => components;

    /// <inheritdoc/>
    public override long ParameterBytes => (long)(components + 1) * DigitSet.ImageSize * sizeof(float);

    /// <summary>Fraction of the training variance the kept components explain (after <see cref="Fit"/>).</summary>
    public double ExplainedVariance { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The set has fewer images than components.</exception>
    public override void Fit(DigitSet train, TextWriter progress)
    {
        const int d = DigitSet.ImageSize;
        if (components is < 1 or > d) throw new ArgumentException($"pca: components must be within 1..{d}, not {components}");
        if (train.Count <= components) throw new ArgumentException($"pca: {train.Count} training images cannot give {components} components");
        var s = Math.Min(fitSamples, train.Count);
        var step = train.Count / (double)s;
        // Column-major centred sample: every covariance entry is one long SIMD dot product.
        var cols = new float[d][];
        _mean = new float[d];
        for (var p = 0; p < d; p++) cols[p] = new float[s];
        for (var i = 0; i < s; i++)
        {
            var img = train.Image((int)(i * step));
            for (var p = 0; p < d; p++) cols[p][i] = img[p] * (1f / 255f);
        }
        for (var p = 0; p < d; p++)
        {
            _mean[p] = TensorPrimitives.Sum<float>(cols[p]) / s;
            TensorPrimitives.Subtract(cols[p], _mean[p], cols[p]);
        }
        progress.WriteLine($"pca: covariance of {s} images");
        var cov = new float[d][];
        for (var a = 0; a < d; a++) cov[a] = new float[d];
        Parallel.For(0, d, a =>
        {
            for (var b = a; b < d; b++) cov[a][b] = TensorPrimitives.Dot<float>(cols[a], cols[b]) / (s - 1);
        });
        for (var a = 0; a < d; a++)
            for (var b = 0; b < a; b++) cov[a][b] = cov[b][a];
        var total = 0.0;
        for (var a = 0; a < d; a++) total += cov[a][a];

        var p2 = Math.Min(d, components + ExtraVectors);
        var rng = new Random(17);
        var v = new float[p2][];
        for (var j = 0; j < p2; j++)
        {
            v[j] = new float[d];
            for (var i = 0; i < d; i++) v[j][i] = (float)(rng.NextDouble() - 0.5);
        }
        Orthonormalize(v);
        var w = new float[p2][];
        for (var j = 0; j < p2; j++) w[j] = new float[d];
        for (var it = 0; it < Iterations; it++)
        {
            Parallel.For(0, p2, j =>
            {
                for (var r = 0; r < d; r++) w[j][r] = TensorPrimitives.Dot<float>(cov[r], v[j]);
            });
            (v, w) = (w, v);
            Orthonormalize(v);
        }
        _basis = v.Take(components).ToArray();
        var kept = 0.0;
        var cv = new float[d];
        foreach (var b in _basis)
        {
            for (var r = 0; r < d; r++) cv[r] = TensorPrimitives.Dot<float>(cov[r], b);
            kept += TensorPrimitives.Dot<float>(cv, b);
        }
        ExplainedVariance = total <= 0 ? 0 : kept / total;
        progress.WriteLine($"pca: {components} components explain {ExplainedVariance * 100:F1}% of the variance");
    }

    /// <inheritdoc/>
    protected override void ExtractCore(ReadOnlySpan<byte> image, Span<float> destination)
    {
        if (_basis.Length == 0) throw new InvalidOperationException("pca: Fit must run before Extract");
        Span<float> x = stackalloc float[DigitSet.ImageSize];
        for (var i = 0; i < x.Length; i++) x[i] = image[i] * (1f / 255f) - _mean[i];
        for (var j = 0; j < _basis.Length; j++) destination[j] = TensorPrimitives.Dot(x, _basis[j]);
    }

    // Modified Gram-Schmidt, twice: float round-off leaves the block visibly non-orthogonal after one pass.
    private static void Orthonormalize(float[][] v)
    {
        for (var pass = 0; pass < 2; pass++)
            for (var j = 0; j < v.Length; j++)
            {
                for (var i = 0; i < j; i++)
                {
                    var dot = TensorPrimitives.Dot<float>(v[i], v[j]);
                    TensorPrimitives.MultiplyAdd(v[i], -dot, v[j], v[j]);
                }
                var norm = TensorPrimitives.Norm<float>(v[j]);
                TensorPrimitives.Divide(v[j], norm > 0 ? norm : 1, v[j]);
            }
    }
}
