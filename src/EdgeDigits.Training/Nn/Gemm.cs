using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EdgeDigits.Training.Nn;

/// <summary>Which inner kernel <see cref="Gemm"/> uses; tests force each one to compare it with the scalar reference.</summary>
public enum GemmKernel
{
    /// <summary>The widest kernel the hardware accelerates.</summary>
    Auto,

    /// <summary>4x16 register tiles of two <see cref="Vector256{T}"/> per row.</summary>
    Vector256,

    /// <summary>4x8 register tiles of two <see cref="Vector128{T}"/> per row (NEON on ARM64).</summary>
    Vector128,

    /// <summary>Plain scalar loops.</summary>
    Scalar,
}

/// <summary>
/// Row-major single-precision matrix product <c>C[m,n] (+)= A[m,k] * B[k,n]</c>, the work horse of
/// the convolution layers (im2col form). Register-blocked SIMD kernels with fused multiply-add
/// and a scalar fallback; the summation order over k is fixed, so results are reproducible.
/// </summary>
public static class Gemm
{
    /// <summary>Kernel used by <see cref="Multiply"/> when none is forced.</summary>
    public static GemmKernel Preferred { get; } =
        Vector256.IsHardwareAccelerated ? GemmKernel.Vector256 :
        Vector128.IsHardwareAccelerated ? GemmKernel.Vector128 : GemmKernel.Scalar;

