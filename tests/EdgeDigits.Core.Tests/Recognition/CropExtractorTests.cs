using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Synthesis;

namespace EdgeDigits.Core.Tests.Recognition;

public class CropExtractorTests
{
    private static InkPoint[] Line(float x0, float y0, float x1, float y1, long t0, int n = 10) =>
        Enumerable.Range(0, n).Select(i => new InkPoint(x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1), t0 + 10 * i)).ToArray();

    /// <summary>Three strokes a little apart, each written 210 ms after the last: one group of three pieces.</summary>
    private static readonly Ink ThreeQuickStrokes = new(300, 200, [Line(20, 10, 45, 90, 0), Line(50, 10, 75, 90, 300), Line(80, 10, 105, 90, 600)]);

    [Fact]
    public void InkStrokes_EveryCropIsDrawnFromItsRunsStrokes()
    {
        var x = new CropExtractor();
        x.Extract(ThreeQuickStrokes, splits: true);
        Assert.Equal([0, 1, 2], x.InkStrokes(0).ToArray());
        for (int first = 0; first < 3; first++)
            for (int count = 1; first + count <= 3; count++)
                Assert.Equal(Enumerable.Range(first, count).ToArray(), x.InkStrokes(x.InkRunCrop(0, first, count)).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => x.InkStrokes(6));
    }

    [Fact]
    public void InkStrokes_AfterAFrame_RefusedWithTheReason()
    {
        var x = new CropExtractor();
        x.Extract(StrokeFont.Write("7", 60, 10, 10, 100, 100), splits: false);
        Assert.Equal([0], x.InkStrokes(0).ToArray());
        var frame = new GrayImage(40, 40);
        x.Extract(frame, NumberReaderOptions.Default);
        Assert.Contains("frame", Assert.Throws<InvalidOperationException>(() => x.InkStrokes(0)).Message);
    }

    [Fact]
    public void Extract_WithSplits_EveryRunOfPiecesHasItsOwnCropWithItsBox()
    {
        var x = new CropExtractor();
        Assert.Equal(6, x.Extract(ThreeQuickStrokes, splits: true));   // the group, then 5 runs of its 3 pieces
        Assert.Equal(1, x.RegionCount);
        Assert.Equal(3, x.InkPieceCount(0));
        var seen = new HashSet<int>();
        for (int first = 0; first < 3; first++)
            for (int count = 1; first + count <= 3; count++)
            {
                int crop = x.InkRunCrop(0, first, count);
                Assert.True(seen.Add(crop));
                var box = x.CropBox(crop);
                Assert.Equal(20 + 30 * first, box.X);
                Assert.Equal(25 + 30 * (count - 1), box.Width);
            }
        Assert.Equal(0, x.InkRunCrop(0, 0, 3));
    }

    [Fact]
    public void InkPieceCount_AfterAFrame_IsOne()
    {
        var x = new CropExtractor();
        x.Extract(ThreeQuickStrokes, splits: true);
        var frame = new EdgeDigits.Core.Imaging.GrayImage(64, 32);
        frame.Fill(255);
        for (int y = 6; y < 26; y++) { frame[10, y] = 0; frame[11, y] = 0; frame[40, y] = 0; frame[41, y] = 0; }
        int n = x.Extract(frame, NumberReaderOptions.Default);
        for (int i = 0; i < x.RegionCount; i++) Assert.Equal(1, x.InkPieceCount(i));
        Assert.InRange(x.RegionCount, 1, n);
    }

    [Fact]
    public void Extract_WithoutSplits_OneCropPerGroup()
    {
        var x = new CropExtractor();
        Assert.Equal(1, x.Extract(ThreeQuickStrokes));
        Assert.Equal(1, x.InkPieceCount(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.InkRunCrop(0, 1, 1));
    }
}
