using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Inks;

public class InkSegmenterTests
{
    private static InkPoint[] Line(float x0, float y0, float x1, float y1, long t0, int n = 10) =>
        Enumerable.Range(0, n).Select(i => new InkPoint(x0 + (x1 - x0) * i / (n - 1), y0 + (y1 - y0) * i / (n - 1), t0 + 10 * i)).ToArray();

    private static int[][] Groups(Ink ink)
    {
        var s = new InkSegmenter();
        int n = s.Split(ink);
        return Enumerable.Range(0, n).Select(g => s.StrokesOf(g).ToArray()).ToArray();
    }

    [Fact]
    public void Split_FourWrittenLeftToRight_FourGroupsInOrder()
    {
        var ink = new Ink(400, 200, [Line(10, 10, 10, 90, 0), Line(60, 10, 90, 90, 500), Line(130, 10, 160, 90, 1000), Line(200, 10, 230, 90, 1500)]);
        Assert.Equal([[0], [1], [2], [3]], Groups(ink));
    }

    [Fact]
    public void Split_FourWithCrossBar_IsOneDigit()
    {
        // A "4": down-stroke, then the cross bar and the stem written later.
        var ink = new Ink(200, 200, [Line(40, 10, 20, 60, 0), Line(20, 60, 80, 60, 200), Line(65, 20, 65, 100, 400)]);
        Assert.Single(Groups(ink));
    }

    [Fact]
    public void Split_WideFourWhoseHalvesOnlyTouch_IsOneDigit()
    {
        // A wide "4": the right arm first, then the left arm and bar meeting it, then the stem below.
        // The two arms only touch and, alone, are wider than a digit; with the stem they are not.
        var ink = new Ink(200, 200, [Line(110, 30, 76, 90, 0), Line(20, 42, 76, 90, 300), Line(40, 90, 44, 116, 650)]);
        Assert.Single(Groups(ink));
    }

    [Fact]
    public void Split_TwoTouchingDigitsAfterADigitPause_StayTwo()
    {
        // Two slanted strokes that touch, with the pause people leave between digits: two digits.
        var ink = new Ink(200, 200, [Line(20, 10, 50, 90, 0), Line(50, 10, 80, 90, 600)]);
        Assert.Equal(2, Groups(ink).Length);
    }

    [Fact]
    public void Split_DigitsWrittenRightToLeft_OrderedByPosition()
    {
        var ink = new Ink(400, 200, [Line(200, 10, 230, 90, 0), Line(10, 10, 40, 90, 500)]);
        Assert.Equal([[1], [0]], Groups(ink));
    }

    [Fact]
    public void Split_DetachedBarOfFive_JoinsTheDigit()
    {
        // Body of a 5, then its top bar lifted a little to the right and written right after.
        var ink = new Ink(300, 200, [Line(20, 40, 60, 100, 0), Line(66, 20, 95, 22, 200), Line(160, 20, 160, 100, 900)]);
        Assert.Equal([[0, 1], [2]], Groups(ink));
    }

    [Fact]
    public void Split_TopBarOfFiveFloatingFarRight_JoinsTheDigit()
    {
        // A narrow 5 whose top bar, written right after the body, floats well off to the right: the
        // merged box is 1.4x wider than tall, too wide for a piece from elsewhere.
        var ink = new Ink(400, 200, [Line(20, 30, 45, 100, 0), Line(62, 22, 130, 24, 200), Line(200, 20, 200, 100, 900)]);
        Assert.Equal([[0, 1], [2]], Groups(ink));
    }

    [Fact]
    public void Split_CrumbsOfABrokenStrokeWrittenWithTheDigit_JoinIt()
    {
        // A 7, then two crumbs of a broken stroke a little to its right (spread over most of the digit's
        // height, but with little ink), written right after it; then the next digit after a pause.
        var ink = new Ink(400, 200,
            [[.. Line(60, 20, 100, 20, 0), .. Line(100, 20, 70, 100, 100)], Line(125, 25, 125, 35, 350, 4), Line(125, 75, 125, 85, 520, 4), Line(200, 20, 200, 100, 1400)]);
        Assert.Equal([[0, 1, 2], [3]], Groups(ink));
    }

    [Fact]
    public void Split_FlatFootOfTwoWrittenRightAfter_WidensTheDigit()
    {
        // The curve of a 2, then its foot as a separate stroke that runs well to the right (merged box
        // 1.6x wider than tall), then the next digit.
        var ink = new Ink(400, 200, [Line(20, 20, 60, 100, 0), Line(62, 98, 150, 102, 180), Line(220, 20, 220, 100, 900)]);
        Assert.Equal([[0, 1], [2]], Groups(ink));
    }

    [Fact]
    public void Split_FlatStrokeAfterALongPause_DoesNotWidenTheDigit()
    {
        // The same strokes, but the flat one comes after a pause between digits: it is not the 2's foot.
        var ink = new Ink(400, 200, [Line(20, 20, 60, 100, 0), Line(62, 98, 150, 102, 900), Line(220, 20, 220, 100, 1800)]);
        Assert.Equal(3, Groups(ink).Length);
    }

