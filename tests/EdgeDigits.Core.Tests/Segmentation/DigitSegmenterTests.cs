using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Segmentation;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Segmentation;

public class DigitSegmenterTests
{
    /// <summary>A binary image with the given rectangles of ink.</summary>
    internal static GrayImage Blocks(int w, int h, params PixelRect[] rects)
    {
        var img = new GrayImage(w, h);
        foreach (var r in rects) for (int y = r.Y; y < r.Bottom; y++) img.Row(y).Slice(r.X, r.Width).Fill(255);
        return img;
    }

    [Fact]
    public void Label_TwoBlobsAndDiagonal_CountsEightConnected()
    {
        var img = Blocks(20, 10, new PixelRect(1, 1, 3, 3), new PixelRect(10, 2, 2, 5));
        img[4, 4] = 255;     // touches the first blob diagonally
        var cc = new ConnectedComponents();
        Assert.Equal(2, cc.Label(img));
        Assert.Equal(10, cc.Components[0].Area);
        Assert.Equal(new PixelRect(1, 1, 4, 4), cc.Components[0].Box);
        Assert.Equal(new PixelRect(10, 2, 2, 5), cc.Components[1].Box);
    }

    [Fact]
    public void Label_USHape_MergesBranchesIntoOne()
    {
        var img = Blocks(10, 10, new PixelRect(1, 0, 2, 8), new PixelRect(7, 0, 2, 8), new PixelRect(1, 7, 8, 2));
        var cc = new ConnectedComponents();
        Assert.Equal(1, cc.Label(img));
        Assert.Equal(2 * 16 + 2 * 8 - 4, cc.Components[0].Area);
    }

    [Fact]
    public void Segment_SevenSegmentDigits_MergesSegmentsPerDigit()
    {
        var frame = TextRenderer.Render("8047", TextRenderer.Dseg7, 520, 200, 110, 20, 155, ink: 20, paper: 180);
        var p = new FramePreprocessor();
        p.Run(frame);
        var s = new DigitSegmenter();
        Assert.Equal(4, s.Segment(p.Binary));
        Assert.True(s.Components.Count >= 4 + 7, $"expected separate segments, got {s.Components.Count} components");
        var xs = s.Regions.ToArray().Select(r => r.Box.X).ToArray();
        Assert.Equal(xs.OrderBy(x => x).ToArray(), xs);
    }

    [Fact]
    public void Segment_BrokenStroke_IsOneDigit()
    {
        var img = Blocks(100, 100, new PixelRect(40, 10, 8, 35), new PixelRect(40, 50, 8, 40));
        // The two halves are both digit-tall: the layers rule would also offer them apart, for the reader to weigh.
        Assert.Equal(1, new DigitSegmenter().Segment(img, new SegmentOptions { LayerGap = 0 }));
    }

    [Fact]
    public void Segment_TouchingDigits_AreSplit()
    {
        // Two "0"-like rings joined by a bridge.
        var img = Blocks(200, 100,
            new PixelRect(10, 10, 50, 8), new PixelRect(10, 72, 50, 8), new PixelRect(10, 10, 8, 70), new PixelRect(52, 10, 8, 70),
            new PixelRect(62, 10, 50, 8), new PixelRect(62, 72, 50, 8), new PixelRect(62, 10, 8, 70), new PixelRect(104, 10, 8, 70),
            new PixelRect(60, 40, 2, 4));
        var s = new DigitSegmenter();
        Assert.Equal(2, s.Segment(img));
        Assert.InRange(s.Regions[0].Box.Right, 55, 65);
        Assert.InRange(s.Regions[1].Box.X, 57, 67);
    }

    [Fact]
    public void Segment_SpecksAndDots_AreDropped()
    {
        var img = Blocks(200, 100, new PixelRect(20, 10, 10, 70), new PixelRect(100, 10, 30, 70),
            new PixelRect(60, 75, 3, 3), new PixelRect(160, 40, 2, 2), new PixelRect(150, 72, 8, 8));
        var s = new DigitSegmenter();
        Assert.Equal(2, s.Segment(img));
    }

