using System.Numerics.Tensors;

namespace EdgeDigits.Training.Nn;

/// <summary>
/// 2-D convolution (cross-correlation, as in ONNX <c>Conv</c>) with a square or rectangular kernel,
/// zero padding and stride, computed per sample as im2col followed by <see cref="Gemm"/>. A 1xK kernel
/// with no vertical padding over a [C,1,L] input is a 1-D convolution along a sequence (the ink sequence model).
/// </summary>
public sealed class Conv2d : Layer
{
    /// <summary>
    /// Columns each GEMM should get at least: samples are grouped until their output pixels reach
    /// it, so a 3x3 map (9 columns) does not leave the 16-wide SIMD panels mostly idle.
    /// </summary>
    private const int GroupColumns = 512;

    private Parameter _weight = null!;
    private Parameter? _bias;
    private int _group;
    private float[][] _col = [];
    private float[][] _dcol = [];
    private float[][] _yg = [];
    private float[][] _dyT = [];
    private float[][] _dwT = [];
    private float[][] _db = [];
    private float[] _wT = [];

    /// <summary>Creates the layer; parameters are allocated by <see cref="Layer.Build"/>.</summary>
    public Conv2d(int outChannels, int kernel = 3, int padding = 1, int stride = 1, bool bias = false)
        : this(outChannels, kernel, kernel, padding, padding, stride, bias)
    {
    }

    /// <summary>Creates a layer with a <paramref name="kernelH"/> x <paramref name="kernelW"/> kernel and its own padding per axis.</summary>
    public Conv2d(int outChannels, int kernelH, int kernelW, int paddingH, int paddingW, int stride = 1, bool bias = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelH, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kernelW, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(paddingH);
        ArgumentOutOfRangeException.ThrowIfNegative(paddingW);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        OutChannels = outChannels;
        KernelH = kernelH;
        KernelW = kernelW;
        PaddingH = paddingH;
        PaddingW = paddingW;
        Stride = stride;
        HasBias = bias;
    }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height.</summary>
    public int KernelH { get; }

    /// <summary>Kernel width.</summary>
    public int KernelW { get; }

    /// <summary>Zero padding above and below.</summary>
    public int PaddingH { get; }

    /// <summary>Zero padding left and right.</summary>
    public int PaddingW { get; }

    /// <summary>Stride in both directions.</summary>
    public int Stride { get; }

    /// <summary>Whether the layer has a bias (off when BatchNorm follows).</summary>
    public bool HasBias { get; }

    /// <summary>Weights, shape [Cout, Cin, KernelH, KernelW].</summary>
    public Parameter Weight => _weight;

    /// <summary>Bias, shape [Cout], or null.</summary>
    public Parameter? Bias => _bias;

    /// <inheritdoc />
    public override string Describe() => PaddingH == PaddingW
        ? $"conv{KernelH}x{KernelW}({InputShape.C}->{OutChannels},pad{PaddingW},stride{Stride})"
        : $"conv{KernelH}x{KernelW}({InputShape.C}->{OutChannels},pad{PaddingH}x{PaddingW},stride{Stride})";

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _bias is null ? [_weight] : [_weight, _bias];

    /// <inheritdoc />
    public override long Macs => (long)OutputShape.Size * InputShape.C * KernelH * KernelW;

    private int PatchSize => InputShape.C * KernelH * KernelW;

    /// <inheritdoc />
    protected override Shape ComputeOutputShape(Shape input) => new(OutChannels,
        (input.H + 2 * PaddingH - KernelH) / Stride + 1, (input.W + 2 * PaddingW - KernelW) / Stride + 1);

