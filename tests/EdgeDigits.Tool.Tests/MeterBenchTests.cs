using System.Text.Json;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;

namespace EdgeDigits.Tool.Tests;

/// <summary><c>edgedigits bench --meter LAYOUT</c> on the shipped meter frames.</summary>
public sealed class MeterBenchTests
{
    [Fact]
    public void ExecuteMeter_ShortRun_ReportsAlignmentAndFrameFigures()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = BenchCommand.ExecuteMeter(Path.Combine(RepoPaths.Samples, "meter-frames", "meter.json"), null, 12, o, e);
        Assert.Equal("", e.ToString());
        using var doc = JsonDocument.Parse(o.ToString());
        var root = doc.RootElement;
        Assert.Equal(MeterFace.SampleValues.Count, root.GetProperty("frames").GetInt32());
        Assert.StartsWith("score 0.", root.GetProperty("alignMarks").GetProperty("last").GetString());
        Assert.StartsWith("score 0.", root.GetProperty("alignRegistration").GetProperty("last").GetString());
        Assert.Contains(root.GetProperty("frame").GetProperty("last").GetString(), MeterFace.SampleValues);
        Assert.True(root.GetProperty("frame").GetProperty("p50Ms").GetDouble() > 0);
        Assert.Equal(root.GetProperty("frame").GetProperty("met").GetBoolean() ? ExitCodes.Success : ExitCodes.Failed, exit);
    }

    [Fact]
    public void ExecuteMeter_MissingLayout_BadInput()
    {
        var e = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, BenchCommand.ExecuteMeter("/nonexistent/meter.json", null, 5, new StringWriter(), e));
        Assert.StartsWith("edgedigits bench: /nonexistent/meter.json: cannot read the layout", e.ToString());
    }
}

/// <summary><c>edgedigits samples --meter-frames DIR</c>: the meter frames are written from a meterdigits folder.</summary>
public sealed class MeterFrameSamplesTests
{
    [Fact]
    public void Samples_MeterFramesFromMissingFolder_OneLineAndExitBadInput()
    {
        var r = ToolProcess.Run("samples", "--meter-frames", "/nonexistent/meterdigits", "--out", RepoPaths.NewTempDir());
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Equal("edgedigits samples: /nonexistent/meterdigits: no meterdigits folder (edgedigits data fetch meterdigits)", r.Stderr.Trim());
    }

    [Theory]
    [InlineData("--frames")]
    [InlineData("--burst")]
    public void Samples_RangeCheckedNumberThatIsNotANumber_OneLineAndExitUsage(string option)
    {
        var r = ToolProcess.Run("samples", "--meter-sequence", "/nonexistent/meterdigits", option, "abc", "--out", RepoPaths.NewTempDir());
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal($"edgedigits: Cannot parse argument 'abc' for option '{option}' as expected type 'System.Int32'.", r.Stderr.Trim());
    }

    [Fact]
    public void Samples_MeterFramesFromAFolderWithoutThatMeter_SaysWhichFolder()
    {
        var dir = RepoPaths.NewTempDir();
        foreach (var d in Enumerable.Range(0, 10)) Directory.CreateDirectory(Path.Combine(dir, $"{d}.0"));
        var r = ToolProcess.Run("samples", "--meter-frames", dir, "--out", RepoPaths.NewTempDir());
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("0.0: no window of the main_dig meter", r.Stderr);
    }

    [Theory]
    [InlineData("samples --frames 5", "--frames, --family, --seed and --burst apply to --meter-sequence only")]
    [InlineData("samples --burst 3", "--frames, --family, --seed and --burst apply to --meter-sequence only")]
    [InlineData("samples --meter-sequence data/meterdigits --burst 11", "--burst must be 1 … 10")]
    [InlineData("samples --meter-sequence data/meterdigits --frames 0", "--frames must be 1 … 100000")]
    [InlineData("samples --meter-sequence data/meterdigits --meter-frames data/meterdigits", "give --meter-frames or --meter-sequence, not both")]
    public void Parse_MeterSequenceBadOptions_ReportsWhatIsWrong(string line, string message)
    {
        var result = EdgeDigitsCli.CreateRootCommand().Parse(line);
        Assert.Contains(result.Errors, e => e.Message.Contains(message));
        Assert.Equal(ExitCodes.Usage, EdgeDigitsCli.Run(line.Split(' ')));
    }

    [Fact]
    public void Samples_MeterSequenceOfAFamilyNotThere_OneLineAndExitBadInput()
    {
        var dir = RepoPaths.NewTempDir();
        foreach (var d in Enumerable.Range(0, 10)) Directory.CreateDirectory(Path.Combine(dir, $"{d}.0"));
        var r = ToolProcess.Run("samples", "--meter-sequence", dir, "--family", "roi", "--out", RepoPaths.NewTempDir());
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Equal($"edgedigits samples: {dir}: no window of meter family 'roi'", r.Stderr.Trim());
    }
}
