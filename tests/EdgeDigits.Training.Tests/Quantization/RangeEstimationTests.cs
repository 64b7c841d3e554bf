using EdgeDigits.Training.Quantization;

namespace EdgeDigits.Training.Tests.Quantization;

public sealed class RangeEstimationTests
{
    [Fact]
    public void PercentileThreshold_OneOutlier_IgnoresIt()
    {
        var h = new long[1000];
        h[99] = 999_999; // values around 0.1
        h[999] = 1;      // one outlier at 1.0
        Assert.Equal(0.1f, RangeEstimation.PercentileThreshold(h, 1f, 99.99), 3);
        Assert.Equal(1f, RangeEstimation.PercentileThreshold(h, 1f, 100), 3);
    }

    [Fact]
    public void EntropyThreshold_GaussianWithFarOutliers_ClipsBelowAbsMax()
    {
        var rng = new Random(3);
        var h = new long[2048];
        const float absMax = 20f;
        for (var i = 0; i < 200_000; i++)
        {
            var g = Math.Abs(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            h[Math.Min(2047, (int)(g / absMax * 2048))]++;
        }
        h[2047] += 3;
        var t = RangeEstimation.EntropyThreshold(h, absMax);
        Assert.InRange(t, 2.5f, 10f);
    }

    [Fact]
    public void QuantParams_Uint8_ZeroIsExactAndRangeCovered()
    {
        var p = QuantParams.Asymmetric(-1f, 3f, ActivationType.UInt8);
        Assert.Equal(4f / 255, p.Scale, 6);
        Assert.Equal(64, p.ZeroPoint);
        Assert.Equal(p.ZeroPoint, p.Quantize(0f));
        Assert.Equal(255, p.Quantize(100f));
        Assert.Equal(0, p.Quantize(-100f));
        var relu = QuantParams.Asymmetric(0.5f, 6f, ActivationType.Int8);
        Assert.Equal(-128, relu.ZeroPoint);
    }
}
