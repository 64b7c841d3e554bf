using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Imaging;

public class DigitNormalizerTests
{
    private static (double X, double Y) CentreOfMass(ReadOnlySpan<byte> img)
    {
        double m = 0, mx = 0, my = 0;
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
            {
                m += img[y * 28 + x];
                mx += img[y * 28 + x] * x;
                my += img[y * 28 + x] * y;
            }
        return (mx / m, my / m);
    }

    private static PixelRect InkBox(ReadOnlySpan<byte> img) => DigitNormalizer.FindInk(img, 28, 28, 28, 0);

    private static GrayImage Canvas(int w, int h, params PixelRect[] blocks)
    {
        var img = new GrayImage(w, h);
        foreach (var b in blocks)
            for (int y = b.Y; y < b.Bottom; y++) img.Row(y).Slice(b.X, b.Width).Fill(255);
        return img;
    }

    [Theory]
    [InlineData(10, 10, 6, 40)]    // tall bar, like a '1'
    [InlineData(5, 30, 60, 8)]     // wide bar, like a '-'
    [InlineData(0, 0, 100, 100)]   // big square filling the crop
    [InlineData(40, 3, 3, 3)]      // tiny blob, upscaled
    public void Normalize_Rectangle_CentreOfMassWithinHalfPixelOfCentre(int x, int y, int w, int h)
    {
        var img = Canvas(120, 120, new PixelRect(x, y, w, h));
        var dst = new byte[784];
        var r = new DigitNormalizer().Normalize(img, img.Bounds, dst);

        Assert.False(r.IsEmpty);
        var (cx, cy) = CentreOfMass(dst);
        Assert.InRange(cx, 13.5, 14.5);
        Assert.InRange(cy, 13.5, 14.5);
    }

    [Fact]
    public void Normalize_LShape_CentreOfMassWithinHalfPixelOfCentre()
    {
        // An 'L': the mass sits low-left of the box centre, so the box must shift right/up.
        var img = Canvas(80, 80, new PixelRect(10, 10, 8, 50), new PixelRect(10, 52, 35, 8));
        var dst = new byte[784];
        new DigitNormalizer().Normalize(img, img.Bounds, dst);
        var (cx, cy) = CentreOfMass(dst);
        Assert.InRange(cx, 13.5, 14.5);
        Assert.InRange(cy, 13.5, 14.5);
        var box = InkBox(dst);
        Assert.True(box.X > 4, $"box {box} should be shifted right of the plain centring position 4");
    }

    [Theory]
    [InlineData(6, 40)]
    [InlineData(60, 8)]
    [InlineData(3, 3)]
    [InlineData(200, 150)]
    public void Normalize_AnyInkSize_LongerSideIsTwentyPixels(int w, int h)
    {
        var img = Canvas(w + 20, h + 20, new PixelRect(10, 10, w, h));
        var dst = new byte[784];
        var r = new DigitNormalizer().Normalize(img, img.Bounds, dst);

        Assert.Equal(20, Math.Max(r.ScaledWidth, r.ScaledHeight));
        var box = InkBox(dst);
        Assert.Equal(20, Math.Max(box.Width, box.Height));
    }

    [Theory]
    [InlineData(60, 30, 20, 10)]
    [InlineData(30, 90, 7, 20)]
    [InlineData(45, 50, 18, 20)]
    public void Normalize_Rectangle_KeepsAspectRatio(int w, int h, int expectedW, int expectedH)
    {
        var img = Canvas(w, h, new PixelRect(0, 0, w, h));
        var dst = new byte[784];
        var r = new DigitNormalizer().Normalize(img, img.Bounds, dst);

        Assert.Equal((expectedW, expectedH), (r.ScaledWidth, r.ScaledHeight));
        var box = InkBox(dst);
        Assert.Equal((expectedW, expectedH), (box.Width, box.Height));
    }

