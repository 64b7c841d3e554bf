using System.Text.Json.Nodes;
using EdgeDigits.Core.Models;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Quantization;
using EdgeDigits.Training.Tests.TestInfrastructure;
using Google.Protobuf;

namespace EdgeDigits.Tool.Tests;

public sealed class EvalCommandTests
{
    [Fact]
    public void Parse_TwoModelsJsonOut_BindsValues()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("eval --model a.onnx --model b.onnx --data data/mnist --json --out figs --threads 2 --not-digits 0");
        Assert.Empty(r.Errors);
        var e = Assert.IsType<EvalCommand>(r.CommandResult.Command);
        Assert.Equal(["a.onnx", "b.onnx"], r.GetValue(e.Models)!);
        Assert.True(r.GetValue(e.Json));
        Assert.Equal("figs", r.GetValue(e.Out));
        Assert.Equal(2, r.GetValue(e.Threads));
        Assert.Equal(0, r.GetValue(e.NotDigits));
    }

    [Theory]
    [InlineData("eval --model a --model b --model c --data d")]
    [InlineData("eval --data d")]
    [InlineData("eval --model a")]
    [InlineData("eval --model a --data d --batch 0")]
    [InlineData("eval --model a --data d --not-digits -3")]
    [InlineData("eval --model a --data d --clutter")]
    [InlineData("eval --model a --data d --lone-marks")]
    [InlineData("eval --model a --data d --forms 5 --clutter --lone-marks")]
    [InlineData("eval --model a --data d --forms -1")]
    [InlineData("eval --model a --pen p --forms 5")]
    [InlineData("eval --model a --data d --forms 5 --out figs")]
    public void Parse_BadLines_ReportErrors(string line)
    {
        Assert.NotEmpty(EdgeDigitsCli.CreateRootCommand().Parse(line).Errors);
    }

    [Fact]
    public void Eval_FormsWithClutter_JsonCountsWholeStrings()
    {
        var misread = Path.Combine(RepoPaths.NewTempDir(), "misread");
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "digits-int8.onnx"), "--data", RepoPaths.Mnist, "--forms", "12", "--clutter", "--seed", "3", "--json", "--forms-misread", misread);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var json = JsonNode.Parse(r.Stdout)![0]!;
        Assert.Equal(12, (int)json["count"]!);
        Assert.True((bool)json["clutter"]!);
        int correct = (int)json["correct"]!;
        Assert.Equal(12 - correct, json["failures"]!.AsArray().Count);
        Assert.Equal(12 - correct, Directory.Exists(misread) ? Directory.GetFiles(misread, "*.png").Length : 0);
        Assert.Contains("eval: digits-int8.onnx: 12/12 read", r.Stderr);
        var perDigit = json["perDigit"]!;
        Assert.InRange((int)perDigit["cut"]!, 1, (int)perDigit["written"]!);
        Assert.InRange((int)perDigit["right"]!, 0, (int)perDigit["cut"]!);
    }

    [Fact]
    public void Eval_FormsOfLoneMarks_JsonCountsEmptyReadings()
    {
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "digits-int8.onnx"), "--data", RepoPaths.Mnist, "--forms", "10", "--lone-marks", "--seed", "3", "--json");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var json = JsonNode.Parse(r.Stdout)![0]!;
        Assert.True((bool)json["loneMarks"]!);
        Assert.False((bool)json["clutter"]!);
        Assert.Null(json["perDigit"]);
        Assert.Equal(10 - (int)json["correct"]!, json["failures"]!.AsArray().Count);
    }

    [Fact]
    public void Eval_Fp32AndInt8OnMnist_JsonReportsComparisonAndFigures()
    {
        var dir = RepoPaths.NewTempDir();
        var fp32 = Path.Combine(dir, "simple-fp32.onnx");
        var int8 = Path.Combine(dir, "simple-int8.onnx");
        var model = TestModels.Simple();
        File.WriteAllBytes(fp32, model.ToByteArray());
        var q = new QdqQuantizer(new QuantizationOptions()).Quantize(model, TestModels.Train.Subset(0, 200), ModelMetadata.MnistDefault);
        OnnxModelFile.Save(q.Model, int8);
        var outDir = Path.Combine(dir, "figs");
        var r = ToolProcess.Run("eval", "--model", fp32, "--model", int8, "--data", RepoPaths.Mnist, "--json", "--out", outDir, "--not-digits", "60");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var json = JsonNode.Parse(r.Stdout)!;
        Assert.Equal("mnist-test", (string?)json["data"]!["kind"]);
        Assert.Equal(10000, (int)json["data"]!["count"]!);
        var accF = (double)json["models"]![0]!["accuracy"]!;
        var accQ = (double)json["models"]![1]!["accuracy"]!;
        Assert.InRange(accF, 0.6, 1.0);
        Assert.Equal((accF - accQ) * 100, (double)json["comparison"]!["accuracyDropPoints"]!, 9);
        Assert.True((double)json["comparison"]!["agreement"]! > 0.95);
        Assert.Equal(60, (int)json["models"]![0]!["notADigit"]!["count"]!);
        Assert.True(File.Exists(Path.Combine(outDir, "simple-int8-confusion.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "simple-int8-misclassified.png")));
        Assert.Contains("eval: simple-fp32.onnx: 10000/10000 images", r.Stderr);
        // stderr is a pipe here, not a terminal: progress comes as plain lines, never carriage returns.
        Assert.DoesNotContain('\r', r.Stderr);
    }

    [Fact]
    public void Eval_MnistOnMachineWithoutFonts_SkipsNotADigitFigureInOneLineAndSucceeds()
    {
        var dir = RepoPaths.NewTempDir();
        var fp32 = Path.Combine(dir, "simple-fp32.onnx");
        File.WriteAllBytes(fp32, TestModels.Simple().ToByteArray());
        // No font folder at all: the synthetic 'not a digit' crops cannot be drawn (their workers throw inside Parallel.For).
        var r = ToolProcess.RunWithEnvironment(new Dictionary<string, string> { ["EDGEDIGITS_FONT_DIRS"] = Path.Combine(dir, "no-fonts") },
            "eval", "--model", fp32, "--data", RepoPaths.Mnist, "--json", "--not-digits", "60");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("eval: skipping the 'not a digit' figure: no ", r.Stderr);
        Assert.DoesNotContain("AggregateException", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Equal(10000, (int)JsonNode.Parse(r.Stdout)!["data"]!["count"]!);
    }

    [Fact]
    public void Eval_TextOutput_HasTablesAndDrop()
    {
        var path = TinyModels.ConstantLogits([0, 5, 0, 0, 0, 0, 0, 0, 0, 0]);
        var data = Path.Combine(RepoPaths.NewTempDir(), "ds");
        FolderDatasetWriter.Write(TestModels.Test.Subset(0, 30), data);
        var r = ToolProcess.Run("eval", "--model", path, "--data", data, "--not-digits", "0");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        var ones = TestModels.Test.Subset(0, 30).Labels.Count(l => l == 1);
        Assert.Contains($"accuracy   {ones * 100.0 / 30:F2}%", r.Stdout);
        Assert.Contains("class   precision  recall     f1   support", r.Stdout);
    }

    [Fact]
    public void Eval_MissingModel_ExitsBadInput()
    {
        var r = ToolProcess.Run("eval", "--model", "/nonexistent/m.onnx", "--data", RepoPaths.Mnist);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("/nonexistent/m.onnx: model file not found", r.Stderr);
    }

    [Fact]
    public void Eval_NonOnnxModel_ExitsBadInput()
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "junk.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        var r = ToolProcess.Run("eval", "--model", path, "--data", RepoPaths.Mnist, "--not-digits", "0");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("not a loadable ONNX model", r.Stderr);
    }

    [Fact]
    public void Eval_EmptyDataFolder_ExitsBadInput()
    {
        var path = TinyModels.ConstantLogits(new float[10]);
        var data = RepoPaths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(data, "4"));
        var r = ToolProcess.Run("eval", "--model", path, "--data", data);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no images", r.Stderr);
    }
}
