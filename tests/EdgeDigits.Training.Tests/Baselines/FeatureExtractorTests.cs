using EdgeDigits.Training.Baselines;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Baselines;

public sealed class FeatureExtractorTests
{
    [Fact]
    public void Pixels_Extract_ScalesToUnitRange()
    {
        var image = new byte[DigitSet.ImageSize];
        image[0] = 255;
        image[100] = 51;
        var f = new float[DigitSet.ImageSize];
        new PixelFeatures().Extract(image, f);
        Assert.Equal(1f, f[0]);
        Assert.Equal(0.2f, f[100], 6);
        Assert.Equal(0f, f[1]);
    }

    [Theory]
    [InlineData("pixels")]
    [InlineData("pca")]
    [InlineData("hog")]
    public void Extract_WrongImageSize_ThrowsNamingTheSize(string name)
    {
        var features = BaselineRegistry.CreateFeatures(name);
        features.Fit(TestModels.Train, TextWriter.Null);
        var ex = Assert.Throws<ArgumentException>(() => features.Extract(new byte[20 * 20], new float[features.Dimension]));
        Assert.Contains("image has 400 pixels, expected 28x28", ex.Message);
    }

    [Fact]
    public void Pca_Fit_ComponentsCarryDecreasingVarianceAndMostOfIt()
    {
        var pca = new PcaFeatures(components: 20);
        pca.Fit(TestModels.Train, TextWriter.Null);
        // 20 components of MNIST hold about 64% of the pixel variance.
        Assert.InRange(pca.ExplainedVariance, 0.55, 0.75);
        var x = pca.ExtractAll(TestModels.Train);
        var variance = new double[20];
        for (var j = 0; j < 20; j++)
        {
            double s = 0, s2 = 0;
            for (var i = 0; i < x.Rows; i++)
            {
                s += x.Row(i)[j];
                s2 += x.Row(i)[j] * (double)x.Row(i)[j];
            }
            var mean = s / x.Rows;
            Assert.InRange(mean, -0.05, 0.05); // centred on the training mean
            variance[j] = s2 / x.Rows - mean * mean;
        }
        for (var j = 1; j < 20; j++) Assert.True(variance[j] <= variance[j - 1] * 1.02, $"component {j} carries more variance than {j - 1}");
        // Orthonormal basis: projecting onto it never adds length, so the captured variance sums to at most the total.
        Assert.True(variance[0] > 3 * variance[19]);
    }

    [Fact]
    public void Hog_StrokeDirections_FallInTheirOrientationBins()
    {
        var hog = new HogFeatures();
        Assert.Equal(324, hog.Dimension);
        var horizontal = new byte[DigitSet.ImageSize];
        var vertical = new byte[DigitSet.ImageSize];
        for (var i = 4; i < 24; i++)
        {
            horizontal[13 * 28 + i] = horizontal[14 * 28 + i] = 255;
            vertical[i * 28 + 13] = vertical[i * 28 + 14] = 255;
        }
        var h = new float[324];
        var v = new float[324];
        hog.Extract(horizontal, h);
        hog.Extract(vertical, v);
        // Block 4 (the centre one), first cell: a horizontal stroke has vertical gradients (90 degrees, bin 4),
        // a vertical stroke horizontal ones (0 degrees, split between bins 0 and 8).
        var centre = 4 * 36 + 3 * 9; // bottom-right cell of the centre block: the cell at (2,2), which both strokes cross
        Assert.True(h[centre + 4] > 0.1f, string.Join(",", h.AsSpan(centre, 9).ToArray()));
        Assert.Equal(0f, h[centre + 0] + h[centre + 8], 3);
        Assert.True(v[centre + 0] + v[centre + 8] > 0.1f);
        Assert.Equal(0f, v[centre + 4], 3);
        var empty = new float[324];
        hog.Extract(new byte[DigitSet.ImageSize], empty);
        Assert.All(empty, x => Assert.Equal(0f, x));
    }

    [Fact]
    public void Registry_UnknownFeatures_ThrowsListingTheNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => BaselineRegistry.CreateFeatures("sift"));
        Assert.Equal("unknown features 'sift' (expected one of pixels, pca, hog)", ex.Message);
    }
}
