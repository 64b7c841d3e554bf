using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Preprocessing;

namespace EdgeDigits.Core.Tests.Preprocessing;

public class LineRemoverTests
{
    private static GrayImage Blocks(int w, int h, params PixelRect[] rects) => Segmentation.DigitSegmenterTests.Blocks(w, h, rects);

    [Fact]
    public void Run_RulingLineThroughStroke_RemovesLineKeepsCrossing()
    {
        // A 2 px ruling line across a 200 px frame, crossed by a 4 px wide, 40 px tall stroke.
        var bin = Blocks(200, 80, new PixelRect(0, 50, 200, 2), new PixelRect(100, 30, 4, 40));
        var ink = bin.Clone();
        var lines = new LineRemover();
        lines.Run(bin, ink);
        Assert.Equal(0, bin[10, 50]);
        Assert.Equal(0, bin[190, 51]);
        Assert.Equal(0, ink[10, 50]);
        for (int y = 30; y < 70; y++) Assert.Equal(255, bin[101, y]);   // the stroke stays whole where it crosses
        Assert.Equal(2 * 196, lines.RemovedPixels);
    }

    [Fact]
    public void Run_ThickStripAlongEdge_Removed()
    {
        // A black scanner strip: 12 px wide along the left edge of a 300 px tall frame (aspect 25).
        var bin = Blocks(200, 300, new PixelRect(0, 0, 12, 300), new PixelRect(80, 100, 30, 60));
        new LineRemover().Run(bin, null);
        Assert.Equal(0, bin[5, 150]);
        Assert.Equal(255, bin[90, 120]);
    }

    [Fact]
    public void Run_ShortThickBar_Kept()
    {
        // The bar of a 7: long for a digit (60 px of a 100 px frame) but only 7 stroke widths long.
        var bin = Blocks(100, 100, new PixelRect(20, 20, 60, 9));
        new LineRemover().Run(bin, null);
        Assert.Equal(255, bin[50, 24]);
    }

    [Fact]
    public void Run_Disabled_LeavesLines()
    {
        var bin = Blocks(200, 80, new PixelRect(0, 50, 200, 2));
        new LineRemover().Run(bin, null, LineRemovalOptions.Off);
        Assert.Equal(255, bin[10, 50]);
    }
}
