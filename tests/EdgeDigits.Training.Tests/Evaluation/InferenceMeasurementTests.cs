using EdgeDigits.Core.Models;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Evaluation;
using EdgeDigits.Training.Quantization;
using EdgeDigits.Training.Tests.TestInfrastructure;
using Google.Protobuf;

namespace EdgeDigits.Training.Tests.Evaluation;

public sealed class InferenceMeasurementTests
{
    private static (string Fp32, string Int8) SimplePair()
    {
        var dir = RepoPaths.NewTempDir();
        var fp32 = Path.Combine(dir, "simple-fp32.onnx");
        var int8 = Path.Combine(dir, "simple-int8.onnx");
        File.WriteAllBytes(fp32, TestModels.Simple().ToByteArray());
        var q = new QdqQuantizer(new QuantizationOptions()).Quantize(TestModels.Simple(), TestModels.Train.Subset(0, 100), ModelMetadata.MnistDefault);
        File.WriteAllBytes(int8, q.Model.ToByteArray());
        return (fp32, int8);
    }

    [Fact]
    public void Measure_TwoModels_TimesEachAtBatchAndAtOne()
    {
        var (fp32, int8) = SimplePair();
        var progress = new StringWriter();
        var t = InferenceTimer.Measure([fp32, int8], TestModels.Test.Subset(0, 10), new EvalOptions { BatchSize = 16, LatencySamples = 20 }, progress);
        Assert.Equal(2, t.Count);
        Assert.All(t, m =>
        {
            Assert.Equal(16, m.BatchSize);
            Assert.Equal(1, m.Threads);
            Assert.True(m.BatchMsPerImage > 0 && m.SingleImageMs > 0);
            // 16 images cost more than 1 but less than 16 separate runs would: the figure is per image of a batch.
            Assert.True(m.BatchMsPerImage * 16 > m.SingleImageMs, $"{m}");
        });
        Assert.Contains($"timing round {InferenceTimer.Rounds}/{InferenceTimer.Rounds}", progress.ToString());
    }

    [Fact]
    public void LowerQuartile_InterruptedRunsAboveIt_AreIgnored()
    {
        // Eight runs, two of them interrupted by the scheduler: the figure is the third fastest.
        Assert.Equal(3.0, InferenceTimer.LowerQuartile([4, 1, 900, 3, 2, 5, 700, 6]));
        Assert.Equal(7.0, InferenceTimer.LowerQuartile([7]));
        Assert.Equal(0.0, InferenceTimer.LowerQuartile([]));
    }

    [Fact]
    public void Record_QuantizedModel_SummarizesOrtKernelsPerNode()
    {
        var (_, int8) = SimplePair();
        var dir = RepoPaths.NewTempDir();
        var p = OrtOpProfile.Record(int8, TestModels.Test.Subset(0, 8), batch: 8, runs: 12, threads: 1, dir);
        Assert.Equal(12, p.Runs);
        Assert.Equal(dir, Path.GetDirectoryName(p.ProfileFile));
        Assert.StartsWith("simple-int8-b8", Path.GetFileName(p.ProfileFile));
        var ort = OrtGraphInspector.OptimizedGraph(int8, Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL);
        Assert.Equal(ort.Node.Select(n => n.OpType).Order(), p.Ops.Select(o => o.OpType).Order());
        Assert.Equal(1.0, p.Ops.Sum(o => o.Share), 6);
        Assert.Equal(p.Ops.OrderByDescending(o => o.MedianUs).Select(o => o.Node), p.Ops.Select(o => o.Node));
        Assert.Contains("QLinearConv", p.ToText());
    }
}
