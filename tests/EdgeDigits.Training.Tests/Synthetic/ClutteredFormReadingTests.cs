using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Segmentation;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Tests.Synthetic;

/// <summary>Frames composed of MNIST test digits (with the composer's clutter) read whole by the shipped model through the device's reader.</summary>
public sealed class ClutteredFormReadingTests
{
    private static readonly Lazy<DigitSet> Test = new(() => Mnist.Load(RepoPaths.Mnist, MnistSplit.Test, limit: 400));

    private static string Model => Path.Combine(RepoPaths.Models, "digits-int8.onnx");

    /// <summary>The <paramref name="nth"/> MNIST test digit of class <paramref name="digit"/> (of the first 400).</summary>
    private static byte[] Digit(int digit, int nth = 0)
    {
        var set = Test.Value;
        for (int i = 0; i < set.Count; i++)
            if (set.Labels[i] == digit && nth-- == 0) return set.Image(i).ToArray();
        throw new InvalidOperationException($"no digit {digit} #{nth}");
    }

    /// <summary>
    /// Composes two digits and slides the right one left until its leftmost ink lies <paramref name="overlap"/> pixels inside the
    /// left one's box: the darker of the two halves wins, so where strokes meet they touch.
    /// </summary>
    private static GrayImage Touching(byte[] left, byte[] right, int seed, int overlap)
    {
        var boxes = new List<PixelRect>();
        var img = DigitComposer.Compose([left, right], new Random(seed), boxes: boxes, margin: 0.8);
        int mid = (boxes[0].Right + boxes[1].X) / 2;
        int shift = boxes[1].X - boxes[0].Right + overlap;
        var o = new GrayImage(img.Width - shift, img.Height);
        for (int y = 0; y < o.Height; y++)
            for (int x = 0; x < o.Width; x++)
            {
                byte a = x < mid ? img[x, y] : (byte)255;
                byte b = x + shift >= mid ? img[x + shift, y] : (byte)255;
                o[x, y] = Math.Min(a, b);
            }
        return o;
    }

    [Fact]
    public void Read_TouchingDigits_ReadsBoth()
    {
        using var c = new DigitClassifier(Model);
        var reader = new NumberReader(c);
        int touching = 0;
        var wrong = new List<string>();
        foreach (var (l, r, seed) in new[] { (2, 3, 1), (5, 7, 2), (4, 0, 3), (6, 8, 4), (3, 1, 5), (9, 2, 6) })
        {
            var frame = Touching(Digit(l), Digit(r), seed, overlap: 7);
            var text = reader.Read(frame).Text;
            // The pair must really be one piece of ink for the test to mean anything.
            if (reader.Segmenter.GroupOfComponent.ToArray().Where(g => g >= 0).Distinct().Count() == 1) touching++;
            if (text != $"{l}{r}") wrong.Add($"{l}{r} read {text}");
        }
        Assert.True(touching >= 4, $"only {touching} of 6 pairs touched");
        // Known limit: a touching pair narrower than SegmentOptions.SplitAspect times its height is never cut, so no split is
        // weighed (today "40" and "31" squeezed this far read as an 8); the wider pairs must all read whole.
        Assert.True(wrong.Count <= 2, string.Join("; ", wrong));
    }

    [Fact]
    public void Read_FiveWithItsBarDetached_IsOneFive()
    {
        using var c = new DigitClassifier(Model);
        var reader = new NumberReader(c);
        for (int nth = 0; nth < 3; nth++)
        {
            var five = Digit(5, nth);
            // Cut the bar off: blank two rows under the top three rows of ink.
            int top = Enumerable.Range(0, 28).First(y => Enumerable.Range(0, 28).Any(x => five[y * 28 + x] > 64));
            for (int y = top + 3; y < top + 5; y++) five.AsSpan(y * 28, 28).Clear();
            var frame = DigitComposer.Compose([Digit(1), five, Digit(2)], new Random(nth), margin: 0.8);
            Assert.Equal("152", reader.Read(frame).Text);
            // The bar is a component of its own (more kept components than digits); the layers rule may cut it off the 5, and
            // then reads the 5 whole.
            Assert.True(reader.Segmenter.GroupOfComponent.ToArray().Count(g => g >= 0) > 3, "the bar should be its own component joined to the 5");
        }
    }

