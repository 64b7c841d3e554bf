using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Tests.TestInfrastructure;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Core.Tests.Meters;

public sealed class MeterLayoutTests
{
    private const string Valid = """
        { "Windows": [ { "X": 10, "Y": 20, "Width": 40, "Height": 64 }, { "X": 60, "Y": 20, "Width": 40, "Height": 64 } ],
          "Alignment": { "Mode": "marks", "Reference": "reference.png", "Marks": [ { "X": 0, "Y": 0, "Width": 16, "Height": 16 }, { "X": 200, "Y": 100, "Width": 16, "Height": 16 } ], "MinScore": 0.7 } }
        """;

    [Fact]
    public void Parse_ValidLayout_ReadsWindowsMarksAndOptions_AndRoundTrips()
    {
        var layout = MeterLayout.Parse(Valid);
        Assert.Equal([new PixelRect(10, 20, 40, 64), new PixelRect(60, 20, 40, 64)], layout.Windows);
        Assert.Equal(AlignmentMode.Marks, layout.Mode);
        Assert.Equal(new PixelRect(200, 100, 16, 16), layout.Marks[1]);
        Assert.Equal(0.7, layout.Options.MinScore);
        Assert.Equal(AlignmentOptions.DefaultSearchRadius, layout.Options.SearchRadius);

        var again = MeterLayout.Parse(layout.ToJson());
        Assert.Equal(layout.Windows, again.Windows);
        Assert.Equal(layout.Marks, again.Marks);
        Assert.Equal(layout.Options, again.Options);
        Assert.Equal(layout.Reference, again.Reference);
    }

    [Fact]
    public void Parse_WindowsOnly_NoAlignment()
    {
        var layout = MeterLayout.Parse("""{"Windows":[{"X":1,"Y":2,"Width":3,"Height":4}]}""");
        Assert.Equal(AlignmentMode.None, layout.Mode);
        Assert.Null(layout.CreateAligner(new GrayImage(10, 10)));
    }

    [Theory]
    [InlineData("""{"Windows":[]}""", "Windows lists 0 windows; a layout takes 1 … 16")]
    [InlineData("""{"Windows":[{"X":1,"Y":2,"Width":0,"Height":4}]}""", "Windows:0 (1,2,0,4) needs X, Y >= 0 and a positive Width and Height")]
    [InlineData("""{"Windows":[{"X":0,"Y":0,"Width":10,"Height":10},{"X":5,"Y":5,"Width":10,"Height":10}]}""", "Windows:0 (0,0,10,10) and Windows:1 (5,5,10,10) overlap: each window is one wheel")]
    [InlineData("""{"Windows":[{"X":0,"Y":0,"Width":10,"Height":10}],"Alignment":{"Mode":"Magic","Reference":"r.png"}}""", "Alignment:Mode 'Magic' is not one of None, Marks, Registration")]
    [InlineData("""{"Windows":[{"X":0,"Y":0,"Width":10,"Height":10}],"Alignment":{"Mode":"Marks","Reference":"r.png"}}""", "Alignment:Mode Marks needs 2 Marks, got 0")]
    [InlineData("""{"Windows":[{"X":0,"Y":0,"Width":10,"Height":10}],"Alignment":{"Mode":"Registration"}}""", "Alignment:Mode Registration needs a Reference image")]
    [InlineData("""{"Windows":[{"X":0,"Y":0,"Width":10,"Height":10}],"Alignment":{"Mode":"Registration","Reference":"r.png","MinScore":2}}""", "Alignment: MinScore 2 must be between 0 and 1")]
    public void Parse_RuleBroken_OneLineNamingTheKey(string json, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => MeterLayout.Parse(json));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Load_MalformedOrUnknownKey_ErrorNamesTheFileAndWhere()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "layout.json");
        File.WriteAllText(path, "{ \"Windows\": [ { \"X\": 1, \"Y\": 2,, } ] }");
        var e = Assert.Throws<InvalidDataException>(() => MeterLayout.Load(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("LineNumber: 0", e.Message);
        File.WriteAllText(path, "{ \"Window\": [] }");
        e = Assert.Throws<InvalidDataException>(() => MeterLayout.Load(path));
        Assert.Contains("Window", e.Message);
        Assert.Throws<InvalidDataException>(() => MeterLayout.Load(Path.Combine(dir, "missing.json")));
    }

    [Fact]
    public void Load_RelativeReference_ResolvedAgainstTheFile()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "layout.json");
        File.WriteAllText(path, Valid);
        Assert.Equal(Path.Combine(dir, "reference.png"), MeterLayout.Load(path).Reference);
    }

    [Fact]
    public void CreateAligner_WindowOutsideTheReference_Throws()
    {
        var (face, layout) = MeterFaces.Sample();
        var small = face.Crop(new PixelRect(0, 0, 300, 300));
        var e = Assert.Throws<ArgumentException>(() => layout.CreateAligner(small));
        Assert.StartsWith("Windows:", e.Message);
        Assert.Contains("is outside the 300x300 reference", e.Message);
    }
}