    [Fact]
    public void Split_StrayDot_IsDropped()
    {
        var ink = new Ink(300, 200, [Line(20, 10, 20, 100, 0), [new InkPoint(150, 90, 900)], Line(220, 10, 220, 100, 1500)]);
        Assert.Equal([[0], [2]], Groups(ink));
    }

    [Fact]
    public void Split_EmptyInk_NoGroups()
    {
        Assert.Empty(Groups(new Ink(100, 100, [])));
        Assert.Empty(Groups(new Ink(100, 100, [Array.Empty<InkPoint>()])));
    }

    private static int[][] Pieces(Ink ink, int maxPieces = 4)
    {
        var s = new InkSegmenter { MaxPieces = maxPieces };
        Assert.Equal(1, s.Split(ink));
        return Enumerable.Range(0, s.PieceCount(0)).Select(p => s.StrokesOfPieces(0, p, 1).ToArray()).ToArray();
    }

    [Fact]
    public void PieceCount_TwoDigitsWrittenQuicklyAndClose_TwoPiecesLeftToRight()
    {
        // Two strokes a digit apart in x, 0.06 of the height apart and 150 ms apart: the time rule joins them,
        // so the group is in doubt; its pieces come left to right even when the right one was written first.
        var ink = new Ink(300, 200, [Line(75, 10, 105, 90, 0), Line(20, 10, 70, 90, 240)]);
        Assert.Equal([[1], [0]], Pieces(ink));
    }

    [Fact]
    public void Split_StrokesWrittenQuicklyBeyondJoinDistance_StayTwo()
    {
        // The same strokes 0.125 of the height apart: beyond JoinDistance (0.1), the time rule does not join them.
        var ink = new Ink(300, 200, [Line(80, 10, 110, 90, 0), Line(20, 10, 70, 90, 240)]);
        Assert.Equal([[1], [0]], Groups(ink));
    }

    [Fact]
    public void PieceCount_StrokesThatOverlapInX_OnePiece()
    {
        // The "4" of Split_FourWithCrossBar_IsOneDigit: its strokes overlap in x, so no split is weighed.
        var ink = new Ink(200, 200, [Line(40, 10, 20, 60, 0), Line(20, 60, 80, 60, 200), Line(65, 20, 65, 100, 400)]);
        Assert.Equal([[0, 1, 2]], Pieces(ink));
    }

    [Fact]
    public void PieceCount_StrokeWrittenJustBesideTheLastOne_TwoPieces()
    {
        // A stem 2 px right of the previous stroke's end overlaps it only within the tolerance: joined, but
        // written 150 ms after it, the join is weighed (a 1 touching the digit before it) rather than forced.
        var ink = new Ink(200, 200, [Line(20, 10, 50, 90, 0), Line(52, 10, 52, 90, 240)]);
        Assert.Equal([[0], [1]], Pieces(ink));
    }

    [Fact]
    public void PieceCount_NarrowStrokeLeaningIntoTheNextDigitAfterAPause_TwoPieces()
    {
        // A "1" (x 40-46), then after a digit's pause a wide stroke starting 4 px inside it: the overlap is 2/3 of the 1
        // but under 0.3 of the wide stroke, so the join is weighed (a 1 touching the next digit) rather than forced.
        var ink = new Ink(200, 200, [Line(46, 10, 40, 90, 0), Line(42, 10, 90, 90, 600)]);
        Assert.Equal([[0], [1]], Pieces(ink));
    }

    [Fact]
    public void PieceCount_StrokeAfterAPauseOverlappingMuchOfTheWiderOne_OnePiece()
    {
        // A tall stroke written after a pause across half the x-range of a wider tall one: the overlap covers half of
        // the wider stroke, so the join is forced whatever the pause.
        var ink = new Ink(200, 200, [Line(20, 10, 60, 90, 0), Line(50, 10, 30, 90, 600)]);
        Assert.Equal([[0, 1]], Pieces(ink));
    }

    [Fact]
    public void PieceCount_DetachedBarOfFive_OnePiece()
    {
        var ink = new Ink(200, 200, [Line(20, 40, 60, 100, 0), Line(66, 20, 95, 22, 200)]);
        Assert.Equal([[0, 1]], Pieces(ink));
    }

    [Fact]
    public void PieceCount_CrumbsWrittenWithTheDigit_OnePiece()
    {
        var ink = new Ink(200, 200, [[.. Line(60, 20, 100, 20, 0), .. Line(100, 20, 70, 100, 100)], Line(125, 25, 125, 35, 350, 4), Line(125, 75, 125, 85, 520, 4)]);
        Assert.Equal([[0, 1, 2]], Pieces(ink));
    }