    [Fact]
    public void Segment_CutOffPieceAtBorder_IsDropped()
    {
        var img = Blocks(200, 100, new PixelRect(50, 10, 30, 70), new PixelRect(0, 40, 10, 20));
        Assert.Equal(1, new DigitSegmenter().Segment(img));
    }

    [Fact]
    public void Segment_FixedBoxes_OneRegionPerBox()
    {
        var img = Blocks(200, 100, new PixelRect(20, 10, 10, 70), new PixelRect(100, 10, 30, 70));
        var s = new DigitSegmenter();
        int n = s.Segment(img, new SegmentOptions { FixedBoxes = [new PixelRect(0, 0, 60, 100), new PixelRect(60, 0, 60, 100), new PixelRect(140, 0, 60, 100)] });
        Assert.Equal(3, n);
        var crop = s.ExtractCrop(img, s.Regions[2]);
        Assert.All(crop.ToArray(), v => Assert.Equal(0, v));
        crop = s.ExtractCrop(img, s.Regions[0]);
        Assert.Contains(crop.ToArray(), v => v == 255);
    }

    [Fact]
    public void ExtractCrop_NeighbourInBox_IsMaskedOut()
    {
        // A slanted stroke whose box covers the top of the neighbouring digit (which it does not touch).
        var img = Blocks(200, 100, new PixelRect(112, 10, 30, 60));
        for (int y = 10; y < 80; y++) for (int t = 0; t < 6; t++) img[60 + (y - 10) * 50 / 70 + t, y] = 255;
        var s = new DigitSegmenter();
        Assert.Equal(2, s.Segment(img));
        var first = s.Regions[0];
        Assert.True(first.Box.Right > 112, $"stroke box {first.Box} should reach into the neighbour's columns");
        var crop = s.ExtractCrop(img, first);
        int ink = crop.ToArray().Count(v => v > 0);
        Assert.Equal(70 * 6, ink);
    }
}

public class DigitSegmenterClutterTests
{
    private static GrayImage Blocks(int w, int h, params PixelRect[] rects) => DigitSegmenterTests.Blocks(w, h, rects);

    [Fact]
    public void Segment_OneTallStamp_DigitsStayCandidates()
    {
        // Three 40 px digits and one 110 px ring-like block: the reference height is the digits', not the stamp's.
        var bin = Blocks(400, 200, new PixelRect(20, 60, 14, 40), new PixelRect(60, 60, 14, 40), new PixelRect(100, 60, 14, 40),
            new PixelRect(250, 40, 6, 110), new PixelRect(330, 40, 6, 110), new PixelRect(250, 40, 86, 6), new PixelRect(250, 144, 86, 6));
        var seg = new DigitSegmenter();
        Assert.Equal(4, seg.Segment(bin));
        Assert.Equal(1, seg.Segment(bin, new SegmentOptions { MaxHeightOverMedian = 100 }));   // the stamp as reference drops the digits
    }

    [Fact]
    public void Segment_MarksFarAboveAndBelow_DigitsNotMergedByBand()
    {
        // Two digits of 40 px with small marks 80 px above and below: the band (200 px) is no 7-segment digit.
        var bin = Blocks(300, 220, new PixelRect(100, 90, 10, 40), new PixelRect(140, 90, 10, 40), new PixelRect(100, 5, 12, 12), new PixelRect(140, 200, 12, 12));
        var seg = new DigitSegmenter();
        seg.Segment(bin);
        Assert.Equal(2, seg.Regions.ToArray().Count(r => r.Box.Height == 40));
    }

