using EdgeDigits.Training.Nn;

namespace EdgeDigits.Training.Tests.Nn;

public class GemmTests
{
    public static TheoryData<GemmKernel> Kernels => new() { GemmKernel.Vector256, GemmKernel.Vector128, GemmKernel.Scalar, GemmKernel.Auto };

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Multiply_ManySizes_MatchesScalarReference(GemmKernel kernel)
    {
        var rng = new Random(1);
        int[] sizes = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 33, 49, 64];
        foreach (var m in sizes)
            foreach (var k in new[] { 1, 3, 9, 16, 37 })
                foreach (var n in sizes)
                {
                    var a = Random(rng, m * k);
                    var b = Random(rng, k * n);
                    foreach (var accumulate in new[] { false, true })
                    {
                        var expected = Random(rng, m * n);
                        var actual = (float[])expected.Clone();
                        Gemm.Reference(a, b, expected, m, k, n, accumulate);
                        Gemm.Multiply(a, b, actual, m, k, n, accumulate, kernel);
                        for (var i = 0; i < expected.Length; i++)
                            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])),
                                $"{kernel} m={m} k={k} n={n} acc={accumulate} at {i}: {actual[i]} vs {expected[i]}");
                    }
                }
    }

    [Fact]
    public void Multiply_LargeConvolutionShape_MatchesReference()
    {
        var rng = new Random(2);
        const int m = 24, k = 144, n = 196;
        var a = Random(rng, m * k);
        var b = Random(rng, k * n);
        var expected = new float[m * n];
        var actual = new float[m * n];
        Gemm.Reference(a, b, expected, m, k, n);
        Gemm.Multiply(a, b, actual, m, k, n);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 3e-4f);
    }

    [Fact]
    public void Multiply_DestinationTooShort_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[6], new float[3], 2, 3, 2));
        Assert.Contains("C needs 2x2", ex.Message);
    }

    [Fact]
    public void Multiply_OutputBeyondMatrix_IsUntouched()
    {
        var c = Enumerable.Repeat(7f, 10).ToArray();
        Gemm.Multiply([1, 2], [3, 4], c, 1, 2, 1);
        Assert.Equal(11f, c[0]);
        Assert.All(c[1..], v => Assert.Equal(7f, v));
    }

    [Fact]
    public void Transpose_RectangularMatrix_SwapsIndices()
    {
        var src = Enumerable.Range(0, 3 * 11).Select(i => (float)i).ToArray();
        var dst = new float[src.Length];
        Gemm.Transpose(src, dst, 3, 11);
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 11; j++) Assert.Equal(src[i * 11 + j], dst[j * 3 + i]);
    }

    private static float[] Random(Random rng, int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
}
