using System.Numerics;

namespace EdgeDigits.Training.Nn;

/// <summary>
/// Element-wise kernels of the layers that <c>TensorPrimitives</c> lacks, in <see cref="Vector{T}"/>
/// form with a scalar tail; <c>ElementwiseTests</c> compares them with the scalar formulas.
/// </summary>
public static class Elementwise
{
    /// <summary><c>d[i] = x[i] * scale + shift</c> (<paramref name="d"/> may be <paramref name="x"/>).</summary>
    /// <exception cref="ArgumentException"><paramref name="d"/> is shorter than <paramref name="x"/>.</exception>
    public static void Affine(ReadOnlySpan<float> x, float scale, float shift, Span<float> d)
    {
        if (d.Length < x.Length) throw new ArgumentException("destination shorter than the input", nameof(d));
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<float>.Count;
            Vector<float> a = new(scale), b = new(shift);
            for (; i + w <= x.Length; i += w)
                Vector.FusedMultiplyAdd(new Vector<float>(x.Slice(i, w)), a, b).CopyTo(d.Slice(i, w));
        }
        for (; i < x.Length; i++) d[i] = MathF.FusedMultiplyAdd(x[i], scale, shift);
    }

    /// <summary><c>d[i] = y[i] &gt; 0 ? g[i] : 0</c>: the gradient through a ReLU, given its output.</summary>
    /// <exception cref="ArgumentException">A span is shorter than <paramref name="y"/>.</exception>
    public static void PassWherePositive(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> d)
    {
        if (g.Length < y.Length || d.Length < y.Length) throw new ArgumentException("gradient or destination shorter than the output");
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = Vector<float>.Count;
            for (; i + w <= y.Length; i += w)
            {
                var positive = Vector.GreaterThan(new Vector<float>(y.Slice(i, w)), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, new Vector<float>(g.Slice(i, w)), Vector<float>.Zero).CopyTo(d.Slice(i, w));
            }
        }
        for (; i < y.Length; i++) d[i] = y[i] > 0f ? g[i] : 0f;
    }
}
