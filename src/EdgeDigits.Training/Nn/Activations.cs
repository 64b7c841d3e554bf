using System.Numerics.Tensors;

namespace EdgeDigits.Training.Nn;

/// <summary>Rectified linear unit, max(x, 0).</summary>
public sealed class ReLU : Layer
{
    /// <inheritdoc />
    public override string Describe() => "relu";

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => input;

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        Parallel.For(x.N, (_, start, end) =>
        {
            var size = InputShape.Size;
            TensorPrimitives.Max(x.Data.AsSpan(start * size, (end - start) * size), 0f, y.Data.AsSpan(start * size, (end - start) * size));
        });
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        if (dx is null) return;
        dx.N = x.N;
        Parallel.For(x.N, (_, start, end) =>
        {
            var size = InputShape.Size;
            Elementwise.PassWherePositive(y.Data.AsSpan(start * size, (end - start) * size), dy.Data.AsSpan(start * size, (end - start) * size), dx.Data.AsSpan(start * size, (end - start) * size));
        });
    }
}

/// <summary>Max pooling with a square window equal to its stride (no padding).</summary>
public sealed class MaxPool2d : Layer
{
    private int[] _argmax = [];

    /// <summary>Creates a pool of window and stride <paramref name="size"/>.</summary>
    public MaxPool2d(int size = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
    }

    /// <summary>Window side and stride.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override string Describe() => $"maxpool{Size}";

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(input.C, input.H / Size, input.W / Size);

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        if (_argmax.Length < y.Capacity * OutputShape.Size) _argmax = new int[y.Capacity * OutputShape.Size];
        int h = InputShape.H, w = InputShape.W, oh = OutputShape.H, ow = OutputShape.W, k = Size;
        var planes = x.N * InputShape.C;
        Parallel.For(planes, (_, start, end) =>
        {
            for (var p = start; p < end; p++)
            {
                var src = x.Data.AsSpan(p * h * w, h * w);
                var dst = y.Data.AsSpan(p * oh * ow, oh * ow);
                var arg = _argmax.AsSpan(p * oh * ow, oh * ow);
                if (k == 2) Pool2x2(src, w, dst, arg, oh, ow);
                else PoolAny(src, w, dst, arg, oh, ow, k);
            }
        });
    }

    /// <summary>The 2x2 window unrolled; ties go to the first of (0,0), (0,1), (1,0), (1,1) as in <see cref="PoolAny"/>.</summary>
    private static void Pool2x2(ReadOnlySpan<float> src, int w, Span<float> dst, Span<int> arg, int oh, int ow)
    {
        for (var oy = 0; oy < oh; oy++)
        {
            var i0 = 2 * oy * w;
            var r0 = src.Slice(i0, 2 * ow);
            var r1 = src.Slice(i0 + w, 2 * ow);
            var d = dst.Slice(oy * ow, ow);
            var a = arg.Slice(oy * ow, ow);
            for (var ox = 0; ox < ow; ox++)
            {
                int j = 2 * ox, at = i0 + j;
                var best = r0[j];
                if (r0[j + 1] > best) { best = r0[j + 1]; at = i0 + j + 1; }
                if (r1[j] > best) { best = r1[j]; at = i0 + w + j; }
                if (r1[j + 1] > best) { best = r1[j + 1]; at = i0 + w + j + 1; }
                d[ox] = best;
                a[ox] = at;
            }
        }
    }

    private static void PoolAny(ReadOnlySpan<float> src, int w, Span<float> dst, Span<int> arg, int oh, int ow, int k)
    {
        for (var oy = 0; oy < oh; oy++)
            for (var ox = 0; ox < ow; ox++)
            {
                var best = float.NegativeInfinity;
                var at = 0;
                for (var ky = 0; ky < k; ky++)
                    for (var kx = 0; kx < k; kx++)
                    {
                        var i = (oy * k + ky) * w + ox * k + kx;
                        if (src[i] > best) { best = src[i]; at = i; }
                    }
                dst[oy * ow + ox] = best;
                arg[oy * ow + ox] = at;
            }
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        if (dx is null) return;
        dx.N = x.N;
        int hw = InputShape.H * InputShape.W, ohw = OutputShape.H * OutputShape.W;
        var planes = x.N * InputShape.C;
        Parallel.For(planes, (_, start, end) =>
        {
            dx.Data.AsSpan(start * hw, (end - start) * hw).Clear();
            for (var p = start; p < end; p++)
            {
                var d = dx.Data.AsSpan(p * hw, hw);
                var g = dy.Data.AsSpan(p * ohw, ohw);
                var arg = _argmax.AsSpan(p * ohw, ohw);
                for (var o = 0; o < g.Length; o++) d[arg[o]] += g[o];
            }
        });
    }
}

