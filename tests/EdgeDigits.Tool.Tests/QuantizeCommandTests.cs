using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;
using EdgeDigits.Training.Tests.TestInfrastructure;
using Google.Protobuf;

namespace EdgeDigits.Tool.Tests;

public sealed class QuantizeCommandTests
{
    private static string WriteModel(Google.Protobuf.IMessage model)
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "fp32.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [Fact]
    public void Parse_AllOptions_BindsValues()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("quantize --input a.onnx --output b.onnx --calibration data/mnist --samples 200 --method entropy --per-channel false --activations int8");
        Assert.Empty(r.Errors);
        var q = Assert.IsType<QuantizeCommand>(r.CommandResult.Command);
        Assert.Equal("a.onnx", r.GetValue(q.Input));
        Assert.Equal(200, r.GetValue(q.Samples));
        Assert.Equal("entropy", r.GetValue(q.Method));
        Assert.False(r.GetValue(q.PerChannel));
        Assert.Equal("int8", r.GetValue(q.Activations));
    }

    [Fact]
    public void Parse_Defaults_PerChannelUint8MinMax()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("quantize --input a.onnx --output b.onnx --calibration d");
        Assert.Empty(r.Errors);
        var q = (QuantizeCommand)r.CommandResult.Command;
        Assert.True(r.GetValue(q.PerChannel));
        Assert.Equal("minmax", r.GetValue(q.Method));
        Assert.Equal("uint8", r.GetValue(q.Activations));
        Assert.Equal(500, r.GetValue(q.Samples));
    }

    [Theory]
    [InlineData("quantize --input a.onnx --output b.onnx --calibration d --method kl")]
    [InlineData("quantize --input a.onnx --output b.onnx --calibration d --activations int4")]
    [InlineData("quantize --input a.onnx --output b.onnx --calibration d --samples 0")]
    [InlineData("quantize --output b.onnx --calibration d")]
    [InlineData("quantize --input a.onnx --output b.onnx --calibration d --pen-writers 24-1")]
    public void Parse_BadValues_ReportErrors(string line)
    {
        Assert.NotEmpty(EdgeDigitsCli.CreateRootCommand().Parse(line).Errors);
    }

    [Fact]
    public void Quantize_SimpleModel_WritesModelRunOnIntegerKernels()
    {
        var input = WriteModel(TestModels.Simple());
        var output = Path.Combine(Path.GetDirectoryName(input)!, "int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", input, "--output", output, "--calibration", RepoPaths.Mnist, "--samples", "100");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.True(File.Exists(output));
        Assert.Contains("QLinearConv x1", r.Stdout); // the stem conv (1 input channel) stays float
        Assert.Contains("float: Conv x1, MaxPool x1, Relu x1", r.Stdout);
        Assert.Contains("kept the stem", r.Stderr);
        Assert.Contains("calibrating", r.Stderr);
        Assert.DoesNotContain(Directory.GetFiles(Path.GetDirectoryName(input)!), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Quantize_FloatStemFalse_QuantizesEveryConv()
    {
        var input = WriteModel(TestModels.Simple());
        var output = Path.Combine(Path.GetDirectoryName(input)!, "int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", input, "--output", output, "--calibration", RepoPaths.Mnist, "--samples", "100", "--float-stem", "false");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("QLinearConv x2", r.Stdout);
        Assert.DoesNotContain("kept the stem", r.Stderr);
    }

    [Fact]
    public void Quantize_UnsupportedOp_WarnsNamingOpAndSucceeds()
    {
        var input = WriteModel(TestModels.Simple(extraOp: "Sigmoid"));
        var output = Path.Combine(Path.GetDirectoryName(input)!, "int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", input, "--output", output, "--calibration", RepoPaths.Mnist, "--samples", "50");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Contains("warning: op 'Sigmoid'", r.Stderr);
        Assert.Contains("Sigmoid x1", r.Stdout);
    }

    [Fact]
    public void Parse_FloatNodes_BindsEveryName()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("quantize --input a.onnx --output b.onnx --calibration data/mnist --float-nodes conv_9 fc_13");
        Assert.Empty(r.Errors);
        var q = Assert.IsType<QuantizeCommand>(r.CommandResult.Command);
        Assert.Equal(["conv_9", "fc_13"], r.GetValue(q.FloatNodes)!);
    }

    [Fact]
    public void Quantize_FloatNodesNamingNoNode_ExitsBadInputNoOutput()
    {
        var input = WriteModel(TestModels.Simple());
        var output = Path.Combine(Path.GetDirectoryName(input)!, "int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", input, "--output", output, "--calibration", RepoPaths.Mnist, "--samples", "50", "--float-nodes", "conv_99");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no node named 'conv_99' to keep in float", r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Quantize_MissingModel_ExitsBadInputNoOutput()
    {
        var dir = RepoPaths.NewTempDir();
        var output = Path.Combine(dir, "int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", Path.Combine(dir, "nope.onnx"), "--output", output, "--calibration", RepoPaths.Mnist);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("nope.onnx: model file not found", r.Stderr);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void Quantize_NotOnnxBytes_ExitsBadInputNoOutput()
    {
        var dir = RepoPaths.NewTempDir();
        var input = Path.Combine(dir, "junk.onnx");
        File.WriteAllText(input, "this is not a protobuf model, just text\n");
        var output = Path.Combine(dir, "int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", input, "--output", output, "--calibration", RepoPaths.Mnist);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("not an ONNX model", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Quantize_EmptyCalibrationFolder_ExitsBadInputNoOutput()
    {
        var input = WriteModel(TestModels.Simple());
        var calib = RepoPaths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(calib, "3"));
        var output = Path.Combine(Path.GetDirectoryName(input)!, "int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", input, "--output", output, "--calibration", calib);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no images", r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Quantize_InkSequenceModelOnPenInks_WritesModelRunOnIntegerKernelsAndRecordsTheWriters()
    {
        var dir = RepoPaths.NewTempDir();
        var input = Path.Combine(dir, "inkseq-fp32.onnx");
        File.Copy(Path.Combine(RepoPaths.Models, "inkseq-fp32.onnx"), input);
        File.Copy(Path.Combine(RepoPaths.Models, "inkseq.json"), Path.Combine(dir, "inkseq.json"));
        var pen = RepoPaths.NewTempDir("edgedigits-pen");
        File.Copy(Path.Combine(RepoPaths.Root, "tests", "EdgeDigits.Training.Tests", "TestData", "pendigits-sample.tra.Z"), Path.Combine(pen, "pendigits-orig.tra.Z"));
        var output = Path.Combine(dir, "inkseq-int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", input, "--output", output, "--calibration", pen, "--pen-writers", "1,25");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("calibrating 11 tensors on 16 inks", r.Stderr);
        Assert.Contains("QLinearConv x4", r.Stdout);
        Assert.Contains("\"penWriters\": \"1,25\"", File.ReadAllText(Path.Combine(dir, "inkseq.json")));
    }

    [Fact]
    public void Quantize_PenWritersForAnImageModel_ExitsUsageWithOneLineNoOutput()
    {
        var input = WriteModel(TestModels.Simple());
        var output = Path.Combine(Path.GetDirectoryName(input)!, "int8.onnx");
        var r = ToolProcess.Run("quantize", "--input", input, "--output", output, "--calibration", RepoPaths.Mnist, "--pen-writers", "1-24");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Equal("edgedigits quantize: --pen-writers applies to an ink sequence model; " + input + " is a 'digit' model", r.Stderr.Trim());
        Assert.False(File.Exists(output));
    }
}
