using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Training.Tests.Meters;

/// <summary><see cref="MeterTrainJob.TenthsSpread"/>: the soft target of a meter window over its neighbouring tenths.</summary>
public class MeterTenthsSpreadTests
{
    [Fact]
    public void TenthsSpread_OneTenth_IsANormalizedGaussianOverThreeTenthsEachSide()
    {
        var w = MeterTrainJob.TenthsSpread(1f);
        Assert.Equal(7, w.Length);
        Assert.Equal(1.0, w.Sum(), 5);
        var norm = Enumerable.Range(-3, 7).Sum(k => Math.Exp(-0.5 * k * k));
        Assert.Equal(1 / norm, w[3], 5);
        Assert.Equal(Math.Exp(-0.5), w[4] / w[3], 5);
        Assert.Equal(Math.Exp(-2), w[5] / w[3], 5);
        for (var k = 1; k <= 3; k++) Assert.Equal(w[3 - k], w[3 + k]);
    }

    [Fact]
    public void TenthsSpread_HalfATenth_ReachesTwoTenths()
    {
        var w = MeterTrainJob.TenthsSpread(0.5f);
        Assert.Equal(5, w.Length); // ceil(3 × 0.5) = 2 each side
        Assert.Equal(Math.Exp(-2), w[3] / w[2], 5);
    }

    [Fact]
    public void TenthsSpread_Zero_IsOneHot() => Assert.Equal([1f], MeterTrainJob.TenthsSpread(0f));

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(5.01f)]
    [InlineData(float.NaN)]
    public void TenthsSpread_OutOfRange_Throws(float sigma) =>
        Assert.Contains("within 0 … 5 tenths", Assert.Throws<ArgumentOutOfRangeException>(() => MeterTrainJob.TenthsSpread(sigma)).Message);
}
