using System.Text.Json;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;

namespace EdgeDigits.Tool.Tests;

public class BenchCommandTests
{
    private static string Model => new[] { "digits-int8.onnx", "digits-fp32.onnx" }.Select(n => Path.Combine(RepoPaths.Models, n)).First(File.Exists);

    [Theory]
    [InlineData("bench")]
    [InlineData("bench --model m.onnx --json --iterations 10")]
    public void Parse_ValidLines_NoErrors(string line) => Assert.Empty(EdgeDigitsCli.CreateRootCommand().Parse(line).Errors);

    [Fact]
    public void Parse_ZeroIterations_Error() => Assert.NotEmpty(EdgeDigitsCli.CreateRootCommand().Parse("bench --iterations 0").Errors);

    [Fact]
    public void Execute_ShortRun_PrintsJsonWithFiguresAndZeroAllocation()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = BenchCommand.Execute(Model, 30, jsonOnly: true, o, e);
        using var doc = JsonDocument.Parse(o.ToString());
        var root = doc.RootElement;
        Assert.Equal("2024", root.GetProperty("ink").GetProperty("text").GetString());
        Assert.Equal("204817", root.GetProperty("frame640x480").GetProperty("text").GetString());
        Assert.True(root.GetProperty("frame640x480").GetProperty("p50Ms").GetDouble() > 0);
        Assert.True(root.GetProperty("ink").GetProperty("p99Ms").GetDouble() >= root.GetProperty("ink").GetProperty("p50Ms").GetDouble());
        Assert.Equal(0, root.GetProperty("classifyAllocatedBytes").GetDouble());
        Assert.True(root.GetProperty("zeroAllocation").GetBoolean());
        bool met = root.GetProperty("ink").GetProperty("met").GetBoolean() && root.GetProperty("frame640x480").GetProperty("met").GetBoolean();
        Assert.Equal(met ? ExitCodes.Success : ExitCodes.Failed, exit);
        Assert.Equal("", e.ToString());
    }

    [Fact]
    public void Execute_WithInkModel_TimesTheInkPathWithTheSequenceModelTooAllocationFree()
    {
        var o = new StringWriter();
        var ink = Path.Combine(RepoPaths.Models, "inkseq-fp32.onnx");
        BenchCommand.Execute(Model, 30, jsonOnly: true, o, new StringWriter(), ink);
        using var doc = JsonDocument.Parse(o.ToString());
        var root = doc.RootElement;
        Assert.Equal(ink, root.GetProperty("inkModel").GetString());
        var seq = root.GetProperty("inkWithSequenceModel");
        Assert.Equal("2024", seq.GetProperty("text").GetString());
        Assert.Equal(0, seq.GetProperty("allocatedBytesPerRead").GetDouble());
        Assert.True(seq.GetProperty("p99Ms").GetDouble() >= seq.GetProperty("p50Ms").GetDouble());
    }

    [Fact]
    public void Execute_ImageModelAsInkModel_BadInputWithTheReason()
    {
        var e = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, BenchCommand.Execute(Model, 5, true, new StringWriter(), e, Model));
        Assert.Contains("not an ink sequence model", e.ToString());
    }

    [Fact]
    public void Execute_MissingModel_BadInput()
    {
        var e = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, BenchCommand.Execute("/nonexistent/x.onnx", 5, true, new StringWriter(), e));
        Assert.Contains("/nonexistent/x.onnx: model file not found", e.ToString());
    }

    [Fact]
    public void Parse_TrainLine_NoErrors() =>
        Assert.Empty(EdgeDigitsCli.CreateRootCommand().Parse("bench --train --arch c8,p,gap,fc --epochs 1 --batch 64 --threads 2 --json").Errors);

    [Fact]
    public void ExecuteTrain_SmallMnistRun_JsonHasEpochTimeAndEveryLayer()
    {
        var options = new TrainBenchOptions();
        var root = new System.CommandLine.RootCommand();
        options.AddTo(root);
        var parse = root.Parse($"--train --arch c8,p,c16,gap,fc --batch 64 --threads 2 --limit 512 --data {RepoPaths.Mnist}");
        var o = new StringWriter();
        var e = new StringWriter();
        Assert.Equal(ExitCodes.Success, options.Execute(parse, json: true, o, e));
        using var doc = JsonDocument.Parse(o.ToString());
        var r = doc.RootElement;
        Assert.Equal(512, r.GetProperty("images").GetInt32());
        Assert.True(r.GetProperty("epochSeconds")[0].GetDouble() > 0);
        Assert.True(r.GetProperty("imagesPerSecond").GetDouble() > 0);
        // conv, bn, relu, pool, conv, bn, relu, gap, dropout, linear
        var layers = r.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(10, layers.Length);
        Assert.StartsWith("conv3x3(1->8", layers[0].GetProperty("layer").GetString());
        Assert.True(layers[0].GetProperty("forwardMs").GetDouble() > 0 && layers[0].GetProperty("backwardMs").GetDouble() > 0);
        // Eight batches teach little; the report still scores the 10,000 test digits.
        Assert.InRange(r.GetProperty("testAccuracy").GetDouble(), 0.0, 1.0);
        Assert.InRange(r.GetProperty("loss").GetDouble(), 0.1, 3.0);
    }

    [Fact]
    public void ExecuteTrain_MissingData_BadInputNamingFolder()
    {
        var options = new TrainBenchOptions();
        var root = new System.CommandLine.RootCommand();
        options.AddTo(root);
        var e = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, options.Execute(root.Parse("--train --data /nonexistent/mnist"), json: true, new StringWriter(), e));
        Assert.Contains("/nonexistent/mnist: MNIST folder not found", e.ToString());
    }

    [Fact]
    public void ExecuteTrain_BadArchitecture_UsageError()
    {
        var options = new TrainBenchOptions();
        var root = new System.CommandLine.RootCommand();
        options.AddTo(root);
        var e = new StringWriter();
        Assert.Equal(ExitCodes.Usage, options.Execute(root.Parse($"--train --arch c8,zz,fc --data {RepoPaths.Mnist}"), json: true, new StringWriter(), e));
        Assert.Contains("unknown token 'zz'", e.ToString());
    }
}
