using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Tool.Tests;

/// <summary><c>edgedigits read --one-digit --windows LAYOUT</c> on the shipped meter frames (real windows of one meter, the camera moved between frames).</summary>
public sealed class ReadMeterFrameTests
{
    private static string Frames => Path.Combine(RepoPaths.Samples, "meter-frames");

    private static string Layout => Path.Combine(Frames, "meter.json");

    [Fact]
    public void Read_SampleFrames_AlignedAndReadAsTheirValues()
    {
        var debug = RepoPaths.NewTempDir();
        var r = ToolProcess.Run("read", "--one-digit", "--windows", Layout, Frames, "--debug-dir", debug);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(MeterFace.SampleValues.Count, lines.Length);
        for (int f = 0; f < lines.Length; f++)
        {
            var cols = lines[f].Split('\t');
            Assert.Equal($"frame-{f}.jpg", Path.GetFileName(cols[0]));
            Assert.Equal(MeterFace.SampleValues[f], cols[1]);
            Assert.Matches(@"^aligned (0\.9\d|1\.00): shift", cols[3]);
            var debugPng = GrayImageCodec.Decode(Path.Combine(debug, $"frame-{f}.jpg.align.png"));
            Assert.Equal((640, 480), (debugPng.Width, debugPng.Height));
        }
    }

    [Fact]
    public void Read_ReferenceGivenWithoutMarks_RegistersTheFaceInstead()
    {
        var dir = RepoPaths.NewTempDir();
        var layout = MeterLayout.Load(Layout) with { Mode = Core.Meters.Alignment.AlignmentMode.None, Reference = null, Marks = [] };
        File.WriteAllText(Path.Combine(dir, "windows.json"), layout.ToJson());
        var r = ToolProcess.Run("read", "--one-digit", "--json", "--windows", Path.Combine(dir, "windows.json"), "--reference", Path.Combine(Frames, "frame-0.jpg"), Path.Combine(Frames, "frame-3.jpg"));
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(MeterFace.SampleValues[3], doc.RootElement.GetProperty("text").GetString());
        Assert.InRange(doc.RootElement.GetProperty("alignment").GetProperty("angle").GetDouble(), 2.0, 3.0);
        Assert.Equal(8, doc.RootElement.GetProperty("wheels").GetArrayLength());
    }

    [Fact]
    public void Read_MarkCovered_RefusedWithTheReasonAndExitBadInput()
    {
        var dir = RepoPaths.NewTempDir();
        var frame = GrayImageCodec.Decode(Path.Combine(Frames, "frame-1.jpg"));
        for (int y = 40; y < 120; y++)
            for (int x = 30; x < 120; x++) frame[x, y] = 200;
        var path = Path.Combine(dir, "covered.png");
        GrayImageCodec.SavePng(frame, path);
        var r = ToolProcess.Run("read", "--one-digit", "--windows", Layout, path);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Matches(@"covered\.png: not read: reference mark 1 not found: score -?0\.\d\d < 0\.60", r.Stderr);
        Assert.Equal("", r.Stdout);
    }

    [Fact]
    public void Read_FrameOfAnotherSizeAndCorruptFrame_EachReported_OthersRead()
    {
        var dir = RepoPaths.NewTempDir();
        GrayImageCodec.SavePng(new GrayImage(320, 240), Path.Combine(dir, "small.png"));
        File.WriteAllBytes(Path.Combine(dir, "broken.jpg"), File.ReadAllBytes(Path.Combine(Frames, "frame-2.jpg"))[..4000]);
        File.Copy(Path.Combine(Frames, "frame-2.jpg"), Path.Combine(dir, "good.jpg"));
        var r = ToolProcess.Run("read", "--one-digit", "--windows", Layout, dir);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("small.png: not read: frame is 320x240, the reference 640x480", r.Stderr);
        Assert.Contains("broken.jpg: truncated file", r.Stderr);
        Assert.Contains($"good.jpg\t{MeterFace.SampleValues[2]}\t", r.Stdout);
    }

    [Theory]
    [InlineData("{ \"Windows\": [] }", "Windows lists 0 windows")]
    [InlineData("{ \"Windows\": [ {\"X\":0,\"Y\":0,\"Width\":40,\"Height\":64} ], \"Alignment\": { \"Mode\": \"Marks\", \"Reference\": \"frame-0.jpg\", \"Marks\": [ {\"X\":630,\"Y\":60,\"Width\":32,\"Height\":32}, {\"X\":552,\"Y\":388,\"Width\":32,\"Height\":32} ] } }", "reference mark 1 (630,60,32,32) is outside the 640x480 reference")]
    [InlineData("{ \"Windows\": [ {\"X\":0,\"Y\":0,\"Width\":40,\"Height\":64} ], \"Alignment\": { \"Mode\": \"Registration\", \"Reference\": \"nothing.png\" } }", "nothing.png: cannot read file")]
    public void Read_UnusableLayout_OneLineAndExitBadInput(string json, string message)
    {
        var dir = RepoPaths.NewTempDir();
        File.Copy(Path.Combine(Frames, "frame-0.jpg"), Path.Combine(dir, "frame-0.jpg"));
        File.WriteAllText(Path.Combine(dir, "layout.json"), json);
        var r = ToolProcess.Run("read", "--one-digit", "--windows", Path.Combine(dir, "layout.json"), Path.Combine(dir, "frame-0.jpg"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("read", "--windows", "x.json", "f.jpg")]
    [InlineData("read", "--one-digit", "--reference", "r.png", "f.jpg")]
    [InlineData("read", "--one-digit", "--windows", "x.json", "--roi", "0,0,4,4", "f.jpg")]
    public void Read_WindowsOptionsMisused_ExitUsage(params string[] args)
    {
        var r = ToolProcess.Run(args);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--windows LAYOUT goes with --one-digit", r.Stderr);
    }
}
