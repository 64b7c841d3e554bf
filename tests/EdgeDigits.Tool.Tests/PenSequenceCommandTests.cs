using System.Text.Json.Nodes;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;
using Microsoft.ML.OnnxRuntime;

namespace EdgeDigits.Tool.Tests;

/// <summary><c>train --sequence</c> and <c>eval --pen --ink-model</c>: the ink sequence model from the command line.</summary>
public sealed class PenSequenceCommandTests
{
    private static string NewPenDir()
    {
        var dir = RepoPaths.NewTempDir("edgedigits-pen");
        File.Copy(Path.Combine(RepoPaths.Root, "tests", "EdgeDigits.Training.Tests", "TestData", "pendigits-sample.tra.Z"), Path.Combine(dir, "pendigits-orig.tra.Z"));
        return dir;
    }

    private static string InkModel => Path.Combine(RepoPaths.Models, "inkseq-fp32.onnx");

    [Theory]
    [InlineData("train --sequence --pen p --synthetic 10", "--synthetic cannot be combined with --sequence")]
    [InlineData("train --sequence", "--sequence needs --pen DIR")]
    [InlineData("train --pen p --val-writers 3", "--val-writers needs --sequence")]
    public void TrainSequence_BadCombinations_ExitUsageWithOneLine(string line, string message)
    {
        var r = ToolProcess.Run(line.Split(' '));
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal($"edgedigits train: {message}", r.Stderr.Trim().Split('\n')[^1].Split(" (")[0]);
    }

    [Theory]
    [InlineData("train --sequence --pen p --val-writers 4-2", "'4-2' runs backwards")]
    [InlineData("eval --model m --data d --ink-model s", "--ink-model reads pen inks: it needs --pen")]
    [InlineData("eval --model m --pen p --sequence-weight 0.3", "--sequence-weight needs --ink-model")]
    [InlineData("eval --model m --pen p --ink-model s --sequence-weight 1.5", "--sequence-weight must be within [0,1]")]
    public void Parse_BadSequenceOptions_ReportError(string line, string message)
    {
        var errors = EdgeDigitsCli.CreateRootCommand().Parse(line).Errors;
        Assert.Contains(errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void TrainSequence_SampleWriters_WritesAnInkSequenceModelOrtRuns()
    {
        var dir = RepoPaths.NewTempDir();
        var output = Path.Combine(dir, "seq-fp32.onnx");
        var r = ToolProcess.Run("train", "--sequence", "--pen", NewPenDir(), "--pen-writers", "1", "--val-writers", "25", "--epochs", "2", "--arch", "c8,c8/2,fc", "--out", output);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("pen digits: 10 of writers 1 for training, 6 of writers 25 for validation", r.Stderr);
        Assert.Contains("epoch 2/2", r.Stderr);
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "seq.json")))!;
        Assert.Equal("ink-sequence", meta["kind"]!.GetValue<string>());
        Assert.Equal(new[] { -1, 5, 1, 64 }, meta["inputShape"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray());
        Assert.Equal("25", meta["training"]!["data"]!["validationWriters"]!.GetValue<string>());
        using var session = new InferenceSession(output);
        Assert.Equal(new[] { -1, 5, 1, 64 }, session.InputMetadata["input"].Dimensions);
    }

    [Fact]
    public void TrainSequence_ExtraInkFolder_TrainsOnItsDigits()
    {
        var dir = RepoPaths.NewTempDir();
        var inks = Directory.CreateDirectory(Path.Combine(dir, "corrections")).FullName;
        foreach (var (name, digits) in new[] { ("a.json", "58"), ("b.json", "307") })
        {
            var ink = StrokeFont.Write(digits, 70, 15, 60);
            new Ink(ink.Width, ink.Height, ink.Strokes, digits).Save(Path.Combine(inks, name));
        }
        var r = ToolProcess.Run("train", "--sequence", "--pen", NewPenDir(), "--pen-writers", "1", "--extra", inks, "--epochs", "1", "--arch", "c8,c8/2,fc", "--out", Path.Combine(dir, "seq-fp32.onnx"));
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains($"{inks}: 5 digits from labeled inks", r.Stderr);
        Assert.Contains("pen digits: 10 of writers 1 for training, 0 of writers - for validation; 5 digits of labeled inks", r.Stderr);
    }

    [Fact]
    public void TrainSequence_ExtraImageFolder_ExitsBadInputWithOneLine()
    {
        var images = RepoPaths.NewTempDir("images");
        Directory.CreateDirectory(Path.Combine(images, "3"));
        var r = ToolProcess.Run("train", "--sequence", "--pen", NewPenDir(), "--pen-writers", "1", "--extra", images, "--epochs", "1");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.EndsWith($"{images}: not a folder of labeled inks (DIR/*.json): the sequence model learns from pen strokes, not images", r.Stderr.Trim().Split('\n')[^1]);
    }

    [Fact]
    public void TrainSequence_OverlappingWriters_ExitsBadInput()
    {
        var r = ToolProcess.Run("train", "--sequence", "--pen", NewPenDir(), "--pen-writers", "1,25", "--val-writers", "25", "--epochs", "1");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("overlap", r.Stderr);
    }

    [Fact]
    public void EvalPen_WithInkModel_RecordsItAndReadsTheSingles()
    {
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "digits-int8.onnx"), "--pen", NewPenDir(), "--pen-writers", "1", "--pen-strings", "10",
            "--ink-model", InkModel, "--sequence-weight", "0.5", "--json");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var report = JsonNode.Parse(r.Stdout)!["pen"]![0]!;
        Assert.Equal(InkModel, report["inkModel"]!.GetValue<string>());
        Assert.Equal(0.5, report["sequenceWeight"]!.GetValue<double>());
        Assert.Equal(10, report["singleDigits"]!["count"]!.GetValue<int>());
        Assert.True(report["singleDigits"]!["correct"]!.GetValue<int>() >= 9, r.Stdout);
    }

    [Theory]
    [InlineData("--pen")]
    [InlineData("--data")]
    public void Eval_InkModelAsTheImageModel_ExitsUsageWithTheWayOut(string source)
    {
        var dir = source == "--pen" ? NewPenDir() : RepoPaths.Mnist;
        var r = ToolProcess.Run("eval", "--model", InkModel, source, dir);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal($"edgedigits eval: --model {InkModel}: an 'ink-sequence' model reads ink strokes beside an image model: evaluate it with --pen DIR --ink-model {InkModel}", r.Stderr.Trim());
    }
}
