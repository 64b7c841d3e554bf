using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Data.PenDigits;

public sealed class UnipenReaderTests
{
    private const string TwoDigits = """
        .INCLUDE        dene.doc

        .LEXICON "0" "1" "2" "3" "4" "5" "6" "7" "8" "9"
        .HIERARCHY      DIGIT

        .SEGMENT DIGIT    0 ? "7"
        .COMMENT 7 12  224
        .PEN_DOWN
         100  400
         200  400
         150  100
        .PEN_UP
        .DT 100
        .PEN_DOWN
         120  250
         180  250
        .PEN_UP
        .DT 250
        .SEGMENT DIGIT    1-2 ? "1"
        .COMMENT 1 3  5
        .PEN_DOWN
         250  450
         250  50
        .PEN_UP
        .DT 100
        """;

    [Fact]
    public void Parse_TwoSegments_ReadsLabelsWritersAndIndices()
    {
        var digits = UnipenReader.Parse(TwoDigits, "t.tra");
        Assert.Equal(2, digits.Count);
        Assert.Equal((7, 12, 224), (digits[0].Digit, digits[0].Writer, digits[0].Index));
        Assert.Equal((1, 3, 5), (digits[1].Digit, digits[1].Writer, digits[1].Index));
        Assert.Equal("7", digits[0].Ink.Label);
        Assert.Equal(2, digits[0].Ink.Strokes.Count);
    }

    [Fact]
    public void Parse_Points_FlipsYAndTimesTenMsApartWithPenUpGap()
    {
        var ink = UnipenReader.Parse(TwoDigits).First().Ink;
        Assert.Equal((500, 500), (ink.Width, ink.Height));
        var first = ink.Strokes[0];
        Assert.Equal((100f, 100f, 0L), (first[0].X, first[0].Y, first[0].TimeMs));
        Assert.Equal((150f, 400f, 20L), (first[2].X, first[2].Y, first[2].TimeMs));
        var second = ink.Strokes[1];
        Assert.Equal((120f, 250f, 120L), (second[0].X, second[0].Y, second[0].TimeMs));
        Assert.Equal(130L, second[1].TimeMs);
    }

    [Theory]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 1 1\n.PEN_DOWN\n 10 x\n.PEN_UP\n", 4, "expected a point 'x y' (two integers), got '10 x'")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 1 1\n.PEN_DOWN\n 10 20\n", 4, "file ends while the pen is down")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 1 1\n 10 20\n", 3, "not a keyword and the pen is not down")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 3 1 1\n", 2, ".COMMENT names digit 3 but the segment is labelled \"7\"")]
    [InlineData(".SEGMENT DIGIT 0 ? \"x\"\n", 1, "segment label \"x\" is not one digit in quotes")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.PEN_DOWN\n 1 2\n.PEN_UP\n", 1, "segment has no '.COMMENT digit writer index' line")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 1 1\n.PEN_UP\n", 3, ".PEN_UP without .PEN_DOWN")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 1 1\n.PEN_DOWN\n.PEN_DOWN\n", 4, ".PEN_DOWN while the pen is already down")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 1 1\n.PEN_DOWN\n 1 2\n.PEN_UP\n.DT soon\n", 6, "expected '.DT milliseconds'")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 1 1\n.WIBBLE\n", 3, "unexpected keyword .WIBBLE")]
    [InlineData(".PEN_DOWN\n", 1, ".PEN_DOWN before any .SEGMENT")]
    [InlineData(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 1 1\n.SEGMENT DIGIT 1 ? \"7\"\n", 1, "segment has no strokes")]
    public void Parse_MalformedText_ThrowsNamingSourceAndLine(string text, int line, string what)
    {
        var ex = Assert.Throws<InvalidDataException>(() => UnipenReader.Parse(text, "bad.tra"));
        Assert.StartsWith($"bad.tra: line {line}: ", ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void Load_CompressedAndPlainFixture_SameDigits()
    {
        var z = UnipenReader.Load(PenFixtures.Compressed);
        var plain = UnipenReader.Load(PenFixtures.PlainText);
        Assert.Equal(16, z.Count);
        Assert.Equal(plain.Select(d => (d.Digit, d.Writer, d.Index, d.Ink.PointCount)), z.Select(d => (d.Digit, d.Writer, d.Index, d.Ink.PointCount)));
        Assert.Equal((4, 1, 117), (z[0].Digit, z[0].Writer, z[0].Index));
        Assert.Equal(31, z[0].Ink.PointCount);
        Assert.Equal(10, z.Count(d => d.Writer == 1));
        Assert.Equal(6, z.Count(d => d.Writer == 25));
    }

    [Fact]
    public void Load_MissingFile_ThrowsInvalidDataNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-pendigits.tra");
        var ex = Assert.Throws<InvalidDataException>(() => UnipenReader.Load(path));
        Assert.StartsWith($"{path}: cannot read file", ex.Message);
    }
}
