using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Segmentation;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Preprocessing;

public class FramePreprocessorTests
{
    [Fact]
    public void Run_DarkInkOnPaperWithGradient_FlatInkMaskWithoutBackground()
    {
        var frame = TextRenderer.Render("2024", TextRenderer.DejaVuSans, 640, 480, 140, 80, 300, gradient: 120);
        var p = new FramePreprocessor();
        p.Run(frame);
        Assert.False(p.Inverted);
        // The darkened right edge of the paper must not become ink.
        Assert.Equal(0, p.Binary[630, 20]);
        Assert.Equal(0, p.Binary[630, 460]);
        var s = new DigitSegmenter();
        Assert.Equal(4, s.Segment(p.Binary));
    }

    [Fact]
    public void Run_LightDigitsOnDark_DetectsPolarity()
    {
        var frame = TextRenderer.Render("917", TextRenderer.DejaVuSans, 400, 200, 120, 60, 150, ink: 230, paper: 25);
        var p = new FramePreprocessor();
        p.Run(frame);
        Assert.True(p.Inverted);
        Assert.Equal(3, new DigitSegmenter().Segment(p.Binary));
    }

    [Fact]
    public void Run_Roi_MapsBoxesBackToFrame()
    {
        var frame = TextRenderer.Render("5", TextRenderer.DejaVuSans, 300, 200, 100, 200, 150);
        var p = new FramePreprocessor();
        p.Run(frame, new PreprocessOptions { Roi = new PixelRect(150, 20, 140, 170) });
        var s = new DigitSegmenter();
        Assert.Equal(1, s.Segment(p.Binary));
        var box = p.MapToSource(s.Regions[0].Box);
        var truth = DigitNormalizer.FindInk(Invert(frame).Data, 300, 200, 300, 100);
        Assert.InRange(box.X, truth.X - 2, truth.X + 2);
        Assert.InRange(box.Y, truth.Y - 2, truth.Y + 2);
    }

    [Fact]
    public void Run_RoiOutsideFrame_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => new FramePreprocessor().Run(new GrayImage(100, 100), new PreprocessOptions { Roi = new PixelRect(50, 50, 60, 10) }));
        Assert.Contains("50,50,60,10", e.Message);
    }

    [Fact]
    public void Run_BlankFrame_NoInk()
    {
        var frame = new GrayImage(200, 100);
        frame.Fill(200);
        var p = new FramePreprocessor();
        p.Run(frame);
        Assert.Equal(0, new DigitSegmenter().Segment(p.Binary));
    }

    [Fact]
    public void Run_Sauvola_FindsDigits()
    {
        var frame = TextRenderer.Render("38", TextRenderer.DejaVuSans, 300, 160, 110, 40, 120, gradient: 80);
        var p = new FramePreprocessor();
        p.Run(frame, new PreprocessOptions { Threshold = ThresholdMethod.Sauvola });
        Assert.Equal(2, new DigitSegmenter().Segment(p.Binary));
    }

    [Fact]
    public void Run_SteadyState_AllocatesNothing()
    {
        var frame = TextRenderer.Render("123456", TextRenderer.DejaVuSans, 640, 480, 100, 30, 280);
        var p = new FramePreprocessor();
        var s = new DigitSegmenter();
        var crop = new byte[784];
        var n = new DigitNormalizer();
        void Once()
        {
            p.Run(frame);
            s.Segment(p.Binary);
            foreach (var r in s.Regions)
            {
                var c = s.ExtractCrop(p.Ink, r);
                n.Normalize(c, s.CropBox.Width, s.CropBox.Height, s.CropBox.Width, crop);
            }
        }
        Assert.Equal(0, Allocations.SteadyState(Once, callsPerWindow: 1));
        Assert.Equal(6, s.RegionCount);
    }

    [Fact]
    public void Rotate_SlantedLine_MapToSourceUndoesIt()
    {
        var frame = TextRenderer.Render("4", TextRenderer.DejaVuSans, 300, 300, 100, 120, 190);
        var p = new FramePreprocessor();
        p.Run(frame);
        var s = new DigitSegmenter();
        s.Segment(p.Binary);
        var before = s.Regions[0].Box;
        p.Rotate(10);
        s.Segment(p.Binary);
        var mapped = p.MapToSource(s.Regions[0].Box);
        Assert.InRange(mapped.X + mapped.Width / 2, before.X + before.Width / 2 - 4, before.X + before.Width / 2 + 4);
        Assert.InRange(mapped.Y + mapped.Height / 2, before.Y + before.Height / 2 - 4, before.Y + before.Height / 2 + 4);
    }

    private static GrayImage Invert(GrayImage g)
    {
        var c = g.Clone();
        c.Invert();
        return c;
    }
}