    /// <inheritdoc />
    protected override void OnBuild(Random rng)
    {
        _weight = new Parameter("weight", [OutChannels, InputShape.C, KernelH, KernelW], decay: true);
        // He initialization: keeps the activation variance through ReLU layers.
        FillNormal(_weight.Value, Math.Sqrt(2.0 / PatchSize), rng);
        if (HasBias) _bias = new Parameter("bias", [OutChannels], decay: false);
        var t = Parallel.Threads;
        var pixels = OutputShape.H * OutputShape.W;
        _group = Math.Max(1, (GroupColumns + pixels - 1) / pixels);
        var cols = _group * pixels;
        float[][] PerThread(int size) => Enumerable.Range(0, t).Select(_ => new float[size]).ToArray();
        _col = PerThread(PatchSize * cols);
        _dcol = PerThread(PatchSize * cols);
        _yg = PerThread(OutChannels * cols);
        _dyT = PerThread(OutChannels * cols);
        _dwT = PerThread(_weight.Value.Length);
        _db = PerThread(OutChannels);
        _wT = new float[_weight.Value.Length];
    }

    /// <inheritdoc />
    public override void Forward(Tensor x, Tensor y, bool training)
    {
        y.N = x.N;
        int pixels = OutputShape.H * OutputShape.W, k = PatchSize, cout = OutChannels;
        Parallel.For(x.N, (chunk, start, end) =>
        {
            var col = _col[chunk];
            for (var n0 = start; n0 < end; n0 += _group)
            {
                var g = Math.Min(_group, end - n0);
                var cols = g * pixels;
                for (var i = 0; i < g; i++) Im2Col(x.Sample(n0 + i), col.AsSpan(i * pixels), cols);
                // One sample writes straight into its output; a group goes through [Cout, g*pixels].
                var yg = g == 1 ? y.Sample(n0) : _yg[chunk];
                Gemm.Multiply(_weight.Value, col, yg, cout, k, cols);
                if (g > 1)
                    for (var i = 0; i < g; i++)
                    {
                        var ys = y.Sample(n0 + i);
                        for (var c = 0; c < cout; c++) yg.Slice(c * cols + i * pixels, pixels).CopyTo(ys.Slice(c * pixels, pixels));
                    }
                if (_bias is not null)
                    for (var i = 0; i < g; i++)
                    {
                        var ys = y.Sample(n0 + i);
                        for (var c = 0; c < cout; c++)
                        {
                            var dst = ys.Slice(c * pixels, pixels);
                            TensorPrimitives.Add(dst, _bias.Value[c], dst);
                        }
                    }
            }
        });
    }

