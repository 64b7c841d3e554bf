using System.Numerics.Tensors;

namespace EdgeDigits.Training.Nn;

/// <summary>
/// 2-D convolution (cross-correlation, as in ONNX <c>Conv</c>) with square kernel, zero padding
/// and stride, computed per sample as im2col followed by <see cref="Gemm"/>.
/// </summary>
public sealed class Conv2d : Layer
{
    private Parameter _weight = null!;
    private Parameter? _bias;
    private float[][] _col = [];
    private float[][] _dcol = [];
    private float[][] _dw = [];
    private float[][] _db = [];
    private float[][] _dyT = [];
    private float[] _wT = [];

    /// <summary>Creates the layer; parameters are allocated by <see cref="Layer.Build"/>.</summary>
    public Conv2d(int outChannels, int kernel = 3, int padding = 1, int stride = 1, bool bias = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernel, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        OutChannels = outChannels;
        Kernel = kernel;
        Padding = padding;
        Stride = stride;
        HasBias = bias;
    }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel side.</summary>
    public int Kernel { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>Stride in both directions.</summary>
    public int Stride { get; }

    /// <summary>Whether the layer has a bias (off when BatchNorm follows).</summary>
    public bool HasBias { get; }

    /// <summary>Weights, shape [Cout, Cin, K, K].</summary>
    public Parameter Weight => _weight;

    /// <summary>Bias, shape [Cout], or null.</summary>
    public Parameter? Bias => _bias;

    /// <inheritdoc />
    public override string Describe() => $"conv{Kernel}x{Kernel}({InputShape.C}->{OutChannels},pad{Padding},stride{Stride})";

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _bias is null ? [_weight] : [_weight, _bias];

    /// <inheritdoc />
    public override long Macs => (long)OutputShape.Size * InputShape.C * Kernel * Kernel;

    private int PatchSize => InputShape.C * Kernel * Kernel;

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(OutChannels,
        (input.H + 2 * Padding - Kernel) / Stride + 1, (input.W + 2 * Padding - Kernel) / Stride + 1);

    /// <inheritdoc />
    protected override void OnBuild(Random rng)
    {
        _weight = new Parameter("weight", [OutChannels, InputShape.C, Kernel, Kernel], decay: true);
        // He initialization: keeps the activation variance through ReLU layers.
        FillNormal(_weight.Value, Math.Sqrt(2.0 / PatchSize), rng);
        if (HasBias) _bias = new Parameter("bias", [OutChannels], decay: false);
        var t = Parallel.Threads;
        var pixels = OutputShape.H * OutputShape.W;
        _col = Enumerable.Range(0, t).Select(_ => new float[PatchSize * pixels]).ToArray();
        _dcol = Enumerable.Range(0, t).Select(_ => new float[PatchSize * pixels]).ToArray();
        _dw = Enumerable.Range(0, t).Select(_ => new float[_weight.Value.Length]).ToArray();
        _db = Enumerable.Range(0, t).Select(_ => new float[OutChannels]).ToArray();
        _dyT = Enumerable.Range(0, t).Select(_ => new float[OutChannels * pixels]).ToArray();
        _wT = new float[_weight.Value.Length];
    }

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        var pixels = OutputShape.H * OutputShape.W;
        var k = PatchSize;
        Parallel.For(x.N, (chunk, start, end) =>
        {
            var col = _col[chunk];
            for (var n = start; n < end; n++)
            {
                Im2Col(x.Sample(n), col);
                var ys = y.Sample(n);
                Gemm.Multiply(_weight.Value, col, ys, OutChannels, k, pixels);
                if (_bias is not null)
                    for (var c = 0; c < OutChannels; c++)
                    {
                        var b = _bias.Value[c];
                        foreach (ref var v in ys.Slice(c * pixels, pixels)) v += b;
                    }
            }
        });
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        var pixels = OutputShape.H * OutputShape.W;
        var k = PatchSize;
        var cout = OutChannels;
        if (dx is not null)
        {
            dx.N = x.N;
            Gemm.Transpose(_weight.Value, _wT, cout, k);
        }
        // With a tiny patch (first layer: 9) dW = dY * col^T has too few columns for the SIMD
        // kernels; computing its transpose col * dY^T puts Cout in the vector lanes instead.
        var transposed = k < 16 && cout >= 8;
        Parallel.For(x.N, (chunk, start, end) =>
        {
            var col = _col[chunk];
            var dw = _dw[chunk];
            var db = _db[chunk];
            Array.Clear(dw);
            Array.Clear(db);
            for (var n = start; n < end; n++)
            {
                var dys = dy.Sample(n);
                if (transposed)
                {
                    Im2Col(x.Sample(n), col);
                    Gemm.Transpose(dys, _dyT[chunk], cout, pixels);
                    Gemm.Multiply(col, _dyT[chunk], dw, k, pixels, cout, accumulate: true);
                }
                else
                {
                    Im2ColTransposed(x.Sample(n), col);
                    Gemm.Multiply(dys, col, dw, cout, pixels, k, accumulate: true);
                }
                for (var c = 0; c < cout; c++)
                {
                    var s = 0f;
                    foreach (var v in dys.Slice(c * pixels, pixels)) s += v;
                    db[c] += s;
                }
                if (dx is not null)
                {
                    Gemm.Multiply(_wT, dys, _dcol[chunk], k, cout, pixels);
                    Col2Im(_dcol[chunk], dx.Sample(n));
                }
            }
        });
        var grad = _weight.Grad;
        if (transposed)
        {
            Array.Clear(grad);
            // Chunk buffers hold dW^T [k, cout]; add them in chunk order for reproducibility.
            for (var t = 0; t < Parallel.Threads; t++)
                for (var p = 0; p < k; p++)
                    for (var c = 0; c < cout; c++)
                        grad[c * k + p] += _dw[t][p * cout + c];
        }
        else
        {
            Array.Copy(_dw[0], grad, grad.Length);
            for (var t = 1; t < Parallel.Threads; t++)
                for (var i = 0; i < grad.Length; i++) grad[i] += _dw[t][i];
        }
        if (_bias is not null)
        {
            Array.Copy(_db[0], _bias.Grad, cout);
            for (var t = 1; t < Parallel.Threads; t++)
                for (var c = 0; c < cout; c++) _bias.Grad[c] += _db[t][c];
        }
    }