    [Fact]
    public void Read_TickBesideANumber_ReadsOnlyTheNumber()
    {
        using var c = new DigitClassifier(Model);
        var reader = new NumberReader(c);
        for (int seed = 0; seed < 4; seed++)
        {
            var form = ClutteredFormComposer.Compose([Digit(3), Digit(9), Digit(4)], "394", new Random(seed), [ClutterKind.Tick, ClutterKind.Cross]);
            Assert.Contains(form.Clutter, m => m.Kind is ClutterKind.Tick or ClutterKind.Cross);
            Assert.Equal("394", reader.Read(form.Image).Text);
        }
    }

    /// <summary>Darkens a ring of radius <paramref name="r"/> and stroke <paramref name="t"/> around (cx, cy) to gray 90, as a stamp.</summary>
    private static void Ring(GrayImage img, double cx, double cy, double r, double t)
    {
        for (int y = 0; y < img.Height; y++)
            for (int x = 0; x < img.Width; x++)
                if (Math.Abs(Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) - r) < t / 2) img[x, y] = Math.Min(img[x, y], (byte)90);
    }

    [Fact]
    public void Read_FaintLineRunningOnFromTheLastDigitsFoot_ReadsTheNumber()
    {
        // A 1 px line along the last digit's lowest row that runs on 2 digit heights to its right: too short for line
        // removal (under 0.45 of the frame), so it stays joined to the digit; the segmenter cuts it off.
        using var c = new DigitClassifier(Model);
        var reader = new NumberReader(c);
        var withLine = new NumberReader(c, new NumberReaderOptions { Segment = new SegmentOptions { LineRunLength = 0 } });
        int wrongWithLine = 0;
        foreach (var (a, b, seed) in new[] { (3, 0, 1), (2, 6, 2), (7, 4, 3), (5, 9, 4) })
        {
            var boxes = new List<PixelRect>();
            var img = DigitComposer.Compose([Digit(a), Digit(b)], new Random(seed), boxes: boxes, margin: 3);
            var last = boxes[1];
            int y = last.Bottom - 1;
            for (int x = last.X; x < Math.Min(img.Width, last.Right + 2 * last.Height); x++) img[x, y] = Math.Min(img[x, y], (byte)90);
            Assert.Equal($"{a}{b}", reader.Read(img).Text);
            Assert.Contains($"\"{ReadingDebugWriter.LineRunFate}\"", ReadingDebugWriter.CandidatesJson(reader));
            if (withLine.Read(img).Text != $"{a}{b}") wrongWithLine++;
        }
        // Read with the line left on (3 of 4 misread without test-time averaging, 2 of 4 with it).
        Assert.True(wrongWithLine >= 2, $"only {wrongWithLine} of 4 misread with the line: the line did not stay joined to its digit");
    }

    [Fact]
    public void Read_StampJustUnderADigit_ReadsTheNumberNotTheStamp()
    {
        // A ring stamp a quarter of a digit height under the last digit: close enough that the stacked-pieces rule joins them
        // into one group. The layers rule reads the digits and the ring apart instead of the whole.
        using var c = new DigitClassifier(Model);
        var reader = new NumberReader(c);
        var whole = new NumberReader(c, new NumberReaderOptions { Segment = new SegmentOptions { LayerGap = 0 } });
        // A margin no layers can beat: the whole is read, and its layers are listed as not taken.
        var wholeFirst = new NumberReader(c, new NumberReaderOptions { LayerMargin = -100 });
        int wrongWhole = 0;
        foreach (var (a, b, seed) in new[] { (3, 0, 1), (2, 6, 2), (7, 4, 3), (5, 9, 4) })
        {
            var boxes = new List<PixelRect>();
            var img = DigitComposer.Compose([Digit(a), Digit(b)], new Random(seed), boxes: boxes, margin: 2.2);
            var last = boxes[1];
            double r = 0.5 * last.Height;
            Ring(img, last.X + last.Width / 2.0, last.Bottom + 0.25 * last.Height + r, r, Math.Max(3, last.Height / 12.0));
            Assert.Equal($"{a}{b}", reader.Read(img).Text);
            Assert.Contains(reader.Candidates.ToArray(), k => k.Fate == CandidateFate.WholeNotTaken);
            Assert.Contains("\"rejected: stacked group reads better as its layers apart (a digit and a mark)\"", ReadingDebugWriter.CandidatesJson(reader));
            // The ring alone is "not a digit", or a "0" below the number's row: either way not read.
            Assert.Contains(reader.Candidates.ToArray(), k => k.Box.Y > last.Bottom && k.Fate is CandidateFate.NotADigit or CandidateFate.OutsideNumberRow);
            if (whole.Read(img).Text != $"{a}{b}") wrongWhole++;
            wholeFirst.Read(img);
            Assert.Contains(wholeFirst.Candidates.ToArray(), k => k.Fate == CandidateFate.LayerNotTaken);
        }
        // Read whole (no layers), the digit joined with its stamp is misread or dropped.
        Assert.True(wrongWhole >= 3, $"only {wrongWhole} of 4 misread whole: the stamp did not join its digit");
    }

    [Fact]
    public void Read_LoneStampRings_MostReadNothing()
    {
        // Issue 13: a stamp ring alone on a page read as a confident "0": 19 of these 30 with the weights before the lone-mark
        // crops, 6 with these (the rest are broken rings and small round rings, still a 0 or a 1).
        using var c = new DigitClassifier(Model);
        var reader = new NumberReader(c);
        LoneMarkKind[] rings = [LoneMarkKind.Ring, LoneMarkKind.BrokenRing, LoneMarkKind.DoubleRing];
        var read = new List<string>();
        for (int seed = 0; seed < 30; seed++)
        {
            var kind = rings[seed % rings.Length];
            var text = reader.Read(ClutteredFormComposer.LoneMark(new Random(seed), kind).Image).Text;
            if (text.Length > 0) read.Add($"{kind} #{seed} read {text}");
        }
        Assert.True(read.Count <= 8, $"{read.Count} of 30 lone rings read as something: {string.Join("; ", read)}");
    }

    [Fact]
    public void Read_PageOfOnlyLines_IsEmpty()
    {
        using var c = new DigitClassifier(Model);
        var reader = new NumberReader(c);
        for (int seed = 0; seed < 4; seed++)
        {
            var form = ClutteredFormComposer.Compose([new byte[784], new byte[784], new byte[784]], "", new Random(seed),
                [ClutterKind.RulingLine, ClutterKind.TableBorder, ClutterKind.ScannerStrip]);
            Assert.Equal("", reader.Read(form.Image).Text);
        }
    }

    [Fact]
    public void Clutter_Crops_HaveNoneAndDigitClasses()
    {
        var set = DeviceInputDigits.Clutter(Mnist.Load(RepoPaths.Mnist, MnistSplit.Train, limit: 2000), 300, SyntheticSplit.Train, seed: 5);
        Assert.Equal(300, set.Count);
        Assert.Equal([.. DigitSet.DigitClasses, DigitSet.NoneClass], set.ClassNames);
        var counts = set.ClassCounts();
        Assert.True(counts[10] >= 30, $"only {counts[10]} clutter crops");
        Assert.True(counts.Take(10).Count(n => n > 0) >= 8, "digits of the forms should be there too");
    }
}
