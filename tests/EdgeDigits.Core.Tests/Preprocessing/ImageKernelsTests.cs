using EdgeDigits.Core.Preprocessing;

namespace EdgeDigits.Core.Tests.Preprocessing;

public class ImageKernelsTests
{
    private static byte[] Random(int n, int seed)
    {
        var r = new Random(seed);
        var a = new byte[n];
        r.NextBytes(a);
        return a;
    }

    [Fact]
    public void Invert_AllLengths0To256_MatchesScalar()
    {
        for (int n = 0; n <= 256; n++)
        {
            var src = Random(n, n);
            var v = new byte[n];
            var s = new byte[n];
            ImageKernels.Invert(src, v);
            ImageKernels.InvertScalar(src, s);
            Assert.Equal(s, v);
        }
    }

    [Fact]
    public void Threshold_AllLengths0To256_MatchesScalar()
    {
        for (int n = 0; n <= 256; n++)
        {
            var src = Random(n, 1000 + n);
            var v = new byte[n];
            var s = new byte[n];
            ImageKernels.Threshold(src, v, (byte)(n % 256));
            ImageKernels.ThresholdScalar(src, s, (byte)(n % 256));
            Assert.Equal(s, v);
        }
    }

    [Fact]
    public void SubtractSaturate_AllLengths0To256_MatchesScalar()
    {
        for (int n = 0; n <= 256; n++)
        {
            var a = Random(n, 2000 + n);
            var b = Random(n, 3000 + n);
            var v = new byte[n];
            var s = new byte[n];
            ImageKernels.SubtractSaturate(a, b, v);
            ImageKernels.SubtractSaturateScalar(a, b, s);
            Assert.Equal(s, v);
        }
    }

    [Fact]
    public void Invert_InPlace_Works()
    {
        var a = Random(100, 7);
        var expected = a.Select(x => (byte)(255 - x)).ToArray();
        ImageKernels.Invert(a, a);
        Assert.Equal(expected, a);
    }

    [Fact]
    public void Threshold_ShortDestination_Throws()
    {
        Assert.Throws<ArgumentException>(() => ImageKernels.Threshold(new byte[10], new byte[9], 5));
    }

    [Fact]
    public void OtsuThreshold_TwoPeaks_SplitsBetweenThem()
    {
        var h = new int[256];
        h[40] = 500; h[45] = 300; h[200] = 100; h[210] = 80;
        byte t = ImageKernels.OtsuThreshold(h);
        Assert.InRange(t, 45, 199);
    }

    [Fact]
    public void EstimateBackground_Gradient_FollowsPaperNotInk()
    {
        int w = 200, h = 100;
        var img = new byte[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                img[y * w + x] = (byte)(220 - x / 2 - ((x / 10 % 4 == 0) ? 100 : 0));   // dark stripes every 40 px
        var bg = new byte[w * h];
        var grid = new byte[ImageKernels.BackgroundGridLength(w, h, 16)];
        ImageKernels.EstimateBackground(img, w, h, w, 16, grid, bg);
        for (int x = 10; x < w - 10; x += 7)
            Assert.InRange(bg[50 * w + x], 220 - x / 2 - 20, 220 - x / 2 + 25);
    }

    [Fact]
    public void Sauvola_DarkBlockOnPaper_MarksOnlyTheBlock()
    {
        int w = 60, h = 40;
        var img = Enumerable.Repeat((byte)200, w * h).ToArray();
        for (int y = 10; y < 20; y++) for (int x = 20; x < 30; x++) img[y * w + x] = 40;
        var dst = new byte[w * h];
        ImageKernels.Sauvola(img, w, h, w, 15, 0.2, 128, new long[(w + 1) * (h + 1)], new long[(w + 1) * (h + 1)], dst);
        Assert.Equal(255, dst[15 * w + 25]);
        Assert.Equal(0, dst[30 * w + 50]);
        Assert.Equal(100, dst.Count(v => v == 255));
    }

    [Fact]
    public void Rotate_ByNinety_MovesPointAsExpected()
    {
        int w = 21, h = 21;
        var img = new byte[w * h];
        img[10 * w + 15] = 255;                 // 5 px right of centre
        var dst = new byte[w * h];
        ImageKernels.Rotate(img, w, h, w, 90, 0, dst);
        Assert.Equal(255, dst[5 * w + 10]);     // counter-clockwise on screen: now 5 px above centre
    }
}
