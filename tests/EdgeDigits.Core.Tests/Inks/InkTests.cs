using EdgeDigits.Core.Inks;

namespace EdgeDigits.Core.Tests.Inks;

public class InkTests
{
    private const string Valid = """
        {"width":320,"height":240,"label":"17",
         "strokes":[[[10,20,0],[10,80,50]],
                    [[60,20,400],[90,20,420],[70,80,480]]]}
        """;

    [Fact]
    public void Parse_ValidJson_ReadsEverything()
    {
        var ink = Ink.Parse(Valid);
        Assert.Equal((320, 240, "17"), (ink.Width, ink.Height, ink.Label));
        Assert.Equal(2, ink.Strokes.Count);
        Assert.Equal(new InkPoint(90, 20, 420), ink.Strokes[1][1]);
        Assert.Equal(5, ink.PointCount);
    }

    [Fact]
    public void ToJson_ThenParse_RoundTrips()
    {
        var ink = Ink.Parse(Valid);
        var back = Ink.Parse(ink.ToJson());
        Assert.Equal(ink.Label, back.Label);
        Assert.Equal(ink.Strokes.SelectMany(s => s), back.Strokes.SelectMany(s => s));
    }

    [Fact]
    public void Parse_TruncatedJson_ErrorGivesLineAndColumn()
    {
        var e = Assert.Throws<InkFormatException>(() => Ink.Parse("{\"width\":320,\n\"height\":240,\n\"strokes\":[[[1,2,3],", "pen.json"));
        Assert.StartsWith("pen.json: invalid JSON at line 3", e.Message);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Parse_PointWithFourNumbers_ErrorNamesStrokeAndPosition()
    {
        var e = Assert.Throws<InkFormatException>(() => Ink.Parse("{\"width\":320,\"height\":240,\n\"strokes\":[[[1,2,3],[4,5,6,7]]]}", "a.json"));
        Assert.Contains("stroke 0 point 1", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Parse_MissingWidth_SaysSo()
    {
        var e = Assert.Throws<InkFormatException>(() => Ink.Parse("{\"height\":240,\"strokes\":[]}", "b.json"));
        Assert.Equal("b.json: missing \"width\"", e.Message);
    }

    [Fact]
    public void Parse_NegativeHeight_SaysSo()
    {
        var e = Assert.Throws<InkFormatException>(() => Ink.Parse("{\"width\":10,\"height\":-4,\"strokes\":[]}", "c.json"));
        Assert.Contains("\"height\" must be a positive integer", e.Message);
        Assert.Contains("column", e.Message);
    }

    [Fact]
    public void Parse_StringCoordinate_Rejected()
    {
        var e = Assert.Throws<InkFormatException>(() => Ink.Parse("{\"width\":10,\"height\":4,\"strokes\":[[[\"1\",2,3]]]}"));
        Assert.Contains("three numbers", e.Message);
    }

    [Fact]
    public void Parse_NotAnObject_Rejected()
    {
        var e = Assert.Throws<InkFormatException>(() => Ink.Parse("[1,2,3]", "d.json"));
        Assert.StartsWith("d.json: expected a JSON object", e.Message);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var e = Assert.Throws<InkFormatException>(() => Ink.Load("/nonexistent/x.json"));
        Assert.Contains("/nonexistent/x.json", e.Message);
    }

    [Fact]
    public void Save_WritesAtomically_AndLoadsBack()
    {
        var dir = EdgeDigits.Tests.Shared.RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "i.json");
        Ink.Parse(Valid).Save(path);
        Assert.Single(Directory.GetFiles(dir));
        Assert.Equal("17", Ink.Load(path).Label);
        Directory.Delete(dir, true);
    }
}

public class InkLimitTests
{
    [Fact]
    public void Parse_TooManyStrokes_RejectedWithPosition()
    {
        var json = "{\"width\":10,\"height\":10,\"strokes\":[" + string.Join(",", Enumerable.Repeat("[[1,1,0]]", Ink.MaxStrokes + 1)) + "]}";
        var e = Assert.Throws<InkFormatException>(() => Ink.Parse(json, "many.json"));
        Assert.Contains($"more than {Ink.MaxStrokes} strokes", e.Message);
        Assert.Contains("column", e.Message);
    }
}