    [Fact]
    public void Segment_MarkWellAboveADigit_StaysApart()
    {
        // A digit 40 tall and a mark 15 tall drawn 20 px above it (half a digit): x-ranges overlap fully.
        var img = Blocks(100, 120, new PixelRect(40, 60, 8, 40), new PixelRect(38, 25, 14, 15));
        var seg = new DigitSegmenter();
        Assert.Equal(2, seg.Segment(img, new SegmentOptions { MinRelativeHeight = 0.2 }));
        // Closer, 8 px above: still apart, since the gap is over MaxStackedGap (0.3) of the lower median piece height
        // (15 px here); with that limit at 0.6 the stacked pieces join into one group.
        var close = Blocks(100, 120, new PixelRect(40, 60, 8, 40), new PixelRect(38, 37, 14, 15));
        Assert.Equal(2, seg.Segment(close, new SegmentOptions { MinRelativeHeight = 0.2 }));
        Assert.Equal(1, seg.Segment(close, new SegmentOptions { MinRelativeHeight = 0.2, MaxStackedGap = 0.6, LayerGap = 0 }));
    }

    [Fact]
    public void Segment_DetachedBarJustAboveADigit_JoinsIt()
    {
        // The bar of a 5 drawn 4 px above its body (a tenth of the digit height): one digit.
        var img = Blocks(100, 120, new PixelRect(40, 40, 8, 40), new PixelRect(40, 30, 20, 6));
        var seg = new DigitSegmenter();
        Assert.Equal(1, seg.Segment(img, new SegmentOptions { LayerGap = 0 }));
        Assert.Equal(new PixelRect(40, 30, 20, 50), seg.Regions[0].Box);
        // The gap is also LayerGap (0.1) of the body: the joined group is offered whole and as its body alone (the bar is
        // too short to be a candidate), and the reader keeps the one its classifier reads better.
        Assert.Equal(1, seg.Segment(img));
        Assert.Equal(new PixelRect(40, 40, 8, 40), seg.Regions[0].Box);
        Assert.Equal(new PixelRect(40, 30, 20, 50), Assert.Single(seg.Layers.ToArray()).Whole.Box);
    }

    [Fact]
    public void Segment_StripFromTopToBottom_IsNotADigit()
    {
        // Two digits 40 tall and a scanner strip down the right edge, 6x its width tall and touching both edges.
        var img = Blocks(200, 150, new PixelRect(40, 50, 8, 40), new PixelRect(80, 50, 8, 40), new PixelRect(180, 0, 20, 150));
        var seg = new DigitSegmenter();
        Assert.Equal(2, seg.Segment(img));
        Assert.All(seg.Regions.ToArray(), r => Assert.True(r.Box.Right < 180));
        Assert.Equal(3, seg.Segment(img, new SegmentOptions { DropFrameSpanning = false }));
    }

    [Fact]
    public void Segment_ThinOneBesideAScannerStrip_IsNoSpeck()
    {
        // A "1" 3 px wide (120 px of ink) beside a digit and a strip of 6,000 px down the right edge: against the strip
        // the 1 would be under RelativeSpeckArea (0.03 x 6,000 = 180 px); measured against the digits it stays.
        var one = new PixelRect(40, 50, 3, 40);
        var img = Blocks(200, 150, one, new PixelRect(80, 50, 8, 40), new PixelRect(160, 0, 40, 150));
        var seg = new DigitSegmenter();
        Assert.Equal(2, seg.Segment(img));
        Assert.Equal(one, seg.Regions[0].Box);
        seg.Segment(img, new SegmentOptions { DropFrameSpanning = false });
        Assert.DoesNotContain(seg.Regions.ToArray(), r => r.Box == one);
    }