/// <summary>Average pooling with a square window equal to its stride (no padding).</summary>
public sealed class AvgPool2d : Layer
{
    /// <summary>Creates a pool of window and stride <paramref name="size"/>.</summary>
    public AvgPool2d(int size = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
    }

    /// <summary>Window side and stride.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public override string Describe() => $"avgpool{Size}";

    /// <inheritdoc />
    public override long Macs => (long)InputShape.C * OutputShape.H * OutputShape.W * Size * Size;

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(input.C, input.H / Size, input.W / Size);

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        int h = InputShape.H, w = InputShape.W, oh = OutputShape.H, ow = OutputShape.W, k = Size;
        var inv = 1f / (k * k);
        for (var p = 0; p < x.N * InputShape.C; p++)
            for (var oy = 0; oy < oh; oy++)
                for (var ox = 0; ox < ow; ox++)
                {
                    var s = 0f;
                    for (var ky = 0; ky < k; ky++)
                        for (var kx = 0; kx < k; kx++) s += x.Data[p * h * w + (oy * k + ky) * w + ox * k + kx];
                    y.Data[p * oh * ow + oy * ow + ox] = s * inv;
                }
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        if (dx is null) return;
        dx.N = x.N;
        int h = InputShape.H, w = InputShape.W, oh = OutputShape.H, ow = OutputShape.W, k = Size;
        var inv = 1f / (k * k);
        dx.Active.Clear();
        for (var p = 0; p < x.N * InputShape.C; p++)
            for (var oy = 0; oy < oh; oy++)
                for (var ox = 0; ox < ow; ox++)
                {
                    var g = dy.Data[p * oh * ow + oy * ow + ox] * inv;
                    for (var ky = 0; ky < k; ky++)
                        for (var kx = 0; kx < k; kx++) dx.Data[p * h * w + (oy * k + ky) * w + ox * k + kx] += g;
                }
    }
}

/// <summary>Mean over each channel's plane: [N,C,H,W] to [N,C,1,1].</summary>
public sealed class GlobalAvgPool : Layer
{
    /// <inheritdoc />
    public override string Describe() => "globalavgpool";

    /// <inheritdoc />
    public override long Macs => InputShape.Size;

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(input.C, 1, 1);

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        var hw = InputShape.H * InputShape.W;
        for (var p = 0; p < x.N * InputShape.C; p++)
            y.Data[p] = TensorPrimitives.Sum(x.Data.AsSpan(p * hw, hw)) / hw;
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        if (dx is null) return;
        dx.N = x.N;
        var hw = InputShape.H * InputShape.W;
        for (var p = 0; p < x.N * InputShape.C; p++)
            dx.Data.AsSpan(p * hw, hw).Fill(dy.Data[p] / hw);
    }
}

/// <summary>
/// Inverted dropout: in training each value is zeroed with probability <see cref="Rate"/> and the
/// rest scaled by 1/(1-rate); identity in evaluation. The mask comes from <see cref="Rng"/>,
/// drawn on one thread, so runs are reproducible.
/// </summary>
public sealed class Dropout : Layer
{
    private float[] _mask = [];

    /// <summary>Creates the layer.</summary>
    public Dropout(float rate)
    {
        if (rate is < 0 or >= 1 || float.IsNaN(rate)) throw new ArgumentOutOfRangeException(nameof(rate), "dropout rate must be within [0,1)");
        Rate = rate;
    }

