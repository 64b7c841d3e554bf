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
    public void Execute_MissingModel_BadInput()
    {
        var e = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, BenchCommand.Execute("/nonexistent/x.onnx", 5, true, new StringWriter(), e));
        Assert.Contains("/nonexistent/x.onnx: model file not found", e.ToString());
    }
}