    /// <summary>Computes <c>C = A*B</c> or, when <paramref name="accumulate"/>, <c>C += A*B</c>.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false, GemmKernel kernel = GemmKernel.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (a.Length < (long)m * k) throw new ArgumentException($"A needs {m}x{k} values, has {a.Length}", nameof(a));
        if (b.Length < (long)k * n) throw new ArgumentException($"B needs {k}x{n} values, has {b.Length}", nameof(b));
        if (c.Length < (long)m * n) throw new ArgumentException($"C needs {m}x{n} values, has {c.Length}", nameof(c));
        if (m == 0 || n == 0) return;
        if (kernel == GemmKernel.Auto) kernel = Preferred;
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var rc = ref MemoryMarshal.GetReference(c);
        var j = 0;
        if (kernel == GemmKernel.Vector256)
        {
            for (; j + 16 <= n; j += 16) Panel256x16(ref ra, ref rb, ref rc, m, k, n, j, accumulate);
            for (; j + 8 <= n; j += 8) Panel256x8(ref ra, ref rb, ref rc, m, k, n, j, accumulate);
        }
        else if (kernel == GemmKernel.Vector128)
        {
            for (; j + 8 <= n; j += 8) Panel128x8(ref ra, ref rb, ref rc, m, k, n, j, accumulate);
            for (; j + 4 <= n; j += 4) Panel128x4(ref ra, ref rb, ref rc, m, k, n, j, accumulate);
        }
        ScalarColumns(ref ra, ref rb, ref rc, m, k, n, j, n, accumulate);
    }

    /// <summary>The textbook triple loop, the reference the SIMD kernels are tested against.</summary>
    public static void Reference(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, bool accumulate = false)
    {
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var s = 0f;
                for (var p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = accumulate ? c[i * n + j] + s : s;
            }
    }

    /// <summary>Writes the transpose of the row-major <paramref name="rows"/>x<paramref name="cols"/> matrix <paramref name="src"/>.</summary>
    public static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        if (src.Length < rows * cols || dst.Length < rows * cols) throw new ArgumentException("span shorter than the matrix");
        // 8x8 tiles keep both the reads and the writes within a few cache lines.
        for (var i0 = 0; i0 < rows; i0 += 8)
        {
            var i1 = Math.Min(rows, i0 + 8);
            for (var j0 = 0; j0 < cols; j0 += 8)
            {
                var j1 = Math.Min(cols, j0 + 8);
                for (var i = i0; i < i1; i++)
                    for (var j = j0; j < j1; j++)
                        dst[j * rows + i] = src[i * cols + j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel256x16(ref float a, ref float b, ref float c, int m, int k, int n, int j, bool acc)
    {
        var i = 0;
        for (; i + 4 <= m; i += 4)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
            ref var a0 = ref Unsafe.Add(ref a, i * k);
            ref var a1 = ref Unsafe.Add(ref a0, k);
            ref var a2 = ref Unsafe.Add(ref a1, k);
            ref var a3 = ref Unsafe.Add(ref a2, k);
            nuint bo = (nuint)j;
            for (var p = 0; p < k; p++, bo += (nuint)n)
            {
                var b0 = Vector256.LoadUnsafe(ref b, bo);
                var b1 = Vector256.LoadUnsafe(ref b, bo + 8);
                var x = Vector256.Create(Unsafe.Add(ref a0, p));
                c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
                x = Vector256.Create(Unsafe.Add(ref a1, p));
                c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
                x = Vector256.Create(Unsafe.Add(ref a2, p));
                c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
                x = Vector256.Create(Unsafe.Add(ref a3, p));
                c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            }
            Store256(ref c, (nuint)(i * n + j), c00, acc); Store256(ref c, (nuint)(i * n + j + 8), c01, acc);
            Store256(ref c, (nuint)((i + 1) * n + j), c10, acc); Store256(ref c, (nuint)((i + 1) * n + j + 8), c11, acc);
            Store256(ref c, (nuint)((i + 2) * n + j), c20, acc); Store256(ref c, (nuint)((i + 2) * n + j + 8), c21, acc);
            Store256(ref c, (nuint)((i + 3) * n + j), c30, acc); Store256(ref c, (nuint)((i + 3) * n + j + 8), c31, acc);
        }
        for (; i < m; i++)
        {
            Vector256<float> c0 = default, c1 = default;
            ref var a0 = ref Unsafe.Add(ref a, i * k);
            nuint bo = (nuint)j;
            for (var p = 0; p < k; p++, bo += (nuint)n)
            {
                var x = Vector256.Create(Unsafe.Add(ref a0, p));
                c0 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref b, bo), c0);
                c1 = Vector256.FusedMultiplyAdd(x, Vector256.LoadUnsafe(ref b, bo + 8), c1);
            }
            Store256(ref c, (nuint)(i * n + j), c0, acc); Store256(ref c, (nuint)(i * n + j + 8), c1, acc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel256x8(ref float a, ref float b, ref float c, int m, int k, int n, int j, bool acc)
    {
        var i = 0;
        for (; i + 4 <= m; i += 4)
        {
            Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
            ref var a0 = ref Unsafe.Add(ref a, i * k);
            ref var a1 = ref Unsafe.Add(ref a0, k);
            ref var a2 = ref Unsafe.Add(ref a1, k);
            ref var a3 = ref Unsafe.Add(ref a2, k);
            nuint bo = (nuint)j;
            for (var p = 0; p < k; p++, bo += (nuint)n)
            {
                var b0 = Vector256.LoadUnsafe(ref b, bo);
                c0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a0, p)), b0, c0);
                c1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a1, p)), b0, c1);
                c2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a2, p)), b0, c2);
                c3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a3, p)), b0, c3);
            }
            Store256(ref c, (nuint)(i * n + j), c0, acc);
            Store256(ref c, (nuint)((i + 1) * n + j), c1, acc);
            Store256(ref c, (nuint)((i + 2) * n + j), c2, acc);
            Store256(ref c, (nuint)((i + 3) * n + j), c3, acc);
        }
        for (; i < m; i++)
        {
            Vector256<float> c0 = default;
            ref var a0 = ref Unsafe.Add(ref a, i * k);
            nuint bo = (nuint)j;
            for (var p = 0; p < k; p++, bo += (nuint)n)
                c0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a0, p)), Vector256.LoadUnsafe(ref b, bo), c0);
            Store256(ref c, (nuint)(i * n + j), c0, acc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel128x8(ref float a, ref float b, ref float c, int m, int k, int n, int j, bool acc)
    {
        var i = 0;
        for (; i + 4 <= m; i += 4)
        {
            Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default;
            Vector128<float> c20 = default, c21 = default, c30 = default, c31 = default;
            ref var a0 = ref Unsafe.Add(ref a, i * k);
            ref var a1 = ref Unsafe.Add(ref a0, k);
            ref var a2 = ref Unsafe.Add(ref a1, k);
            ref var a3 = ref Unsafe.Add(ref a2, k);
            nuint bo = (nuint)j;
            for (var p = 0; p < k; p++, bo += (nuint)n)
            {
                var b0 = Vector128.LoadUnsafe(ref b, bo);
                var b1 = Vector128.LoadUnsafe(ref b, bo + 4);
                var x = Vector128.Create(Unsafe.Add(ref a0, p));
                c00 = Vector128.FusedMultiplyAdd(x, b0, c00); c01 = Vector128.FusedMultiplyAdd(x, b1, c01);
                x = Vector128.Create(Unsafe.Add(ref a1, p));
                c10 = Vector128.FusedMultiplyAdd(x, b0, c10); c11 = Vector128.FusedMultiplyAdd(x, b1, c11);
                x = Vector128.Create(Unsafe.Add(ref a2, p));
                c20 = Vector128.FusedMultiplyAdd(x, b0, c20); c21 = Vector128.FusedMultiplyAdd(x, b1, c21);
                x = Vector128.Create(Unsafe.Add(ref a3, p));
                c30 = Vector128.FusedMultiplyAdd(x, b0, c30); c31 = Vector128.FusedMultiplyAdd(x, b1, c31);
            }
            Store128(ref c, (nuint)(i * n + j), c00, acc); Store128(ref c, (nuint)(i * n + j + 4), c01, acc);
            Store128(ref c, (nuint)((i + 1) * n + j), c10, acc); Store128(ref c, (nuint)((i + 1) * n + j + 4), c11, acc);
            Store128(ref c, (nuint)((i + 2) * n + j), c20, acc); Store128(ref c, (nuint)((i + 2) * n + j + 4), c21, acc);
            Store128(ref c, (nuint)((i + 3) * n + j), c30, acc); Store128(ref c, (nuint)((i + 3) * n + j + 4), c31, acc);
        }
        for (; i < m; i++)
        {
            Vector128<float> c0 = default, c1 = default;
            ref var a0 = ref Unsafe.Add(ref a, i * k);
            nuint bo = (nuint)j;
            for (var p = 0; p < k; p++, bo += (nuint)n)
            {
                var x = Vector128.Create(Unsafe.Add(ref a0, p));
                c0 = Vector128.FusedMultiplyAdd(x, Vector128.LoadUnsafe(ref b, bo), c0);
                c1 = Vector128.FusedMultiplyAdd(x, Vector128.LoadUnsafe(ref b, bo + 4), c1);
            }
            Store128(ref c, (nuint)(i * n + j), c0, acc); Store128(ref c, (nuint)(i * n + j + 4), c1, acc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Panel128x4(ref float a, ref float b, ref float c, int m, int k, int n, int j, bool acc)
    {
        for (var i = 0; i < m; i++)
        {
            Vector128<float> c0 = default;
            ref var a0 = ref Unsafe.Add(ref a, i * k);
            nuint bo = (nuint)j;
            for (var p = 0; p < k; p++, bo += (nuint)n)
                c0 = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref a0, p)), Vector128.LoadUnsafe(ref b, bo), c0);
            Store128(ref c, (nuint)(i * n + j), c0, acc);
        }
    }

    private static void ScalarColumns(ref float a, ref float b, ref float c, int m, int k, int n, int j0, int j1, bool acc)
    {
        for (var i = 0; i < m; i++)
        {
            ref var ai = ref Unsafe.Add(ref a, i * k);
            for (var j = j0; j < j1; j++)
            {
                var s = 0f;
                var bo = j;
                for (var p = 0; p < k; p++, bo += n) s = MathF.FusedMultiplyAdd(Unsafe.Add(ref ai, p), Unsafe.Add(ref b, bo), s);
                ref var cij = ref Unsafe.Add(ref c, i * n + j);
                cij = acc ? cij + s : s;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(ref float c, nuint offset, Vector256<float> v, bool acc)
    {
        if (acc) v += Vector256.LoadUnsafe(ref c, offset);
        v.StoreUnsafe(ref c, offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store128(ref float c, nuint offset, Vector128<float> v, bool acc)
    {
        if (acc) v += Vector128.LoadUnsafe(ref c, offset);
        v.StoreUnsafe(ref c, offset);
    }
}
