using System.Numerics.Tensors;

namespace EdgeDigits.Training.Nn;

/// <summary>
/// Batch normalization per channel: batch statistics in training (running averages updated with
/// <see cref="Momentum"/>), running statistics in evaluation. Folded into the preceding
/// convolution when exported.
/// </summary>
public sealed class BatchNorm2d : Layer
{
    private Parameter _gamma = null!;
    private Parameter _beta = null!;
    private float[] _runningMean = [];
    private float[] _runningVar = [];
    private float[] _xhat = [];
    private float[] _invStd = [];
    private double[] _s1 = [];
    private double[] _s2 = [];

    /// <summary>Creates the layer.</summary>
    public BatchNorm2d(float momentum = 0.1f, float epsilon = 1e-5f)
    {
        Momentum = momentum;
        Epsilon = epsilon;
    }

    /// <summary>Weight of the new batch statistics in the running averages.</summary>
    public float Momentum { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Scale per channel.</summary>
    public Parameter Gamma => _gamma;

    /// <summary>Shift per channel.</summary>
    public Parameter Beta => _beta;

    /// <summary>Running mean per channel (used in evaluation).</summary>
    public float[] RunningMean => _runningMean;

    /// <summary>Running (unbiased) variance per channel (used in evaluation).</summary>
    public float[] RunningVar => _runningVar;

    /// <inheritdoc />
    public override string Describe() => $"batchnorm({InputShape.C})";

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => [_gamma, _beta];

    /// <inheritdoc />
    public override IReadOnlyList<float[]> Buffers => [_runningMean, _runningVar];

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => input;

    /// <inheritdoc />
    protected override void OnBuild(Random rng)
    {
        var c = InputShape.C;
        _gamma = new Parameter("gamma", [c], decay: false);
        _beta = new Parameter("beta", [c], decay: false);
        Array.Fill(_gamma.Value, 1f);
        _runningMean = new float[c];
        _runningVar = new float[c];
        Array.Fill(_runningVar, 1f);
        _invStd = new float[c];
    }

    private void EnsureScratch(Tensor x)
    {
        if (_xhat.Length < x.Capacity * InputShape.Size) _xhat = new float[x.Capacity * InputShape.Size];
        if (_s1.Length < x.Capacity * InputShape.C)
        {
            _s1 = new double[x.Capacity * InputShape.C];
            _s2 = new double[x.Capacity * InputShape.C];
        }
    }

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        int c = InputShape.C, hw = InputShape.H * InputShape.W, n = x.N;
        if (!training)
        {
            Parallel.For(n, (_, start, end) =>
            {
                for (var s = start; s < end; s++)
                    for (var ch = 0; ch < c; ch++)
                    {
                        var scale = _gamma.Value[ch] / MathF.Sqrt(_runningVar[ch] + Epsilon);
                        var shift = _beta.Value[ch] - _runningMean[ch] * scale;
                        var src = x.Data.AsSpan((s * c + ch) * hw, hw);
                        var dst = y.Data.AsSpan((s * c + ch) * hw, hw);
                        for (var i = 0; i < hw; i++) dst[i] = src[i] * scale + shift;
                    }
            });
            return;
        }
        EnsureScratch(x);
        // Per (sample, channel) partial sums in parallel, then a fixed-order reduction over samples.
        Parallel.For(n, (_, start, end) =>
        {
            for (var s = start; s < end; s++)
                for (var ch = 0; ch < c; ch++)
                {
                    // Float SIMD sums within one plane (at most a few hundred values), double across planes.
                    var plane = x.Data.AsSpan((s * c + ch) * hw, hw);
                    _s1[s * c + ch] = TensorPrimitives.Sum(plane);
                    _s2[s * c + ch] = TensorPrimitives.SumOfSquares(plane);
                }
        });
        var count = (double)n * hw;
        var mean = new float[c];
        for (var ch = 0; ch < c; ch++)
        {
            double a = 0, b = 0;
            for (var s = 0; s < n; s++) { a += _s1[s * c + ch]; b += _s2[s * c + ch]; }
            var m = a / count;
            var v = Math.Max(0, b / count - m * m);
            mean[ch] = (float)m;
            _invStd[ch] = (float)(1.0 / Math.Sqrt(v + Epsilon));
            var unbiased = count > 1 ? v * count / (count - 1) : v;
            _runningMean[ch] = (1 - Momentum) * _runningMean[ch] + Momentum * (float)m;
            _runningVar[ch] = (1 - Momentum) * _runningVar[ch] + Momentum * (float)unbiased;
        }
        Parallel.For(n, (_, start, end) =>
        {
            for (var s = start; s < end; s++)
                for (var ch = 0; ch < c; ch++)
                {
                    float m = mean[ch], inv = _invStd[ch];
                    var off = (s * c + ch) * hw;
                    var xh = _xhat.AsSpan(off, hw);
                    Elementwise.Affine(x.Data.AsSpan(off, hw), inv, -m * inv, xh);
                    Elementwise.Affine(xh, _gamma.Value[ch], _beta.Value[ch], y.Data.AsSpan(off, hw));
                }
        });
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        int c = InputShape.C, hw = InputShape.H * InputShape.W, n = x.N;
        Parallel.For(n, (_, start, end) =>
        {
            for (var s = start; s < end; s++)
                for (var ch = 0; ch < c; ch++)
                {
                    var off = (s * c + ch) * hw;
                    var g = dy.Data.AsSpan(off, hw);
                    _s1[s * c + ch] = TensorPrimitives.Sum(g);
                    _s2[s * c + ch] = TensorPrimitives.Dot(g, _xhat.AsSpan(off, hw));
                }
        });
        var sumDy = new float[c];
        var sumDyXhat = new float[c];
        for (var ch = 0; ch < c; ch++)
        {
            double a = 0, b = 0;
            for (var s = 0; s < n; s++) { a += _s1[s * c + ch]; b += _s2[s * c + ch]; }
            sumDy[ch] = (float)a;
            sumDyXhat[ch] = (float)b;
            _beta.Grad[ch] = (float)a;
            _gamma.Grad[ch] = (float)b;
        }
        if (dx is null) return;
        dx.N = n;
        var count = (float)n * hw;
        Parallel.For(n, (_, start, end) =>
        {
            for (var s = start; s < end; s++)
                for (var ch = 0; ch < c; ch++)
                {
                    var off = (s * c + ch) * hw;
                    var k = _gamma.Value[ch] * _invStd[ch] / count;
                    float mdy = sumDy[ch], mx = sumDyXhat[ch];
                    var d = dx.Data.AsSpan(off, hw);
                    // dx = k (count dy - sum dy - xhat sum(dy xhat)), as two fused passes.
                    Elementwise.Affine(dy.Data.AsSpan(off, hw), k * count, -k * mdy, d);
                    TensorPrimitives.MultiplyAdd(_xhat.AsSpan(off, hw), -k * mx, d, d);
                }
        });
    }
}
