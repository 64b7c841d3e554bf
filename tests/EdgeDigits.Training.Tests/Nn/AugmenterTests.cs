using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Augmentation;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Tests.Nn;

public class AugmenterTests
{
    [Fact]
    public void Apply_SameSeed_SameImage_DifferentSeed_DifferentImage()
    {
        var img = Mnist.Load(RepoPaths.Mnist, MnistSplit.Test, limit: 1).Image(0).ToArray();
        var aug = new DigitAugmenter();
        float[] Run(int seed)
        {
            var dst = new float[784];
            var rng = new SplitMix(seed, 0, 0);
            aug.Apply(img, dst, ref rng);
            return dst;
        }
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void Apply_ZeroStrength_IsExactScaling()
    {
        var img = Mnist.Load(RepoPaths.Mnist, MnistSplit.Test, limit: 1).Image(0).ToArray();
        var dst = new float[784];
        var rng = new SplitMix(3);
        DigitAugmenter.None.Apply(img, dst, ref rng);
        for (var i = 0; i < 784; i++) Assert.Equal(img[i] / 255f, dst[i], 1e-6f);
    }

    [Fact]
    public void Apply_ManySeeds_KeepsInkCentredAndNeverMirrors()
    {
        // A "7": ink along the top and down the right side. A horizontal flip would move the
        // vertical stroke to the left half; small affine jitter must keep it on the right.
        var img = new byte[784];
        for (var x = 6; x < 22; x++) img[6 * 28 + x] = 255;
        for (var y = 6; y < 23; y++) img[y * 28 + 20] = 255;
        var aug = new DigitAugmenter();
        for (var seed = 0; seed < 200; seed++)
        {
            var dst = new float[784];
            var rng = new SplitMix(seed);
            aug.Apply(img, dst, ref rng);
            double left = 0, right = 0, top = 0, bottom = 0;
            for (var y = 0; y < 28; y++)
                for (var x = 0; x < 28; x++)
                {
                    if (x < 14) left += dst[y * 28 + x]; else right += dst[y * 28 + x];
                    if (y < 14) top += dst[y * 28 + x]; else bottom += dst[y * 28 + x];
                }
            Assert.True(right > left, $"seed {seed}: ink moved left ({left} vs {right})");
            Assert.True(top > bottom * 0.8, $"seed {seed}: ink moved down");
            Assert.All(dst, v => Assert.InRange(v, 0f, 1f));
        }
    }
}