    /// <summary>Probability of dropping a value.</summary>
    public float Rate { get; }

    /// <summary>The random source of the masks; the trainer reseeds it per batch.</summary>
    public Random Rng { get; set; } = new(0);

    /// <inheritdoc />
    public override string Describe() => $"dropout({Rate})";

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => input;

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        if (!training || Rate == 0f)
        {
            x.Active.CopyTo(y.Active);
            if (_mask.Length >= x.Active.Length) _mask.AsSpan(0, x.Active.Length).Fill(1f);
            return;
        }
        if (_mask.Length < x.Capacity * InputShape.Size) _mask = new float[x.Capacity * InputShape.Size];
        var keep = 1f / (1f - Rate);
        var src = x.Active;
        var dst = y.Active;
        for (var i = 0; i < src.Length; i++)
        {
            _mask[i] = Rng.NextSingle() < Rate ? 0f : keep;
            dst[i] = src[i] * _mask[i];
        }
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        if (dx is null) return;
        dx.N = x.N;
        if (_mask.Length < x.Active.Length) { dy.Active.CopyTo(dx.Active); return; }
        TensorPrimitives.Multiply(dy.Active, _mask.AsSpan(0, x.Active.Length), dx.Active);
    }
}

/// <summary>Fully connected layer on the flattened input: y = W x + b, W of shape [out, in].</summary>
public sealed class Linear : Layer
{
    private Parameter _weight = null!;
    private Parameter _bias = null!;

    /// <summary>Creates the layer with <paramref name="outFeatures"/> outputs.</summary>
    public Linear(int outFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        OutFeatures = outFeatures;
    }

    /// <summary>Output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Weights [out, in].</summary>
    public Parameter Weight => _weight;

    /// <summary>Bias [out].</summary>
    public Parameter Bias => _bias;

    /// <inheritdoc />
    public override string Describe() => $"linear({InputShape.Size}->{OutFeatures})";

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => [_weight, _bias];

    /// <inheritdoc />
    public override long Macs => (long)InputShape.Size * OutFeatures;

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(OutFeatures, 1, 1);

    /// <inheritdoc />
    protected override void OnBuild(Random rng)
    {
        _weight = new Parameter("weight", [OutFeatures, InputShape.Size], decay: true);
        _bias = new Parameter("bias", [OutFeatures], decay: false);
        // PyTorch's default: uniform in ±1/sqrt(fan_in) keeps the initial logits small.
        var bound = 1.0 / Math.Sqrt(InputShape.Size);
        for (var i = 0; i < _weight.Value.Length; i++) _weight.Value[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
    }

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        int fin = InputShape.Size, fout = OutFeatures;
        for (var n = 0; n < x.N; n++)
        {
            var xs = x.Data.AsSpan(n * fin, fin);
            for (var o = 0; o < fout; o++)
                y.Data[n * fout + o] = _bias.Value[o] + TensorPrimitives.Dot(xs, _weight.Value.AsSpan(o * fin, fin));
        }
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        int fin = InputShape.Size, fout = OutFeatures;
        Array.Clear(_weight.Grad);
        Array.Clear(_bias.Grad);
        for (var n = 0; n < x.N; n++)
        {
            var xs = x.Data.AsSpan(n * fin, fin);
            for (var o = 0; o < fout; o++)
            {
                var g = dy.Data[n * fout + o];
                _bias.Grad[o] += g;
                var row = _weight.Grad.AsSpan(o * fin, fin);
                TensorPrimitives.MultiplyAdd(xs, g, row, row);
            }
        }
        if (dx is null) return;
        dx.N = x.N;
        for (var n = 0; n < x.N; n++)
        {
            var d = dx.Data.AsSpan(n * fin, fin);
            d.Clear();
            for (var o = 0; o < fout; o++)
                TensorPrimitives.MultiplyAdd(_weight.Value.AsSpan(o * fin, fin), dy.Data[n * fout + o], d, d);
        }
    }
}
