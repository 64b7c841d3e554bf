using EdgeDigits.Core.Models;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Evaluation;
using EdgeDigits.Training.Onnx.Proto;
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

    [Fact]
    public void CutPoints_QdqGraph_AreTheActivationQuantizeOutputsThenTheModelOutput()
    {
        var (fp32, int8) = SimplePair();
        var q = OnnxModelFile.Load(int8).Graph;
        var cuts = LayerCutTimer.CutPoints(q);
        var weights = new HashSet<string>(q.Initializer.Select(t => t.Name));
        var activationQs = q.Node.Where(n => n.OpType == "QuantizeLinear" && !weights.Contains(n.Input[0])).Select(n => n.Output[0]).ToList();
        Assert.NotEmpty(activationQs);
        Assert.Equal([.. activationQs, q.Output[0].Name], cuts);

        var f = OnnxModelFile.Load(fp32).Graph;
        Assert.Equal(f.Node.Select(n => n.Output[0]), LayerCutTimer.CutPoints(f));
    }

    [Fact]
    public void Prefix_CutAfterFirstPool_KeepsOnlyNeededNodesAndComputesTheSameTensor()
    {
        var (fp32, _) = SimplePair();
        var model = OnnxModelFile.Load(fp32);
        var pool = model.Graph.Node.First(n => n.OpType == "MaxPool").Output[0];
        var prefix = LayerCutTimer.Prefix(model, pool);
        Assert.Equal(["Conv", "Relu", "MaxPool"], prefix.Graph.Node.Select(n => n.OpType));
        var used = prefix.Graph.Node.SelectMany(n => n.Input).ToHashSet();
        Assert.All(prefix.Graph.Initializer, t => Assert.Contains(t.Name, used));
        Assert.Equal(pool, Assert.Single(prefix.Graph.Output).Name);

        // The same tensor read as an extra output of the whole model.
        var whole = model.Clone();
        whole.Graph.Output.Add(new ValueInfoProto { Name = pool });
        var image = new float[DigitSet.ImageSize];
        TestModels.Test.CopyImageAsFloat(0, image, 1, 0);
        float[] Run(ModelProto m)
        {
            using var s = new Microsoft.ML.OnnxRuntime.InferenceSession(m.ToByteArray());
            using var x = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(image, [1, 1, 28, 28]);
            using var r = s.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), [s.InputMetadata.Keys.First()], [x], [pool]);
            return r[0].GetTensorDataAsSpan<float>().ToArray();
        }
        var expected = Run(whole);
        Assert.Equal(8 * 14 * 14, expected.Length);
        Assert.Equal(expected, Run(prefix));
    }

    [Fact]
    public void Prefix_UnknownTensor_Throws()
    {
        var (fp32, _) = SimplePair();
        var ex = Assert.Throws<ArgumentException>(() => LayerCutTimer.Prefix(OnnxModelFile.Load(fp32), "no_such_tensor"));
        Assert.Contains("no_such_tensor", ex.Message);
    }

    [Fact]
    public void Measure_Int8Model_OneRowPerCutEndingWithTheWholeModel()
    {
        var (_, int8) = SimplePair();
        var p = LayerCutTimer.Measure(int8, TestModels.Test.Subset(0, 4), runs: 20, threads: 1);
        var cuts = LayerCutTimer.CutPoints(OnnxModelFile.Load(int8).Graph);
        Assert.Equal(cuts, p.Prefixes.Select(r => r.Tensor));
        Assert.Equal(20, p.Runs);
        Assert.All(p.Prefixes, r => Assert.True(r.Us > 0 && r.Nodes > 0, $"{r}"));
        Assert.Equal(p.Prefixes[^1].Us, p.Prefixes.Sum(r => r.AddedUs), 6);
        Assert.Equal("QuantizeLinear", p.Prefixes[0].OpType);
        Assert.Contains("cut after each layer", p.ToText());
        Assert.Throws<InvalidDataException>(() => LayerCutTimer.Measure(int8, TestModels.Test.Subset(0, 0), runs: 5, threads: 1));
    }

    [Fact]
    public void Measure_ByteInputModel_ThrowsNamingTheInput()
    {
        var model = TestModels.Simple();
        model.Graph.Input[0].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Uint8;
        var path = Path.Combine(RepoPaths.NewTempDir(), "bytes.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var ex = Assert.Throws<InvalidDataException>(() => LayerCutTimer.Measure(path, TestModels.Test.Subset(0, 2), runs: 5, threads: 1));
        Assert.Contains("input 'input' is not float [N,1,28,28]", ex.Message);
    }
}