    [Fact]
    public void Segment_MarkStackedUnderADigit_CutIntoLayers()
    {
        // A digit 40 tall with a ring mark 36 tall 10 px under it (x-ranges overlapping, within MaxStackedGap of the piece
        // height): one group of 86 rows with an empty band of 10 rows, over LayerGap (0.1) of the piece height (40), and two
        // layers over MinRelativeHeight of it. The layers are regions of their own; the whole group stays as the layer
        // alternative, under the group id its layers' crops share.
        var digit = new PixelRect(40, 20, 10, 40);
        var img = Blocks(120, 120, digit, new PixelRect(34, 70, 22, 4), new PixelRect(34, 102, 22, 4), new PixelRect(34, 70, 4, 36), new PixelRect(52, 70, 4, 36));
        var seg = new DigitSegmenter();
        Assert.Equal(2, seg.Segment(img));
        var layers = Assert.Single(seg.Layers.ToArray());
        Assert.Equal((new PixelRect(34, 20, 22, 86), 2), (layers.Whole.Box, layers.GroupCount));
        Assert.Equal([digit, new PixelRect(34, 70, 22, 36)], seg.Regions.ToArray().Select(r => r.Box).OrderBy(b => b.Y).ToArray());
        Assert.All(seg.Regions.ToArray(), r => Assert.True(layers.HasLayer(r.Group)));
        // The crop of the whole holds the ink of both layers, the digit's crop only its own.
        Assert.Equal(40 * 10 + 2 * 22 * 4 + 2 * 4 * 28, seg.ExtractCrop(img, layers.Whole).ToArray().Count(v => v > 0));
        Assert.Equal(400, seg.ExtractCrop(img, seg.Regions.ToArray().First(r => r.Box == digit)).ToArray().Count(v => v > 0));

        Assert.Equal(1, seg.Segment(img, new SegmentOptions { LayerGap = 0 }));
        Assert.Empty(seg.Layers.ToArray());
        // A band narrower than LayerGap of the piece height does not cut it.
        Assert.Equal(1, seg.Segment(img, new SegmentOptions { LayerGap = 0.3 }));
    }

    [Fact]
    public void Segment_DigitBrokenIntoShortLayers_StaysWhole()
    {
        // A thin "6" broken between its stem (14 rows) and its loop (16 rows) by 6 empty rows, beside three digits 36 tall:
        // neither layer is MinRelativeHeight (0.5) of the piece height, so the group is not cut and reads as one digit.
        var img = Blocks(200, 80, new PixelRect(20, 20, 4, 14), new PixelRect(18, 40, 14, 16), new PixelRect(80, 20, 8, 36), new PixelRect(120, 20, 8, 36), new PixelRect(160, 20, 8, 36));
        var seg = new DigitSegmenter();
        Assert.Equal(4, seg.Segment(img));
        Assert.Empty(seg.Layers.ToArray());
        Assert.Equal(new PixelRect(18, 20, 14, 36), seg.Regions[0].Box);
    }

    [Fact]
    public void Segment_DigitUnderAStubOnAStrip_StaysADigit()
    {
        // A scanner strip down the left edge with a stub of a ruling line still on it (its box 70 px wide) and a digit under
        // the stub: the strip spans every row, so by the stacked-pieces rule it would swallow the digit and take it along
        // when it is dropped. Frame-spanning pieces join nothing.
        var digit = new PixelRect(50, 60, 8, 40);
        var img = Blocks(200, 150, new PixelRect(0, 0, 20, 150), new PixelRect(20, 40, 50, 3), digit, new PixelRect(100, 60, 8, 40));
        var seg = new DigitSegmenter();
        Assert.Equal(2, seg.Segment(img));
        Assert.Equal(digit, seg.Regions[0].Box);
        seg.Segment(img, new SegmentOptions { DropFrameSpanning = false });
        Assert.DoesNotContain(seg.Regions.ToArray(), r => r.Box == digit);
    }

    [Fact]
    public void Segment_LoneDigitFillingTheFrame_IsKept()
    {
        // One digit that touches the top and bottom of a tight crop is not a strip: nothing else sets a digit height.
        var img = Blocks(30, 40, new PixelRect(10, 0, 8, 40));
        Assert.Equal(1, new DigitSegmenter().Segment(img));
    }

