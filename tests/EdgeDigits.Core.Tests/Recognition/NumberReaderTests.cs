using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Recognition;

public class NumberReaderTests
{
    // MNIST test indices of clean, unambiguous digits: 7 2 1 0 4 1 4 9 ...
    private static byte[] D(int i) => MnistTestSet.Image(i).ToArray();

    [Fact]
    public void Read_ComposedFrame_ReadsDigitsLeftToRightWithBoxes()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(c);
        var boxes = new List<PixelRect>();
        var frame = DigitComposer.Compose([D(0), D(1), D(2), D(3)], new Random(11), boxes: boxes);
        var r = reader.Read(frame);
        Assert.Equal("7210", r.Text);
        for (int i = 0; i < 4; i++)
        {
            var got = r.Digits[i].Box;
            Assert.InRange(got.X + got.Width / 2, boxes[i].X + boxes[i].Width / 2 - 4, boxes[i].X + boxes[i].Width / 2 + 4);
            Assert.Equal(c.ClassCount, r.ScoresOf(i).Length);
        }
        Assert.True(r.LowestConfidence > 0.5f);
    }

    [Fact]
    public void Read_TestTimeCrops_EachDigitsScoresAreTheMeanOfItsMovedCuts()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var cuts = new EdgeDigits.Core.Meters.MeterTestTimeCrops(5, 1);
        var reader = new NumberReader(c, new NumberReaderOptions { TestTimeCrops = cuts });
        var frame = DigitComposer.Compose([D(0), D(1), D(2), D(3)], new Random(11));
        var r = reader.Read(frame);
        Assert.Equal("7210", r.Text);
        var moved = new byte[DigitNormalizer.PixelCount];
        var mean = new float[c.ClassCount];
        for (int i = 0; i < r.Count; i++)
        {
            Array.Clear(mean);
            foreach (var s in cuts.Shifts)
            {
                DigitNormalizer.Shift(reader.Crop(reader.CropOfDigit(i)), s.X, s.Y, moved);
                c.SetInput(0, moved);
                var p = c.Run(1);
                for (int k = 0; k < mean.Length; k++) mean[k] += p[k] / cuts.Count;
            }
            for (int k = 0; k < mean.Length; k++) Assert.Equal(mean[k], r.ScoresOf(i)[k], 1e-5f);
        }
        // Each cut read alone gives other scores: the average is not the plain read.
        var plain = new NumberReader(c, new NumberReaderOptions { TestTimeCrops = EdgeDigits.Core.Meters.MeterTestTimeCrops.None }).Read(frame);
        Assert.NotEqual(plain.ScoresOf(0).ToArray(), r.ScoresOf(0).ToArray());
    }

    [Fact]
    public void Read_InvertedFrame_SameText()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var frame = DigitComposer.Compose([D(0), D(1), D(2)], new Random(12), invert: true);
        Assert.Equal("721", new NumberReader(c).Read(frame).Text);
    }

    [Fact]
    public void Read_RoiAroundPart_ReadsOnlyThatPartWithFrameBoxes()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var boxes = new List<PixelRect>();
        var frame = DigitComposer.Compose([D(0), D(1), D(2)], new Random(13), boxes: boxes);
        var roi = new PixelRect(boxes[1].X - 5, 0, frame.Width - boxes[1].X + 5, frame.Height);
        var reader = new NumberReader(c, new NumberReaderOptions { Preprocess = new PreprocessOptions { Roi = roi } });
        var r = reader.Read(frame);
        Assert.Equal("21", r.Text);
        Assert.InRange(r.Digits[0].Box.X, boxes[1].X - 3, boxes[1].X + 3);
    }

    [Fact]
    public void Read_ThresholdAboveEveryConfidence_ShowsQuestionMarks()
    {
        using var c = new DigitClassifier(TestModels.Default, new DigitClassifierOptions { ConfidenceThreshold = 1.0f });
        var r = new NumberReader(c).Read(DigitComposer.Compose([D(0), D(1)], new Random(14)));
        Assert.Equal("??", r.Text);
        Assert.True(r.HasUncertain);
        Assert.Equal("7", r.Digits[0].Label);
    }

    [Fact]
    public void Read_BlankFrame_EmptyReading()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var frame = new GrayImage(320, 240);
        frame.Fill(210);
        var r = new NumberReader(c).Read(frame);
        Assert.Equal("", r.Text);
        Assert.Equal(0, r.Count);
    }

    [Fact]
    public void Read_Ink_ReadsDigitsInOrder()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var ink = InkTracer.Compose([D(0), D(1), D(2), D(4)], new Random(15));
        var r = new NumberReader(c).Read(ink);
        Assert.Equal("7214", r.Text);
        Assert.True(r.Digits[0].Box.Right <= r.Digits[1].Box.X);
    }

    [Fact]
    public void Read_EmptyInk_EmptyReading()
    {
        using var c = new DigitClassifier(TestModels.Default);
        Assert.Equal("", new NumberReader(c).Read(new Ink(320, 240, [])).Text);
    }

    [Fact]
    public void ReadInto_FrameSteadyState_AllocatesNothing()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(c);
        var frame = DigitComposer.Compose([D(0), D(1), D(2), D(3), D(4), D(5)], new Random(16));
        var result = new Reading();
        Assert.Equal(0, Allocations.SteadyState(() => reader.ReadInto(frame, result)));
        Assert.Equal(6, result.Count);
    }

    [Fact]
    public void ReadInto_InkSteadyState_AllocatesNothing()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(c);
        var ink = InkTracer.Compose([D(0), D(1), D(2)], new Random(17));
        var result = new Reading();
        Assert.Equal(0, Allocations.SteadyState(() => reader.ReadInto(ink, result)));
        Assert.Equal(3, result.Count);
    }

    /// <summary>The strokes of <paramref name="digit"/> in the stroke font, 80 px tall from x = <paramref name="x"/>, the pen first down at <paramref name="t0"/> ms.</summary>
    private static InkPoint[][] Glyph(char digit, float x, long t0) =>
        [.. StrokeFont.Write(digit.ToString(), 80, x, 20).Strokes.Select(s => s.Select(p => new InkPoint(p.X, p.Y, p.TimeMs + t0)).ToArray())];

    private static long End(InkPoint[][] strokes) => strokes[^1][^1].TimeMs;

    /// <summary>A "1" and a "7" 0.05 of their height apart, the 7 begun 150 ms after the 1 ended: the time rule joins them.</summary>
    private static Ink QuickCloseSeventeen()
    {
        var one = Glyph('1', 20, 0);
        var seven = Glyph('7', 53, End(one) + 150);
        return new Ink(320, 140, [.. one, .. seven]);
    }

    [Fact]
    public void Read_TwoDigitsWrittenQuicklyAndClose_ReadsTwoWhenThePiecesReadBetter()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var ink = QuickCloseSeventeen();
        Assert.Equal(1, new InkSegmenter().Split(ink));
        Assert.Equal("17", new NumberReader(c).Read(ink).Text);
    }

    [Fact]
    public void Read_FourWrittenInTwoStrokes_StaysOneDigit()
    {
        // The bent stroke, then the stem 150 ms later, 0.13 of the height to the right of the bar's end: the
        // stem alone reads as a 1, but the whole reads as a 4 more surely than the two pieces read on average.
        using var c = new DigitClassifier(TestModels.Default);
        var four = StrokeFont.Write("4", 80, 20, 20).Strokes;
        var bar = four[0].TakeWhile(p => p.Y < 74 || p.X <= 20 + 0.5f * 48).ToArray();
        var stem = four[1].Select(p => new InkPoint(p.X, p.Y, p.TimeMs - four[1][0].TimeMs + bar[^1].TimeMs + 150)).ToArray();
        var ink = new Ink(200, 140, [bar, stem]);
        var s = new InkSegmenter();
        Assert.Equal(1, s.Split(ink));
        Assert.Equal(2, s.PieceCount(0));
        Assert.Equal("4", new NumberReader(c).Read(ink).Text);
    }

    [Fact]
    public void Read_FiveWithItsBarWrittenAfter_StaysOneDigit()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var five = StrokeFont.Write("5", 80, 20, 20).Strokes[0];
        var body = five.Where(p => p.Y > 20.5f || p.X < 20 + 0.2f * 48).ToArray();
        var bar = five.Where(p => p.Y <= 20.5f).Reverse().Select((p, i) => new InkPoint(p.X, p.Y, body[^1].TimeMs + 150 + 8 * i)).ToArray();
        var r = new NumberReader(c).Read(new Ink(200, 140, [body, bar]));
        Assert.Equal("5", r.Text);
    }

    [Fact]
    public void CropOfDigit_InkGroupReadAsTwoDigits_IsThePieceEachWasReadFrom()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(c);
        var r = reader.Read(QuickCloseSeventeen());
        Assert.Equal(3, reader.CropCount);   // the group, then its two pieces
        Assert.Equal([1, 2], new[] { reader.CropOfDigit(0), reader.CropOfDigit(1) });
        for (int i = 0; i < r.Count; i++)
            Assert.Equal(r.Digits[i].ClassIndex, c.ClassifyOne(reader.Crop(reader.CropOfDigit(i))).ClassIndex);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.CropOfDigit(2));
    }

    [Fact]
    public void ReadInto_InkWithAGroupInDoubt_AllocatesNothing()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(c);
        var ink = QuickCloseSeventeen();
        var result = new Reading();
        Assert.Equal(0, Allocations.SteadyState(() => reader.ReadInto(ink, result)));
        Assert.Equal(2, result.Count);
    }

    [Fact]
    public void ToJson_HasFileTextDigitsAndBoxes()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var r = new NumberReader(c).Read(DigitComposer.Compose([D(0), D(1)], new Random(18)));
        using var doc = System.Text.Json.JsonDocument.Parse(r.ToJson("a.png"));
        Assert.Equal("a.png", doc.RootElement.GetProperty("file").GetString());
        Assert.Equal("72", doc.RootElement.GetProperty("text").GetString());
        var d0 = doc.RootElement.GetProperty("digits")[0];
        Assert.Equal("7", d0.GetProperty("digit").GetString());
        Assert.Equal(4, d0.GetProperty("box").GetArrayLength());
        Assert.InRange(d0.GetProperty("confidence").GetDouble(), 0.5, 1.0);
    }

    [Fact]
    public void Read_SkewedLine_IsDeskewed()
    {
        using var c = new DigitClassifier(TestModels.Default);
        var flat = DigitComposer.Compose([D(0), D(1), D(2), D(3), D(4)], new Random(19));
        // Rotate the whole frame by 8 degrees with room to spare.
        var big = new GrayImage(flat.Width + 80, flat.Height + 160);
        big.Fill(flat[2, 2]);
        for (int y = 0; y < flat.Height; y++) flat.Row(y).CopyTo(big.Row(y + 80).Slice(40));
        var rotated = new GrayImage(big.Width, big.Height);
        ImageKernels.Rotate(big.Data, big.Width, big.Height, big.Width, 8, big[0, 0], rotated.Data);
        var reader = new NumberReader(c);
        var r = reader.Read(rotated);
        Assert.Equal("72104", r.Text);
        Assert.InRange(Math.Abs(reader.Preprocessor.RotationDegrees), 4, 12);
    }
}
