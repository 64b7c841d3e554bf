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

public class FramePreprocessorQuadTests
{
    [Fact]
    public void Run_Quad_StraightensAndMapsBoxesInsideQuad()
    {
        var frame = EdgeDigits.Core.Tests.TestInfrastructure.TextRenderer.Render("73", EdgeDigits.Core.Tests.TestInfrastructure.TextRenderer.DejaVuSans, 300, 200, 90, 80, 140);
        PointF[] quad = [new(60, 50), new(240, 50), new(240, 160), new(60, 160)];
        var p = new FramePreprocessor();
        p.Run(frame, new PreprocessOptions { Quad = quad });
        Assert.Equal((180, 110), (p.Ink.Width, p.Ink.Height));
        var s = new EdgeDigits.Core.Segmentation.DigitSegmenter();
        Assert.Equal(2, s.Segment(p.Binary));
        var box = p.MapToSource(s.Regions[0].Box);
        Assert.InRange(box.X, 60, 240);
        Assert.InRange(box.Y, 50, 160);
    }

    [Fact]
    public void Run_QuadOutsideFrame_ThrowsNamingCorner()
    {
        PointF[] quad = [new(0, 0), new(500, 0), new(500, 100), new(0, 100)];
        var e = Assert.Throws<ArgumentException>(() => new FramePreprocessor().Run(new GrayImage(300, 200), new PreprocessOptions { Quad = quad }));
        Assert.Contains("(500,0)", e.Message);
    }

    [Fact]
    public void PointListTryParse_EightNumbers_FourPoints()
    {
        Assert.True(PointList.TryParse("1,2,3,4,5,6,7.5,8", 4, out var pts, out _));
        Assert.Equal(new PointF(7.5, 8), pts[3]);
        Assert.False(PointList.TryParse("1,2,3", 4, out _, out var error));
        Assert.Contains("4 points", error);
    }
}