    [Fact]
    public void Segment_ThreeTouchingRings_GivesEveryRunOfPieces()
    {
        // Three "0"-like rings 48 wide, joined by bridges: split in three, with the runs 0-1 and 1-2 as regions of their own.
        var rects = new List<PixelRect>();
        for (int d = 0; d < 3; d++)
        {
            int x = 10 + d * 52;
            rects.AddRange([new PixelRect(x, 10, 48, 8), new PixelRect(x, 72, 48, 8), new PixelRect(x, 10, 8, 70), new PixelRect(x + 40, 10, 8, 70)]);
            if (d > 0) rects.Add(new PixelRect(x - 4, 40, 4, 4));
        }
        var s = new DigitSegmenter();
        Assert.Equal(3, s.Segment(Blocks(200, 100, [.. rects])));
        var alt = Assert.Single(s.Alternatives.ToArray());
        Assert.Equal((0, 3, 0), (alt.FirstPiece, alt.PieceCount, alt.FirstRun));
        Assert.Equal(SplitAlternative.RunCount(3), s.RunTotal);
        var first = s.Runs[alt.FirstRun + SplitAlternative.RunOffset(3, 0, 2)].Box;
        var second = s.Runs[alt.FirstRun + SplitAlternative.RunOffset(3, 1, 2)].Box;
        Assert.Equal(s.Regions[0].Box.Union(s.Regions[1].Box), first);
        Assert.Equal(s.Regions[1].Box.Union(s.Regions[2].Box), second);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 5)]
    [InlineData(5, 9)]
    public void RunOffset_EveryRunOfPieces_HasItsOwnSlot(int pieces, int runs)
    {
        Assert.Equal(runs, SplitAlternative.RunCount(pieces));
        var slots = new List<int>();
        for (int first = 0; first < pieces; first++)
            for (int count = 2; first + count <= pieces; count++)
                if (first > 0 || count < pieces) slots.Add(SplitAlternative.RunOffset(pieces, first, count));
        Assert.Equal(Enumerable.Range(0, runs), slots);
    }

    [Fact]
    public void Segment_MarkFarAboveANumber_DoesNotMakeA7SegmentBand()
    {
        // Digits 62 tall and a cross 55 tall far above them: the pieces span a band of 172 rows of which a third is empty,
        // so the band is no 7-segment digit and the mark stays its own candidate.
        var img = Blocks(200, 200, new PixelRect(40, 120, 8, 62), new PixelRect(70, 120, 8, 62), new PixelRect(60, 10, 20, 55));
        var seg = new DigitSegmenter();
        Assert.Equal(3, seg.Segment(img));
        Assert.Contains(seg.Regions.ToArray(), r => r.Box == new PixelRect(60, 10, 20, 55));
        Assert.True(seg.Segment(img, new SegmentOptions { MinBandCoverage = 0 }) < 3);
    }

    [Fact]
    public void Segment_StampAboveBesideANumber_DoesNotMakeA7SegmentBand()
    {
        // Two digits 74 tall, 15 px apart, and up to their left a stamp 127 tall ending 34 rows above them: the pieces
        // span 235 rows and leave 34 empty (85% covered), so the band is no 7-segment digit and the two digits stay apart.
        PixelRect stamp = new(10, 14, 60, 127), left = new(100, 175, 10, 74), right = new(125, 175, 10, 74);
        var seg = new DigitSegmenter();
        seg.Segment(Blocks(300, 270, stamp, left, right));
        Assert.Equal([stamp, left, right], seg.Regions.ToArray().Select(r => r.Box));
        // At the former 0.8 the band rule makes each digit a 7-segment piece of a 235-row digit, and the two join.
        seg.Segment(Blocks(300, 270, stamp, left, right), new SegmentOptions { MinBandCoverage = 0.8 });
        Assert.Contains(seg.Regions.ToArray(), r => r.Box == left.Union(right));
    }

    [Fact]
    public void Segment_MarkCentredBetweenTheCutsOfAWideGroup_DoesNotSitAmongItsPieces()
    {
        // A U 60 wide and 40 tall (cut in two) and a mark above its middle: by box centre the mark sorts between the two
        // pieces, but a split's pieces must be consecutive regions (the reader weighs them as one group's cuts).
        var img = Blocks(120, 120, new PixelRect(20, 60, 12, 40), new PixelRect(32, 96, 36, 4), new PixelRect(68, 60, 12, 40), new PixelRect(40, 5, 20, 20));
        var seg = new DigitSegmenter();
        Assert.Equal(3, seg.Segment(img));
        var alt = Assert.Single(seg.Alternatives.ToArray());
        Assert.Equal(2, alt.PieceCount);
        for (int i = alt.FirstPiece; i < alt.FirstPiece + alt.PieceCount; i++) Assert.Equal(alt.Whole.Group, seg.Regions[i].Group);
        Assert.Equal(new PixelRect(40, 5, 20, 20), seg.Regions[alt.FirstPiece == 0 ? 2 : 0].Box);
    }

    [Fact]
    public void Segment_ThinLineRunningOnFromADigitsBottom_IsCutOff()
    {
        // A digit 40 tall standing on a 1 px line that runs on 68 px to its right (what line removal leaves of a faint
        // writing line): the digit alone is the region, the run is listed as cut off.
        var digit = new PixelRect(40, 10, 12, 40);
        var img = Blocks(160, 70, digit, new PixelRect(40, 49, 80, 1));
        var seg = new DigitSegmenter();
        Assert.Equal(1, seg.Segment(img));
        Assert.Equal(digit, seg.Regions[0].Box);
        Assert.Equal([new PixelRect(52, 49, 68, 1)], seg.LineRuns.ToArray());
        seg.Segment(img, new SegmentOptions { LineRunLength = 0 });
        Assert.DoesNotContain(seg.Regions.ToArray(), r => r.Box == digit);
        Assert.Equal(0, seg.LineRunCount);
    }

    [Fact]
    public void Segment_ThinLineJoiningTwoDigits_CutsThemApart()
    {
        PixelRect left = new(20, 10, 12, 40), right = new(80, 10, 12, 40);
        var img = Blocks(120, 70, left, right, new PixelRect(32, 48, 48, 2));
        var seg = new DigitSegmenter();
        seg.Segment(img);
        Assert.Equal([left, right], seg.Regions.ToArray().Select(r => r.Box));
        // A run shorter than LineRunLength of the digit height (48 px < 0.4 x 150) is part of the group.
        seg.Segment(img, new SegmentOptions { LineRunLength = 150.0 / 40 });
        Assert.DoesNotContain(seg.Regions.ToArray(), r => r.Box == left);
    }

    [Fact]
    public void Segment_ThinBarOnTopOfADigit_IsNoLine()
    {
        // A thin-pen 7: a bar 2 px thick along the top of a stem. Thin and long, but above the group's lowest quarter.
        var seven = new PixelRect(20, 10, 43, 40);
        var img = Blocks(100, 70, new PixelRect(60, 10, 3, 40), new PixelRect(20, 10, 43, 2));
        var seg = new DigitSegmenter();
        Assert.Equal(1, seg.Segment(img));
        Assert.Equal(seven, seg.Regions[0].Box);
        Assert.Equal(0, seg.LineRunCount);
        seg.Segment(img, new SegmentOptions { LineRunBand = 1 });
        Assert.Equal(1, seg.LineRunCount);
    }

    [Fact]
    public void Segment_PieceUnderADigit_JoinsOnlyWithinTheJoinedHeight()
    {
        // A digit 40 tall and, 4 px under it and beside it, a mark 28 tall: a piece near the digit, but joined they are 72 tall.
        var img = Blocks(100, 140, new PixelRect(40, 10, 8, 40), new PixelRect(50, 54, 16, 28));
        var seg = new DigitSegmenter();
        Assert.Equal(2, seg.Segment(img));
        Assert.Equal(1, seg.Segment(img, new SegmentOptions { MaxJoinedHeight = 2, LayerGap = 0 }));
    }
}
