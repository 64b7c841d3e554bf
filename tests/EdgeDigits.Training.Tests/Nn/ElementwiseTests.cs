using EdgeDigits.Training.Nn;

namespace EdgeDigits.Training.Tests.Nn;

public class ElementwiseTests
{
    [Fact]
    public void Affine_EveryLength_MatchesScalarFormulaAndWorksInPlace()
    {
        var rng = new Random(2);
        for (var len = 0; len <= 256; len++)
        {
            var x = Enumerable.Range(0, len).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
            var d = new float[len + 3];
            d[len] = 42f;
            Elementwise.Affine(x, 1.7f, -0.3f, d);
            for (var i = 0; i < len; i++) Assert.Equal(MathF.FusedMultiplyAdd(x[i], 1.7f, -0.3f), d[i]);
            Assert.Equal(42f, d[len]);
            Elementwise.Affine(x, 1.7f, -0.3f, x);
            Assert.Equal(d.AsSpan(0, len).ToArray(), x);
        }
    }

    [Fact]
    public void PassWherePositive_EveryLength_KeepsGradientOnlyWhereOutputIsPositive()
    {
        var rng = new Random(3);
        for (var len = 0; len <= 256; len++)
        {
            // Outputs of a ReLU: zeros and positives, and a negative zero that must count as not positive.
            var y = Enumerable.Range(0, len).Select(i => i % 5 == 0 ? -0f : i % 3 == 0 ? 0f : (float)rng.NextDouble() + 1e-3f).ToArray();
            var g = Enumerable.Range(0, len).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            var d = Enumerable.Repeat(9f, len + 2).ToArray();
            Elementwise.PassWherePositive(y, g, d);
            for (var i = 0; i < len; i++) Assert.Equal(y[i] > 0 ? g[i] : 0f, d[i]);
            Assert.Equal(9f, d[len]);
        }
    }

    [Fact]
    public void Kernels_DestinationTooShort_Throw()
    {
        Assert.Throws<ArgumentException>(() => Elementwise.Affine(new float[8], 1, 0, new float[7]));
        Assert.Throws<ArgumentException>(() => Elementwise.PassWherePositive(new float[8], new float[8], new float[7]));
    }
}
