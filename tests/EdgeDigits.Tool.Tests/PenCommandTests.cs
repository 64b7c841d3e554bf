using System.Text.Json.Nodes;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;

namespace EdgeDigits.Tool.Tests;

public sealed class PenCommandTests
{
    private static string NewPenDir()
    {
        var dir = RepoPaths.NewTempDir("edgedigits-pen");
        File.Copy(Path.Combine(RepoPaths.Root, "tests", "EdgeDigits.Training.Tests", "TestData", "pendigits-sample.tra.Z"), Path.Combine(dir, "pendigits-orig.tra.Z"));
        return dir;
    }

    [Fact]
    public void ParseEval_PenOptions_BindValues()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("eval --model m.onnx --pen p --pen-writers 25-30 --pen-strings 50 --seed 4 --pen-misread mis");
        Assert.Empty(r.Errors);
        var e = Assert.IsType<EvalCommand>(r.CommandResult.Command);
        Assert.Equal("p", r.GetValue(e.Pen));
        Assert.Equal("25-30", r.GetValue(e.PenWriters));
        Assert.Equal(50, r.GetValue(e.PenStrings));
        Assert.Equal(4, r.GetValue(e.Seed));
        Assert.Equal("mis", r.GetValue(e.PenMisread));
    }

    [Theory]
    [InlineData("eval --model m --pen p --data d", "give either --data (crops) or --pen")]
    [InlineData("eval --model m", "give either --data (crops) or --pen")]
    [InlineData("eval --model m --pen p --pen-writers 9-3", "'9-3' runs backwards")]
    [InlineData("eval --model m --pen p --pen-strings -1", "--pen-strings must not be negative")]
    [InlineData("eval --model m --pen p --out figs", "with --pen use --pen-misread DIR")]
    [InlineData("train --pen p --pen-writers x", "'x' is not a writer number")]
    [InlineData("train --pen p --pen-copies 0", "--pen-copies must be at least 1")]
    public void Parse_BadPenOptions_ReportError(string line, string message)
    {
        var errors = EdgeDigitsCli.CreateRootCommand().Parse(line).Errors;
        Assert.Contains(errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void EvalPen_SampleWriterOne_ReadsSinglesAndStringsAsJson()
    {
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "digits-int8.onnx"), "--pen", NewPenDir(), "--pen-writers", "1", "--pen-strings", "20", "--json");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var doc = JsonNode.Parse(r.Stdout)!;
        Assert.Equal("edgedigits-eval-pen/1", doc["format"]!.GetValue<string>());
        var report = doc["pen"]![0]!;
        Assert.Equal(10, report["singleDigits"]!["count"]!.GetValue<int>());
        Assert.Equal(20, report["strings"]!["count"]!.GetValue<int>());
        Assert.Equal("1", report["writers"]!.GetValue<string>());
        var singles = report["singleDigits"]!;
        Assert.Equal(10, singles["correct"]!.GetValue<int>() + singles["unsure"]!.GetValue<int>() + singles["wrong"]!.GetValue<int>());
        Assert.Equal(10, report["singleDigitsByDigit"]!.AsObject().Count);
        Assert.Equal(10, report["singleDigitsByWriter"]!["1"]!["count"]!.GetValue<int>());
        Assert.Equal(20, report["stringsByLength"]!.AsObject().Sum(kv => kv.Value!["count"]!.GetValue<int>()));
        Assert.Contains("inks read", r.Stderr);
    }

    [Fact]
    public void EvalPen_WritersNotInFolder_ExitsBadInputWithOneLine()
    {
        var dir = NewPenDir();
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "digits-int8.onnx"), "--pen", dir, "--pen-writers", "2-5");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Equal($"edgedigits eval: {dir}: no pen digits by writers 2-5 (the folder has writers 1-25)", r.Stderr.Trim());
    }

    [Fact]
    public void TrainPen_SampleWriters_RendersCropsAndRecordsThem()
    {
        var dir = RepoPaths.NewTempDir();
        var output = Path.Combine(dir, "pen-fp32.onnx");
        var pen = NewPenDir();
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--limit", "100", "--pen", pen, "--pen-writers", "1,25", "--pen-copies", "2",
            "--arch", "c4,p,gap,fc", "--epochs", "1", "--out", output);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("rendered 32 crops of 16 pen digits (writers 1,25, 2 per digit; 0 left out", r.Stderr);
        var data = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "pen.json")))!["training"]!["data"]!;
        Assert.Equal(132, data["trainImages"]!.GetValue<int>());
        Assert.Equal("1,25", data["penDigits"]!["writers"]!.GetValue<string>());
        Assert.Equal(32, data["penDigits"]!["crops"]!.GetValue<int>());
    }
}
