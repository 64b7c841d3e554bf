using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Meters.Alignment;

/// <summary>The two-mark aligner's rules: each refusal names the rule and its figures; bad marks are refused when the aligner is made.</summary>
public sealed class MarkAlignerTests
{
    private static FrameTransform Move(double dx, double dy, double degrees, double scale = 1) =>
        FrameTransform.FromShiftRotation(dx, dy, degrees, scale, MeterFaces.Centre.X, MeterFaces.Centre.Y);

    [Fact]
    public void Align_UnmovedFrame_IdentityWithScoreNearOne()
    {
        var (face, layout) = MeterFaces.Sample();
        var result = new MarkAligner(face, layout.Marks).Align(face.Clone());
        Assert.True(result.Aligned);
        Assert.InRange(result.Score, 0.999, 1.0);
        Assert.True(result.Transform.IsIdentity, result.Transform.ToString());
        Assert.Equal(MarkAligner.Centre(layout.Marks[1]).X, result.MarksFound[1].X, 0.01);
        Assert.Equal(MarkAligner.Centre(layout.Marks[1]).Y, result.MarksFound[1].Y, 0.01);
    }

    [Fact]
    public void Align_MarkTwoCovered_RefusedNamingTheMarkAndItsScore()
    {
        var (face, layout) = MeterFaces.Sample();
        var frame = MeterFace.Move(face, Move(5, 3, 0.5), noise: 3);
        var m = layout.Marks[1];
        // A hand or a sticker over the second mark: a plain patch three times its size.
        for (int y = m.Y - m.Height; y < m.Bottom + m.Height; y++)
            for (int x = m.X - m.Width; x < Math.Min(frame.Width, m.Right + m.Width); x++) frame[x, y] = 120;

        var result = new MarkAligner(face, layout.Marks).Align(frame);

        Assert.False(result.Aligned);
        Assert.Matches(@"^reference mark 2 not found: score -?0\.\d\d < 0\.60$", result.Reason);
    }

    [Fact]
    public void Align_MovedFurtherThanTheSearchRadius_Refused()
    {
        var (face, layout) = MeterFaces.Sample();
        var frame = MeterFace.Move(face, Move(30, 0, 0));
        var result = new MarkAligner(face, layout.Marks, new AlignmentOptions { SearchRadius = 20 }).Align(frame);
        Assert.False(result.Aligned);
        Assert.StartsWith("reference mark 1 not found: score", result.Reason);
    }

    [Fact]
    public void Align_TurnedMoreThanAllowed_RefusedWithTheAngle()
    {
        var (face, layout) = MeterFaces.Sample();
        var frame = MeterFace.Move(face, Move(0, 0, 3));
        var result = new MarkAligner(face, layout.Marks, new AlignmentOptions { MaxRotationDegrees = 2, SearchRadius = 40 }).Align(frame);
        Assert.Equal("rotation 3.0° exceeds the 2.0° allowed", result.Reason);
    }

    [Fact]
    public void Align_ScaledWithScaleFixed_RefusedWithTheMarksDistance()
    {
        var (face, layout) = MeterFaces.Sample();
        var frame = MeterFace.Move(face, Move(0, 0, 0, 1.06));
        var result = new MarkAligner(face, layout.Marks, new AlignmentOptions { SearchRadius = 40 }).Align(frame);
        Assert.False(result.Aligned);
        Assert.Matches(@"^reference marks are \d+\.\d px apart on the frame, \d+\.\d px on the reference: scale 1\.06\d is outside 1 ± 0\.030$", result.Reason);
    }

    [Fact]
    public void Align_ScaledWithScaleAllowed_RecoversTheScale()
    {
        var (face, layout) = MeterFaces.Sample();
        var frame = MeterFace.Move(face, Move(4, -3, 1, 1.04));
        var result = new MarkAligner(face, layout.Marks, new AlignmentOptions { SearchRadius = 40, MaxScaleChange = 0.05 }).Align(frame);
        Assert.True(result.Aligned, result.Reason);
        Assert.InRange(result.Transform.Scale, 1.035, 1.045);
    }

    [Fact]
    public void Align_FrameOfAnotherSize_Refused()
    {
        var (face, layout) = MeterFaces.Sample();
        var result = new MarkAligner(face, layout.Marks).Align(new GrayImage(320, 240));
        Assert.Equal("frame is 320x240, the reference 640x480", result.Reason);
    }

    public static TheoryData<PixelRect, string> BadMarks() => new()
    {
        { new PixelRect(620, 60, 32, 32), "reference mark 1 (620,60,32,32) is outside the 640x480 reference" },
        { new PixelRect(56, 60, 6, 32), "reference mark 1 (56,60,6,32): each side must be 8 … 96 pixels" },
        { new PixelRect(300, 20, 32, 32), "reference mark 1 (300,20,32,32) is flat (contrast 0." },
        { new PixelRect(540, 380, 32, 32), "reference marks 1 and 2 are 14 px apart; put them at least 48 px apart (opposite ends of the face)" },
    };

    [Theory]
    [MemberData(nameof(BadMarks))]
    public void Constructor_UnusableMark_ThrowsOneLineNamingTheMark(PixelRect mark, string message)
    {
        var (face, layout) = MeterFaces.Sample();
        var e = Assert.Throws<ArgumentException>(() => new MarkAligner(face, [mark, layout.Marks[1]]));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Constructor_FlatMark_SaysWhatToChoose()
    {
        var (face, layout) = MeterFaces.Sample();
        var e = Assert.Throws<ArgumentException>(() => new MarkAligner(face, [new PixelRect(300, 20, 32, 32), layout.Marks[1]]));
        Assert.Matches(@"is flat \(contrast \d\.\d < 10\): choose a patch with a printed mark or an edge", e.Message);
    }

    [Fact]
    public void Constructor_OneMark_Throws()
    {
        var (face, layout) = MeterFaces.Sample();
        var e = Assert.Throws<ArgumentException>(() => new MarkAligner(face, [layout.Marks[0]]));
        Assert.StartsWith("mark alignment takes 2 reference marks, got 1", e.Message);
    }

    [Theory]
    [InlineData(0, 5, 0, 0.6, "SearchRadius 0 must be 1 … 200 pixels")]
    [InlineData(24, 45, 0, 0.6, "MaxRotationDegrees 45 must be 0 … 20")]
    [InlineData(24, 5, 0.5, 0.6, "MaxScaleChange 0.5 must be 0 … 0.3")]
    [InlineData(24, 5, 0, 1.0, "MinScore 1 must be between 0 and 1")]
    public void Constructor_OptionOutOfRange_ThrowsNamingTheOption(int radius, double rotation, double scale, double score, string message)
    {
        var (face, layout) = MeterFaces.Sample();
        var options = new AlignmentOptions { SearchRadius = radius, MaxRotationDegrees = rotation, MaxScaleChange = scale, MinScore = score };
        var e = Assert.Throws<ArgumentException>(() => new MarkAligner(face, layout.Marks, options));
        Assert.StartsWith("alignment: " + message, e.Message);
    }
}