    /// <summary>col[(ci,ky,kx), (oy,ox)] = x[ci, oy*s+ky-p, ox*s+kx-p] (0 outside).</summary>
    private void Im2Col(ReadOnlySpan<float> x, Span<float> col)
    {
        int h = InputShape.H, w = InputShape.W, oh = OutputShape.H, ow = OutputShape.W;
        var row = 0;
        for (var ci = 0; ci < InputShape.C; ci++)
        {
            var plane = x.Slice(ci * h * w, h * w);
            for (var ky = 0; ky < Kernel; ky++)
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var dst = col.Slice(row * oh * ow, oh * ow);
                    for (var oy = 0; oy < oh; oy++)
                    {
                        var iy = oy * Stride + ky - Padding;
                        var line = dst.Slice(oy * ow, ow);
                        if ((uint)iy >= (uint)h) { line.Clear(); continue; }
                        var src = plane.Slice(iy * w, w);
                        if (Stride == 1)
                        {
                            // Contiguous run: only the padded edges need care.
                            var ox0 = Math.Max(0, Padding - kx);
                            var ox1 = Math.Min(ow, w + Padding - kx);
                            line[..Math.Min(ox0, ow)].Clear();
                            if (ox1 > ox0) src.Slice(ox0 + kx - Padding, ox1 - ox0).CopyTo(line.Slice(ox0));
                            if (ox1 < ow) line[Math.Max(ox1, 0)..].Clear();
                        }
                        else
                        {
                            for (var ox = 0; ox < ow; ox++)
                            {
                                var ix = ox * Stride + kx - Padding;
                                line[ox] = (uint)ix < (uint)w ? src[ix] : 0f;
                            }
                        }
                    }
                }
        }
    }

    /// <summary>colT[(oy,ox), (ci,ky,kx)]: the patch of each output pixel as one row.</summary>
    private void Im2ColTransposed(ReadOnlySpan<float> x, Span<float> colT)
    {
        int h = InputShape.H, w = InputShape.W, oh = OutputShape.H, ow = OutputShape.W, k = PatchSize;
        for (var oy = 0; oy < oh; oy++)
            for (var ox = 0; ox < ow; ox++)
            {
                var dst = colT.Slice((oy * ow + ox) * k, k);
                var i = 0;
                for (var ci = 0; ci < InputShape.C; ci++)
                {
                    var plane = x.Slice(ci * h * w, h * w);
                    for (var ky = 0; ky < Kernel; ky++)
                    {
                        var iy = oy * Stride + ky - Padding;
                        for (var kx = 0; kx < Kernel; kx++, i++)
                        {
                            var ix = ox * Stride + kx - Padding;
                            dst[i] = (uint)iy < (uint)h && (uint)ix < (uint)w ? plane[iy * w + ix] : 0f;
                        }
                    }
                }
            }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: scatters-adds patch gradients back into the image.</summary>
    private void Col2Im(ReadOnlySpan<float> col, Span<float> dx)
    {
        int h = InputShape.H, w = InputShape.W, oh = OutputShape.H, ow = OutputShape.W;
        dx.Clear();
        var row = 0;
        for (var ci = 0; ci < InputShape.C; ci++)
        {
            var plane = dx.Slice(ci * h * w, h * w);
            for (var ky = 0; ky < Kernel; ky++)
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var src = col.Slice(row * oh * ow, oh * ow);
                    for (var oy = 0; oy < oh; oy++)
                    {
                        var iy = oy * Stride + ky - Padding;
                        if ((uint)iy >= (uint)h) continue;
                        var line = src.Slice(oy * ow, ow);
                        var dst = plane.Slice(iy * w, w);
                        if (Stride == 1)
                        {
                            var ox0 = Math.Max(0, Padding - kx);
                            var ox1 = Math.Min(ow, w + Padding - kx);
                            if (ox1 > ox0)
                            {
                                var d = dst.Slice(ox0 + kx - Padding, ox1 - ox0);
                                TensorPrimitives.Add(d, line.Slice(ox0, ox1 - ox0), d);
                            }
                        }
                        else
                        {
                            for (var ox = 0; ox < ow; ox++)
                            {
                                var ix = ox * Stride + kx - Padding;
                                if ((uint)ix < (uint)w) dst[ix] += line[ox];
                            }
                        }
                    }
                }
        }
    }
}