    [Fact]
    public void Normalize_EmptyCrop_ReturnsEmptyAndClearsOutput()
    {
        var img = new GrayImage(30, 30);
        var dst = Enumerable.Repeat((byte)99, 784).ToArray();
        var r = new DigitNormalizer().Normalize(img, img.Bounds, dst);

        Assert.True(r.IsEmpty);
        Assert.All(dst, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Normalize_BelowInkThreshold_IsEmpty()
    {
        var img = new GrayImage(30, 30);
        img[5, 5] = 20;
        var r = new DigitNormalizer { InkThreshold = 32 }.Normalize(img, img.Bounds, new byte[784]);
        Assert.True(r.IsEmpty);
    }

    [Fact]
    public void Normalize_DownscaledDiagonal_IsAntiAliased()
    {
        var img = new GrayImage(100, 100);
        for (int i = 0; i < 100; i++)
            for (int t = -3; t <= 3; t++)
                if (i + t is >= 0 and < 100) img[i + t, i] = 255;
        var dst = new byte[784];
        new DigitNormalizer().Normalize(img, img.Bounds, dst);
        Assert.Contains(dst, v => v is > 20 and < 235);
    }

    [Fact]
    public void Normalize_MnistTestDigits_ReproducesTheirLayout()
    {
        // MNIST digits are already normalized: renormalizing must land them within a pixel of where
        // they were (same convention), otherwise the device would feed the model shifted digits.
        var n = new DigitNormalizer();
        var dst = new byte[784];
        double sumShift = 0;
        int count = 200;
        for (int i = 0; i < count; i++)
        {
            var src = MnistTestSet.Image(i);
            n.Normalize(src, 28, 28, 28, dst);
            var (ax, ay) = CentreOfMass(src);
            var (bx, by) = CentreOfMass(dst);
            Assert.InRange(bx, 13.5, 14.5);
            Assert.InRange(by, 13.5, 14.5);
            sumShift += Math.Abs(ax - bx) + Math.Abs(ay - by);
            var box = InkBox(dst);
            Assert.Equal(20, Math.Max(box.Width, box.Height));
        }
        Assert.True(sumShift / count < 1.0, $"mean centre-of-mass shift {sumShift / count:0.00} px");
    }

    [Fact]
    public void Normalize_SameInputTwice_IsBitIdentical()
    {
        var img = Canvas(50, 70, new PixelRect(3, 4, 20, 50), new PixelRect(20, 5, 25, 9));
        var a = new byte[784];
        var b = new byte[784];
        new DigitNormalizer().Normalize(img, img.Bounds, a);
        var n = new DigitNormalizer();
        n.Normalize(Canvas(300, 300, new PixelRect(0, 0, 300, 300)), new PixelRect(0, 0, 300, 300), b);
        n.Normalize(img, img.Bounds, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Normalize_SubRegionWithStride_MatchesCroppedCopy()
    {
        var img = Canvas(100, 80, new PixelRect(30, 20, 12, 30), new PixelRect(5, 5, 4, 4));
        var region = new PixelRect(25, 15, 30, 45);
        var a = new byte[784];
        var b = new byte[784];
        new DigitNormalizer().Normalize(img, region, a);
        new DigitNormalizer().Normalize(img.Crop(region), new PixelRect(0, 0, 30, 45), b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Normalize_SteadyState_AllocatesNothing()
    {
        var img = Canvas(120, 160, new PixelRect(30, 20, 15, 120), new PixelRect(30, 20, 60, 12));
        var n = new DigitNormalizer();
        var dst = new byte[784];
        Assert.Equal(0, Allocations.SteadyState(() => n.Normalize(img, img.Bounds, dst), callsPerWindow: 20));
    }

    [Fact]
    public void Normalize_ShortDestination_Throws()
    {
        var img = Canvas(10, 10, new PixelRect(2, 2, 4, 4));
        var e = Assert.Throws<ArgumentException>(() => new DigitNormalizer().Normalize(img, img.Bounds, new byte[100]));
        Assert.Contains("784", e.Message);
    }

    [Fact]
    public void Shift_WholeAndHalfPixels_MovesAndSplitsTheInk()
    {
        var src = new byte[DigitNormalizer.PixelCount];
        src[10 * 28 + 10] = 200;
        src[0 * 28 + 27] = 255;   // moved right, it leaves the field
        var dst = new byte[DigitNormalizer.PixelCount];
        DigitNormalizer.Shift(src, 0, 0, dst);
        Assert.Equal(src, dst);
        DigitNormalizer.Shift(src, 1, 0, dst);
        Assert.Equal(200, dst[10 * 28 + 11]);
        Assert.Equal(200, dst.Sum(v => v));
        DigitNormalizer.Shift(src, 0.5f, -1, dst);
        Assert.Equal(100, dst[9 * 28 + 10]);
        Assert.Equal(100, dst[9 * 28 + 11]);
        Assert.Equal(200, dst.Sum(v => v));   // the corner pixel moved up leaves the field
        Assert.Throws<ArgumentException>(() => DigitNormalizer.Shift(src, 1, 0, new byte[100]));
    }
}
