using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Training.Tests.Nn;

/// <summary>The loss's targets: one-hot, label smoothing and a spread over the label's neighbours on a circle of classes.</summary>
public class SoftmaxCrossEntropyTests
{
    [Fact]
    public void Compute_SpreadAtTheFirstClass_WrapsToTheLastAndGivesGradientPMinusTarget()
    {
        // Equal logits: p = 1/5 everywhere; the spread puts 0.5 on the label (class 0) and 0.25 on classes 1 and 4 (the circle's wrap).
        var logits = new float[5];
        var grad = new float[5];
        var loss = SoftmaxCrossEntropy.Compute(logits, [0], 5, 0f, grad, out var correct, [0.25f, 0.5f, 0.25f]);
        Assert.Equal(Math.Log(5), loss, 5);
        AssertClose([-0.3f, -0.05f, 0.2f, 0.2f, -0.05f], grad);
        Assert.Equal(1, correct); // all equal: the arg-max is class 0, the label
    }

    [Fact]
    public void Compute_SpreadWithSmoothing_AddsTheEvenShareOnTop()
    {
        var grad = new float[4];
        SoftmaxCrossEntropy.Compute(new float[4], [2], 4, 0.2f, grad, out _, [0.25f, 0.5f, 0.25f]);
        // target = 0.8 × spread + 0.2 / 4: class 1 and 3 0.25, class 2 0.45, class 0 0.05; gradient p − target with p = 0.25.
        AssertClose([0.2f, 0f, -0.2f, 0f], grad);
    }

    [Fact]
    public void Compute_OneWeightSpread_EqualsOneHot()
    {
        var rng = new Random(3);
        var logits = Enumerable.Range(0, 3 * 10).Select(_ => (float)rng.NextDouble() * 4 - 2).ToArray();
        int[] labels = [0, 9, 4];
        var plain = new float[30];
        var spread = new float[30];
        var a = SoftmaxCrossEntropy.Compute(logits, labels, 10, 0.05f, plain, out var okA);
        var b = SoftmaxCrossEntropy.Compute(logits, labels, 10, 0.05f, spread, out var okB, [1f]);
        Assert.Equal(a, b);
        Assert.Equal(okA, okB);
        Assert.Equal(plain, spread);
    }

    [Fact]
    public void Compute_Spread_GradientMatchesFiniteDifferences()
    {
        var rng = new Random(5);
        const int n = 3, classes = 12;
        var logits = Enumerable.Range(0, n * classes).Select(_ => (float)rng.NextDouble() * 3 - 1.5f).ToArray();
        int[] labels = [0, 11, 6];
        var spread = MeterTrainJob.TenthsSpread(1f);
        var grad = new float[n * classes];
        var scratch = new float[n * classes];
        SoftmaxCrossEntropy.Compute(logits, labels, classes, 0.05f, grad, out _, spread);
        const float h = 1e-2f;
        for (var i = 0; i < logits.Length; i++)
        {
            var keep = logits[i];
            logits[i] = keep + h;
            double plus = SoftmaxCrossEntropy.Compute(logits, labels, classes, 0.05f, scratch, out _, spread);
            logits[i] = keep - h;
            double minus = SoftmaxCrossEntropy.Compute(logits, labels, classes, 0.05f, scratch, out _, spread);
            logits[i] = keep;
            Assert.True(Math.Abs((plus - minus) / (2 * h) - grad[i]) < 2e-3, $"logit {i}: numeric {(plus - minus) / (2 * h)}, analytic {grad[i]}");
        }
    }

    [Theory]
    [InlineData(new[] { 0.5f, 0.5f }, "odd length")]
    [InlineData(new[] { 0.2f, 0.5f, 0.2f }, "sum to 1")]
    [InlineData(new[] { -0.25f, 1.5f, -0.25f }, "≥ 0")]
    public void Compute_BadSpread_Throws(float[] spread, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(new float[5], [1], 5, 0f, new float[5], out _, spread));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Compute_SpreadLongerThanTheClasses_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Compute(new float[3], [1], 3, 0f, new float[3], out _, [0.2f, 0.2f, 0.2f, 0.2f, 0.2f]));
        Assert.Contains("at most 3", ex.Message);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"class {i}: expected {expected[i]}, got {actual[i]}");
    }
}
