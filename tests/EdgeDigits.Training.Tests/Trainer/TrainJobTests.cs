using System.Text.Json.Nodes;
using EdgeDigits.Core.Models;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Training.Tests.Trainer;

public class TrainJobTests
{
    [Fact]
    public void Run_WithSyntheticAndNotDigits_ExportsElevenClassModelWithRejectClassAndScores()
    {
        var dir = RepoPaths.NewTempDir();
        var output = Path.Combine(dir, "digits-fp32.onnx");
        var log = new StringWriter();
        var job = new TrainJob
        {
            DataDir = RepoPaths.Mnist,
            Limit = 300,
            Synthetic = 60,
            NotDigits = 30,
            SyntheticTest = 20,
            Options = new TrainOptions { Architecture = "c4,p,c8,gap,fc", Epochs = 1, BatchSize = 32, LearningRate = 0.01f },
            OutPath = output,
            Command = "edgedigits train --synthetic 60 --none 30",
            Log = log,
        };
        var result = job.Run();
        Assert.Equal(11, result.Classes.Length);
        Assert.Equal("none", result.Classes[^1]);
        Assert.Equal(390, result.TrainCount);
        var meta = ModelMetadata.LoadFor(output);
        Assert.Equal("none", meta.RejectClass);
        Assert.Equal(11, meta.Classes.Length);
        Assert.Equal("edgedigits train --synthetic 60 --none 30", meta.Training!["command"]!.GetValue<string>());
        Assert.InRange(meta.Metrics!["notDigitReadAsDigitFp32"]!.GetValue<double>(), 0, 1);
        Assert.InRange(meta.Metrics!["sevenSegmentTestAccuracyFp32"]!.GetValue<double>(), 0, 1);
        Assert.Contains("read as a digit", log.ToString());
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public void Run_InitFromElevenClassOnnxWithDigitOnlyData_KeepsNoneClass()
    {
        var dir = RepoPaths.NewTempDir();
        var first = Path.Combine(dir, "a-fp32.onnx");
        var options = new TrainOptions { Architecture = "c4,p,c8,gap,fc", Epochs = 1, BatchSize = 32, LearningRate = 0.01f };
        new TrainJob { DataDir = RepoPaths.Mnist, Limit = 200, NotDigits = 20, SyntheticTest = 0, Options = options, OutPath = first }.Run();
        var tuned = Path.Combine(dir, "b-fp32.onnx");
        var result = new TrainJob { DataDir = RepoPaths.Mnist, Limit = 100, Options = options, InitPath = first, OutPath = tuned }.Run();
        Assert.Equal(11, result.Classes.Length);
        Assert.Equal("none", ModelMetadata.LoadFor(tuned).RejectClass);
    }

    [Fact]
    public void MeanSd_KnownValues_SampleStandardDeviation()
    {
        var (mean, sd) = TrainJob.MeanSd([0.98, 0.99, 1.0]);
        Assert.Equal(0.99, mean, 1e-12);
        Assert.Equal(0.01, sd, 1e-12);
    }
}
