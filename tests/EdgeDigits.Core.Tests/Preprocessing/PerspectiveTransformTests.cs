using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Preprocessing;

namespace EdgeDigits.Core.Tests.Preprocessing;

public class PerspectiveTransformTests
{
    [Fact]
    public void FromQuad_Corners_MapExactly()
    {
        PointF[] q = [new(10, 20), new(110, 30), new(120, 90), new(5, 80)];
        var t = PerspectiveTransform.FromQuad(q, 200, 50);
        var p = t.Map(200, 50);
        Assert.Equal(120, p.X, 6);
        Assert.Equal(90, p.Y, 6);
        p = t.Map(0, 0);
        Assert.Equal(10, p.X, 6);
        Assert.Equal(20, p.Y, 6);
    }

    [Fact]
    public void FromQuad_Collinear_ThrowsClearError()
    {
        PointF[] q = [new(0, 0), new(10, 0), new(20, 0), new(30, 0)];
        var e = Assert.Throws<ArgumentException>(() => PerspectiveTransform.FromQuad(q, 10, 10));
        Assert.Contains("degenerate", e.Message);
    }

    [Fact]
    public void Warp_SkewedRectangle_BecomesUpright()
    {
        // A bright parallelogram in the source becomes the whole output when its corners are the quad.
        var src = new GrayImage(100, 100);
        PointF[] q = [new(20, 20), new(80, 30), new(80, 70), new(20, 60)];
        for (int y = 0; y < 100; y++)
            for (int x = 20; x < 80; x++)
            {
                double top = 20 + (x - 20) / 6.0, bottom = 60 + (x - 20) / 6.0;
                if (y >= top && y < bottom) src[x, y] = 255;
            }
        var t = PerspectiveTransform.FromQuad(q, 60, 40);
        var dst = new GrayImage(1, 1);
        t.Warp(src, dst);
        Assert.Equal((60, 40), (dst.Width, dst.Height));
        int bright = 0;
        for (int y = 2; y < 38; y++) for (int x = 2; x < 58; x++) if (dst[x, y] > 200) bright++;
        Assert.True(bright > 0.97 * 56 * 36, $"{bright} bright pixels");
    }
}
