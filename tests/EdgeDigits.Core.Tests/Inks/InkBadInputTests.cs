using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Inks;

/// <summary>
/// Inks a kiosk can be sent that no one meant to write (issue 12, bad input): each gives a clear parse error or an
/// honest reading from the real reader and model, never an exception.
/// </summary>
public class InkBadInputTests : IDisposable
{
    private readonly DigitClassifier _classifier = new(TestModels.Default);
    private readonly DigitClassifier? _sequence;
    private readonly NumberReader _reader;

    public InkBadInputTests() : this(withSequenceModel: false)
    {
    }

    protected InkBadInputTests(bool withSequenceModel)
    {
        _sequence = withSequenceModel ? new DigitClassifier(TestModels.InkSequence) : null;
        _reader = new NumberReader(_classifier, null, _sequence);
    }

    /// <summary>A vertical stroke (a "1") of <paramref name="points"/> points, 100 px tall, in the middle of a 320x240 panel.</summary>
    private static InkPoint[] One(int points, float x = 160, long t0 = 0) =>
        Enumerable.Range(0, points).Select(i => new InkPoint(x, 70 + 100f * i / Math.Max(1, points - 1), t0 + i * 300L / Math.Max(1, points - 1))).ToArray();

    private static Ink Traced(int mnistIndex) => InkTracer.Compose([MnistTestSet.Image(mnistIndex).ToArray()], new Random(5));

    [Fact]
    public void EmptyStrokeList_ReadsNothing()
    {
        var r = _reader.Read(Ink.Parse("""{"width":320,"height":240,"strokes":[]}"""));
        Assert.Equal("", r.Text);
        Assert.Equal(0, r.Count);
    }

    [Fact]
    public void StrokesWithoutPoints_ReadNothing()
    {
        var r = _reader.Read(Ink.Parse("""{"width":320,"height":240,"strokes":[[],[]]}"""));
        Assert.Equal("", r.Text);
    }

    [Fact]
    public void OnePoint_ReadsAtMostOneUnsureMark()
    {
        var r = _reader.Read(new Ink(320, 240, [[new InkPoint(100, 100, 0)]]));
        // A tap is something the user did: an honest '?' (not a digit), or nothing; never a confident digit.
        Assert.True(r.Text is "" or "?", $"a single tap read as '{r.Text}'");
    }

    [Fact]
    public void TenThousandPoints_ReadLikeAFewDozen()
    {
        var dense = _reader.Read(new Ink(320, 240, [One(10_000)])).Text;
        var sparse = _reader.Read(new Ink(320, 240, [One(30)])).Text;
        Assert.Equal("1", sparse);
        Assert.Equal(sparse, dense);
    }

    [Fact]
    public void NaNPoints_AreLeftOut()
    {
        var clean = One(30);
        var withNaN = clean.Concat([new InkPoint(float.NaN, 120, 310), new InkPoint(170, float.PositiveInfinity, 320)]).ToArray();
        Assert.Equal("1", _reader.Read(new Ink(320, 240, [withNaN])).Text);
        Assert.Equal("", _reader.Read(new Ink(320, 240, [[new InkPoint(float.NaN, float.NaN, 0)]])).Text);
    }

    [Fact]
    public void NaNInJson_IsAParseErrorWithPosition()
    {
        var e = Assert.Throws<InkFormatException>(() => Ink.Parse("""{"width":320,"height":240,"strokes":[[[1,2,0],[NaN,3,5]]]}""", "pen.json"));
        Assert.StartsWith("pen.json: invalid JSON at line 1", e.Message);
    }

    [Fact]
    public void NegativeAndOutsideCoordinates_DigitStillRead()
    {
        // The whole "1" shifted partly off the panel's left/top edge still reads (the panel size does not crop the ink).
        var shifted = One(30, x: -20).Select(p => p with { Y = p.Y - 100 }).ToArray();
        Assert.Equal("1", _reader.Read(new Ink(320, 240, [shifted])).Text);
    }

    [Fact]
    public void StrokeFarOutsideThePanel_ReadAsWritten()
    {
        var far = One(30, x: 5000);
        Assert.Equal("1", _reader.Read(new Ink(320, 240, [far])).Text);
    }

    [Fact]
    public void NonMonotonicTime_ReadsTheSame()
    {
        var ink = Traced(0);
        var expected = _reader.Read(ink).Text;
        var rng = new Random(3);
        var shuffledTime = ink.Strokes.Select(s => s.Select(p => p with { TimeMs = rng.Next(0, 1000) }).ToArray()).ToArray();
        var backwards = ink.Strokes.Select((s, i) => s.Select(p => p with { TimeMs = -p.TimeMs - 1000L * i }).ToArray()).ToArray();
        Assert.Equal("7", expected);
        Assert.Equal(expected, _reader.Read(new Ink(ink.Width, ink.Height, shuffledTime)).Text);
        Assert.Equal(expected, _reader.Read(new Ink(ink.Width, ink.Height, backwards)).Text);
    }

    public void Dispose()
    {
        _classifier.Dispose();
        _sequence?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same bad inks read as the kiosk reads them: with the ink sequence model beside the image model.</summary>
public sealed class InkBadInputWithSequenceModelTests() : InkBadInputTests(withSequenceModel: true);
