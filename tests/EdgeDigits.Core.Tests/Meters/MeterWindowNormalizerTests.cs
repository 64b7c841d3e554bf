using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Meters;

public sealed class MeterWindowNormalizerTests
{
    /// <summary>A 20x32 window: grey 100 background, a bright bar (200) in rows 8..15 across the middle columns.</summary>
    private static GrayImage Window()
    {
        var img = new GrayImage(20, 32);
        img.Fill(100);
        for (var y = 8; y < 16; y++)
            for (var x = 5; x < 15; x++) img[x, y] = 200;
        return img;
    }

    [Fact]
    public void Normalize_BarInUpperHalf_StaysInUpperHalfStretchedToFullRange()
    {
        var dst = new byte[MeterWindowNormalizer.Pixels];
        MeterWindowNormalizer.Normalize(Window(), new PixelRect(0, 0, 20, 32), dst);
        // Rows 8..15 of 32 map to 7..14 of 28; columns 5..14 of 20 to 7..20 of 28.
        Assert.Equal(255, dst[10 * 28 + 14]);
        Assert.Equal(0, dst[22 * 28 + 14]);
        Assert.Equal(0, dst[10 * 28 + 2]);
        Assert.InRange(dst.Count(v => v == 255), 80, 110);
    }

    [Fact]
    public void Normalize_DarkOnLightFace_KeepsPolarity()
    {
        var img = Window();
        img.Invert();
        var dst = new byte[MeterWindowNormalizer.Pixels];
        MeterWindowNormalizer.Normalize(img, img.Bounds, dst);
        Assert.Equal(0, dst[10 * 28 + 14]);
        Assert.Equal(255, dst[22 * 28 + 14]);
    }

    [Fact]
    public void Normalize_SubWindowOfLargerFrame_EqualsSameWindowAlone()
    {
        var frame = new GrayImage(64, 48);
        frame.Fill(30);
        var window = Window();
        for (var y = 0; y < 32; y++)
            for (var x = 0; x < 20; x++) frame[x + 17, y + 9] = window[x, y];
        var a = new byte[MeterWindowNormalizer.Pixels];
        var b = new byte[MeterWindowNormalizer.Pixels];
        MeterWindowNormalizer.Normalize(frame, new PixelRect(17, 9, 20, 32), a);
        MeterWindowNormalizer.Normalize(window, window.Bounds, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Normalize_FlatWindow_IsMidGrey()
    {
        var img = new GrayImage(20, 32);
        img.Fill(77);
        var dst = new byte[MeterWindowNormalizer.Pixels];
        MeterWindowNormalizer.Normalize(img, img.Bounds, dst);
        Assert.All(dst, v => Assert.Equal(128, v));
    }

    [Theory]
    [InlineData(-1, 0, 20, 32)]
    [InlineData(0, 0, 21, 32)]
    [InlineData(0, 1, 20, 32)]
    [InlineData(0, 0, 0, 32)]
    public void Normalize_WindowOutsideFrame_Throws(int x, int y, int w, int h)
    {
        var dst = new byte[MeterWindowNormalizer.Pixels];
        var ex = Assert.Throws<ArgumentException>(() => MeterWindowNormalizer.Normalize(Window(), new PixelRect(x, y, w, h), dst));
        Assert.Contains("not inside the 20x32 frame", ex.Message);
    }

    [Fact]
    public void Normalize_SteadyState_AllocatesNothing()
    {
        var img = Window();
        var dst = new byte[MeterWindowNormalizer.Pixels];
        var bytes = Allocations.SteadyState(() => MeterWindowNormalizer.Normalize(img, img.Bounds, dst));
        Assert.Equal(0, bytes);
    }
}