    /// <inheritdoc />
    public override void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx)
    {
        int pixels = OutputShape.H * OutputShape.W, k = PatchSize, cout = OutChannels;
        if (dx is not null)
        {
            dx.N = x.N;
            Gemm.Transpose(_weight.Value, _wT, cout, k);
        }
        Parallel.For(x.N, (chunk, start, end) =>
        {
            var col = _col[chunk];
            var dwT = _dwT[chunk];
            var db = _db[chunk];
            Array.Clear(dwT);
            Array.Clear(db);
            for (var n0 = start; n0 < end; n0 += _group)
            {
                var g = Math.Min(_group, end - n0);
                var cols = g * pixels;
                for (var i = 0; i < g; i++) Im2Col(x.Sample(n0 + i), col.AsSpan(i * pixels), cols);
                Span<float> dyg = _yg[chunk];
                if (g == 1) dyg = dy.Sample(n0);
                else
                    for (var i = 0; i < g; i++)
                    {
                        var ds = dy.Sample(n0 + i);
                        for (var c = 0; c < cout; c++) ds.Slice(c * pixels, pixels).CopyTo(dyg.Slice(c * cols + i * pixels, pixels));
                    }
                // dW^T [k, Cout] += col [k, cols] * dY^T [cols, Cout]: Cout (16..128) fills the SIMD
                // lanes even when the patch is 9 wide, and the inner sum runs over the whole group.
                Gemm.Transpose(dyg, _dyT[chunk], cout, cols);
                Gemm.Multiply(col, _dyT[chunk], dwT, k, cols, cout, accumulate: true);
                for (var c = 0; c < cout; c++) db[c] += TensorPrimitives.Sum(dyg.Slice(c * cols, cols));
                if (dx is not null)
                {
                    var dcol = _dcol[chunk];
                    Gemm.Multiply(_wT, dyg, dcol, k, cout, cols);
                    for (var i = 0; i < g; i++) Col2Im(dcol.AsSpan(i * pixels), dx.Sample(n0 + i), cols);
                }
            }
        });
        // Chunk buffers hold dW^T [k, Cout]; add them in chunk order for reproducibility.
        var grad = _weight.Grad;
        Array.Clear(grad);
        for (var t = 0; t < Parallel.Threads; t++)
        {
            var dwT = _dwT[t];
            for (var p = 0; p < k; p++)
                for (var c = 0; c < cout; c++)
                    grad[c * k + p] += dwT[p * cout + c];
        }
        if (_bias is not null)
        {
            Array.Copy(_db[0], _bias.Grad, cout);
            for (var t = 1; t < Parallel.Threads; t++)
                for (var c = 0; c < cout; c++) _bias.Grad[c] += _db[t][c];
        }
    }

    /// <summary>col[(ci,ky,kx), (oy,ox)] = x[ci, oy*s+ky-pH, ox*s+kx-pW] (0 outside); rows of <paramref name="col"/> are <paramref name="stride"/> apart.</summary>
    private void Im2Col(ReadOnlySpan<float> x, Span<float> col, int stride)
    {
        int h = InputShape.H, w = InputShape.W, oh = OutputShape.H, ow = OutputShape.W;
        var row = 0;
        for (var ci = 0; ci < InputShape.C; ci++)
        {
            var plane = x.Slice(ci * h * w, h * w);
            for (var ky = 0; ky < KernelH; ky++)
                for (var kx = 0; kx < KernelW; kx++, row++)
                {
                    var dst = col.Slice(row * stride, oh * ow);
                    for (var oy = 0; oy < oh; oy++)
                    {
                        var iy = oy * Stride + ky - PaddingH;
                        var line = dst.Slice(oy * ow, ow);
                        if ((uint)iy >= (uint)h) { line.Clear(); continue; }
                        var src = plane.Slice(iy * w, w);
                        if (Stride == 1)
                        {
                            // Contiguous run: only the padded edges need care.
                            var ox0 = Math.Max(0, PaddingW - kx);
                            var ox1 = Math.Min(ow, w + PaddingW - kx);
                            line[..Math.Min(ox0, ow)].Clear();
                            if (ox1 > ox0) src.Slice(ox0 + kx - PaddingW, ox1 - ox0).CopyTo(line.Slice(ox0));
                            if (ox1 < ow) line[Math.Max(ox1, 0)..].Clear();
                        }
                        else
                        {
                            for (var ox = 0; ox < ow; ox++)
                            {
                                var ix = ox * Stride + kx - PaddingW;
                                line[ox] = (uint)ix < (uint)w ? src[ix] : 0f;
                            }
                        }
                    }
                }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: scatters-adds patch gradients back into the image.</summary>
    private void Col2Im(ReadOnlySpan<float> col, Span<float> dx, int stride)
    {
        int h = InputShape.H, w = InputShape.W, oh = OutputShape.H, ow = OutputShape.W;
        dx.Clear();
        var row = 0;
        for (var ci = 0; ci < InputShape.C; ci++)
        {
            var plane = dx.Slice(ci * h * w, h * w);
            for (var ky = 0; ky < KernelH; ky++)
                for (var kx = 0; kx < KernelW; kx++, row++)
                {
                    var src = col.Slice(row * stride, oh * ow);
                    for (var oy = 0; oy < oh; oy++)
                    {
                        var iy = oy * Stride + ky - PaddingH;
                        if ((uint)iy >= (uint)h) continue;
                        var line = src.Slice(oy * ow, ow);
                        var dst = plane.Slice(iy * w, w);
                        if (Stride == 1)
                        {
                            var ox0 = Math.Max(0, PaddingW - kx);
                            var ox1 = Math.Min(ow, w + PaddingW - kx);
                            if (ox1 > ox0)
                            {
                                var d = dst.Slice(ox0 + kx - PaddingW, ox1 - ox0);
                                TensorPrimitives.Add(d, line.Slice(ox0, ox1 - ox0), d);
                            }
                        }
                        else
                        {
                            for (var ox = 0; ox < ow; ox++)
                            {
                                var ix = ox * Stride + kx - PaddingW;
                                if ((uint)ix < (uint)w) dst[ix] += line[ox];
                            }
                        }
                    }
                }
        }
    }
}