    [Fact]
    public void PieceCount_TouchingTallHalvesWrittenTogether_TwoPieces()
    {
        // The wide "4" of Split_WideFourWhoseHalvesOnlyTouch_IsOneDigit: only the time rules make its halves one.
        var ink = new Ink(200, 200, [Line(110, 30, 76, 90, 0), Line(20, 42, 76, 90, 300), Line(40, 90, 44, 116, 650)]);
        Assert.Equal(2, Pieces(ink).Length);
    }

    [Fact]
    public void PieceCount_MorePiecesThanMaxPieces_GroupLeftWhole()
    {
        var ink = new Ink(300, 200, [Line(20, 10, 45, 90, 0), Line(50, 10, 75, 90, 300), Line(80, 10, 105, 90, 600)]);
        Assert.Equal(3, Pieces(ink).Length);
        Assert.Equal([[0, 1, 2]], Pieces(ink, maxPieces: 2));
    }

    [Fact]
    public void StrokesOfPieces_RunOfPieces_TheirStrokesBackToBack()
    {
        var ink = new Ink(300, 200, [Line(20, 10, 45, 90, 0), Line(50, 10, 75, 90, 300), Line(80, 10, 105, 90, 600)]);
        var s = new InkSegmenter();
        s.Split(ink);
        Assert.Equal([1, 2], s.StrokesOfPieces(0, 1, 2).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => s.StrokesOfPieces(0, 2, 2));
    }

    [Fact]
    public void Split_SteadyState_AllocatesNothing()
    {
        var ink = new Ink(400, 200, [Line(10, 10, 10, 90, 0), Line(60, 10, 90, 90, 500), Line(130, 10, 160, 90, 1000)]);
        var s = new InkSegmenter();
        Assert.Equal(0, Allocations.SteadyState(() => s.Split(ink)));
    }
}

public class InkRasterizerTests
{
    private static InkPoint[] Circle(float cx, float cy, float r, int n = 40) =>
        Enumerable.Range(0, n + 1).Select(i => new InkPoint(cx + r * MathF.Cos(i * 2 * MathF.PI / n), cy + r * MathF.Sin(i * 2 * MathF.PI / n), i * 8)).ToArray();

    [Fact]
    public void RasterizeDigit_SmallAndLargeWriting_NormalizeAlike()
    {
        // Pen width follows the writing size, so a small and a large "0" give nearly the same 28x28 input.
        var raster = new InkRasterizer();
        var img = new GrayImage(1, 1);
        var a = new byte[784];
        var b = new byte[784];
        var small = new Ink(320, 240, [Circle(50, 50, 12)]);
        var large = new Ink(320, 240, [Circle(150, 120, 90)]);
        raster.RasterizeDigit(small, [0], img);
        new DigitNormalizer().Normalize(img, img.Bounds, a);
        raster.RasterizeDigit(large, [0], img);
        new DigitNormalizer().Normalize(img, img.Bounds, b);
        double diff = a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
        Assert.True(diff < 6, $"mean abs difference {diff:0.0}");
        int inkA = a.Count(v => v > 128);
        Assert.InRange(inkA, 100, 250);   // a ring about 2-3 px thick, like MNIST strokes
    }

    [Fact]
    public void RasterizeDigit_ReturnsBoxInInkCoordinates()
    {
        var ink = new Ink(320, 240, [Circle(100, 80, 20)]);
        var box = new InkRasterizer().RasterizeDigit(ink, [0], new GrayImage(1, 1));
        Assert.InRange(box.X, 79, 80);
        Assert.InRange(box.Width, 40, 42);
    }

    [Fact]
    public void RasterizeDigit_IsAntiAliased()
    {
        var ink = new Ink(320, 240, [[new InkPoint(10, 10, 0), new InkPoint(57, 83, 50)]]);
        var img = new GrayImage(1, 1);
        new InkRasterizer().RasterizeDigit(ink, [0], img);
        Assert.Contains(img.Data.ToArray(), v => v is > 30 and < 220);
    }

    [Fact]
    public void RasterizeDigit_SinglePointStroke_DrawsADot()
    {
        var ink = new Ink(320, 240, [[new InkPoint(10, 10, 0)]]);
        var img = new GrayImage(1, 1);
        new InkRasterizer().RasterizeDigit(ink, [0], img);
        Assert.Contains(img.Data.ToArray(), v => v == 255);
    }

    [Fact]
    public void RasterizePanel_DrawsAtPanelSize()
    {
        var ink = new Ink(320, 240, [Circle(100, 80, 20)]);
        var img = new InkRasterizer().RasterizePanel(ink);
        Assert.Equal((320, 240), (img.Width, img.Height));
        Assert.Equal(255, img[120, 80]);
        Assert.Equal(0, img[100, 80]);
    }

    [Fact]
    public void RasterizeDigit_SteadyState_AllocatesNothing()
    {
        var ink = new Ink(320, 240, [Circle(100, 80, 20)]);
        var raster = new InkRasterizer();
        var img = new GrayImage(1, 1);
        int[] strokes = [0];
        Assert.Equal(0, Allocations.SteadyState(() => raster.RasterizeDigit(ink, strokes, img)));
    }
}
