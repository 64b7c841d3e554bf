using EdgeDigits.Core.Models;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Onnx.Proto;
using EdgeDigits.Training.Quantization;
using EdgeDigits.Training.Tests.TestInfrastructure;
using Google.Protobuf;

namespace EdgeDigits.Training.Tests.Quantization;

public sealed class QdqQuantizerTests
{
    private static QuantizationResult Quantize(ModelProto model, QuantizationOptions? options = null, StringWriter? log = null) =>
        new QdqQuantizer(options ?? new QuantizationOptions(), log).Quantize(model, TestModels.Train.Subset(0, 300), ModelMetadata.MnistDefault);

    private static string Save(ModelProto m)
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "m.onnx");
        File.WriteAllBytes(path, m.ToByteArray());
        return path;
    }

    [Fact]
    public void Quantize_SimpleCnn_AgreesWithFp32AndRunsIntegerKernels()
    {
        var fp32 = TestModels.Simple();
        var result = Quantize(fp32, new QuantizationOptions { FloatStem = false });
        var test = TestModels.Test;
        var pf = TestModels.ArgMax(TestModels.Run(fp32, test), 10);
        var pq = TestModels.ArgMax(TestModels.Run(result.Model, test), 10);
        var accF = TestModels.Accuracy(pf, test.Labels);
        var accQ = TestModels.Accuracy(pq, test.Labels);
        Assert.True(accF > 0.6, $"fp32 accuracy {accF:P1} — the test model itself is broken");
        Assert.True(accF - accQ < 0.02, $"int8 {accQ:P1} vs fp32 {accF:P1}");
        Assert.True(pf.Zip(pq).Count(p => p.First == p.Second) >= 0.96 * test.Count);
        Assert.Empty(result.Warnings);

        var ops = OrtGraphInspector.OptimizedOpCounts(Save(result.Model));
        Assert.Equal(2, ops.GetValueOrDefault("QLinearConv"));
        Assert.False(ops.ContainsKey("Conv"), string.Join(",", ops.Keys));
        Assert.Contains(ops.Keys, k => k is "QGemm" or "QLinearMatMul" or "MatMulIntegerToFloat" or "MatMulInteger");
    }

    [Fact]
    public void Quantize_GreyInputCnn_KeepsStemFloatWithReluAfterPoolAndNoDqQPairs()
    {
        var fp32 = TestModels.Simple();
        var result = Quantize(fp32);
        var g = result.Model.Graph;
        Assert.Equal(result.Model.Graph.Node.First(n => n.OpType == "Conv").Name, result.FloatStem);
        var conv = g.Node.First(n => n.OpType == "Conv");
        Assert.Equal("input", conv.Input[0]); // no QuantizeLinear on the image
        Assert.All(conv.Input.Skip(1), i => Assert.Contains(g.Initializer, t => t.Name == i && t.DataType == 1)); // float weight and bias
        var pool = Assert.Single(g.Node, n => n.Input.Contains(conv.Output[0]));
        Assert.Equal("MaxPool", pool.OpType);
        var relu = Assert.Single(g.Node, n => n.Input.Contains(pool.Output[0]));
        Assert.Equal("Relu", relu.OpType);
        var q = Assert.Single(g.Node, n => n.Input.Contains(relu.Output[0]));
        Assert.Equal("QuantizeLinear", q.OpType);
        Assert.Equal(0, g.Initializer.Single(t => t.Name == q.Input[2]).RawData[0]); // zero point 0: the Q clamps like the Relu, so ORT drops the Relu
        var producers = g.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        Assert.DoesNotContain(g.Node, n => n.OpType == "QuantizeLinear" && producers.TryGetValue(n.Input[0], out var p) && p.OpType == "DequantizeLinear");
        Assert.All(g.Node.Where(n => n.OpType == "QuantizeLinear"), n => Assert.All(g.Node.Where(c => c.Input.Contains(n.Output[0])), c => Assert.Equal("DequantizeLinear", c.OpType)));

        AssertAgreesWithFp32(fp32, result.Model);
    }

    [Fact]
    public void Quantize_GreyInputCnn_OrtRunsOneIntegerChainAfterTheFloatStem()
    {
        var ort = OrtGraphInspector.OptimizedGraph(Save(Quantize(TestModels.Simple()).Model), Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL);
        // Its last MaxPool feeds Flatten, so ORT keeps that pool in NCHW on uint8 (see the Quantization README's limits).
        AssertIntegerChain(ort, quantizedConvs: 1, nchwIntegerPools: 1);
    }

    /// <summary>The quantized model predicts what the float one does on at least 96% of 300 test images.</summary>
    private static void AssertAgreesWithFp32(ModelProto fp32, ModelProto quantized)
    {
        var test = TestModels.Test.Subset(0, 300);
        var pf = TestModels.ArgMax(TestModels.Run(fp32, test), 10);
        var pq = TestModels.ArgMax(TestModels.Run(quantized, test), 10);
        Assert.True(pf.Zip(pq).Count(p => p.First == p.Second) >= 0.96 * test.Count);
    }

    /// <summary>How the quantizer names a node in --float-nodes: its name, or its first output when unnamed.</summary>
    internal static string Label(NodeProto n) => n.Name.Length > 0 ? n.Name : n.Output[0];

    [Fact]
    public void Quantize_FloatNodesTail_OrtRunsThemInFloatAndTheRestInInt8()
    {
        var fp32 = TestModels.Simple();
        var flatten = fp32.Graph.Node.Single(n => n.OpType == "Flatten");
        var gemm = fp32.Graph.Node.Single(n => n.OpType == "Gemm");
        var result = Quantize(fp32, new QuantizationOptions { FloatNodes = new HashSet<string> { Label(flatten), Label(gemm) } });

        var ops = OrtGraphInspector.OptimizedOpCounts(Save(result.Model));
        Assert.Equal(1, ops.GetValueOrDefault("QLinearConv")); // the second conv: the stem is float by default
        Assert.False(ops.ContainsKey("QGemm"), string.Join(",", ops.Keys));
        Assert.Equal(1, ops.GetValueOrDefault("Gemm") + ops.GetValueOrDefault("FusedGemm"));
        Assert.DoesNotContain(result.Notes, n => n.Contains("quantizes its weights itself"));
        Assert.Contains($"float nodes={string.Join(",", new[] { Label(flatten), Label(gemm) }.Order(StringComparer.Ordinal))}",
            result.Model.MetadataProps.Single(p => p.Key == "edgedigits.quantization").Value);

        AssertAgreesWithFp32(fp32, result.Model);
    }

    [Fact]
    public void Quantize_FloatConvBetweenQuantizedTensors_NotesThatOrtQuantizesItAnyway()
    {
        var fp32 = TestModels.Simple();
        var conv = fp32.Graph.Node.Where(n => n.OpType == "Conv").Skip(1).Single();
        // Without the float stem the first conv is quantized, so the second one reads a DequantizeLinear.
        var result = Quantize(fp32, new QuantizationOptions { FloatStem = false, FloatNodes = new HashSet<string> { Label(conv) } });

        Assert.Contains(result.Notes, n => n.StartsWith($"'{Label(conv)}' reads and feeds quantized tensors", StringComparison.Ordinal));
        Assert.Contains(result.Model.Graph.Node, n => n.OpType == "Conv" && n.Input.Skip(1).All(i => result.Model.Graph.Initializer.Any(t => t.Name == i && t.DataType == 1)));
        // What the note says: ORT 1.31 quantizes the float weights itself and runs a QLinearConv there too.
        Assert.Equal(2, OrtGraphInspector.OptimizedOpCounts(Save(result.Model)).GetValueOrDefault("QLinearConv"));
    }

    [Fact]
    public void Quantize_FloatNodesNamingNoNode_ThrowsNamingThem()
    {
        var ex = Assert.Throws<InvalidDataException>(() => Quantize(TestModels.Simple(), new QuantizationOptions { FloatNodes = new HashSet<string> { "conv_99", "head" } }));
        Assert.Equal("model: no node named 'conv_99', 'head' to keep in float", ex.Message);
    }

    [Theory]
    [InlineData("digits-int8.onnx", 3)]
    [InlineData("meter-int8.onnx", 3)]
    public void ShippedInt8Model_OrtRunsOneIntegerChainAfterTheFloatStem(string model, int quantizedConvs)
    {
        var ort = OrtGraphInspector.OptimizedGraph(Path.Combine(RepoPaths.Models, model), Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_ENABLE_ALL);
        AssertIntegerChain(ort, quantizedConvs, nchwIntegerPools: 0);
    }

    /// <summary>
    /// What the int8 speed rests on (models/MODEL_CARD.md): the float stem then a single QuantizeLinear, every other
    /// Conv a QLinearConv with the pools on integers in NHWC between them, no DequantizeLinear anywhere (the Gemm
    /// gives float logits itself), and no MaxPool on integers in NCHW (ORT's generic kernel, slower than the whole net).
    /// </summary>
    private static void AssertIntegerChain(GraphProto ort, int quantizedConvs, int nchwIntegerPools)
    {
        var ops = string.Join(", ", ort.Node.Select(n => n.OpType));
        Assert.Equal(quantizedConvs, ort.Node.Count(n => n.OpType == "QLinearConv"));
        Assert.Single(ort.Node, n => n.OpType == "QuantizeLinear");
        Assert.DoesNotContain(ort.Node, n => n.OpType == "DequantizeLinear");
        Assert.Single(ort.Node, n => n.OpType == "Conv"); // the stem, in float (NCHWc on x86)
        Assert.Equal(nchwIntegerPools, ort.Node.Count(n => n.OpType == "MaxPool" && n.Domain is "" or "ai.onnx"));
        Assert.Contains(ort.Node, n => n.OpType == "QGemm");
        var q = ort.Node.Single(n => n.OpType == "QuantizeLinear");
        Assert.True(ort.Node.IndexOf(q) < ort.Node.IndexOf(ort.Node.First(n => n.OpType == "QLinearConv")), ops);
    }

    [Fact]
    public void Quantize_SimpleCnn_WeightsAreInt8AndBiasesInt32()
    {
        var result = Quantize(TestModels.Simple());
        var g = result.Model.Graph;
        Assert.DoesNotContain(g.Initializer, t => t.Name is "fc_w" or "fc_b");
        var w = Assert.Single(g.Initializer, t => t.Name == "fc_w_quantized");
        Assert.Equal(3, w.DataType); // int8
        Assert.Contains(g.Initializer, t => t.DataType == 6 && t.Name.StartsWith("fc_b", StringComparison.Ordinal)); // int32 bias
        var wScale = Assert.Single(g.Initializer, t => t.Name == "fc_w_scale");
        Assert.Equal([10L], wScale.Dims); // per output channel
        Assert.All(g.Node.Where(n => n.OpType == "QuantizeLinear"), n => Assert.Equal(2, g.Initializer.Single(t => t.Name == n.Input[2]).DataType)); // uint8
        Assert.True(result.Model.ToByteArray().Length < TestModels.Simple().ToByteArray().Length / 2);
    }

    [Fact]
    public void Quantize_PyTorchStyleGraph_FoldsBatchNormAndKeepsAccuracy()
    {
        var fp32 = TestModels.PyTorchStyle();
        var log = new StringWriter();
        var result = Quantize(fp32, new QuantizationOptions { Method = CalibrationMethod.Entropy }, log);
        Assert.Equal(2, result.FoldedBatchNorms);
        Assert.DoesNotContain(result.Model.Graph.Node, n => n.OpType is "Identity" or "Dropout" or "Clip" or "Relu");
        Assert.Contains(result.Notes, n => n.Contains("MatMul+Add"));
        Assert.DoesNotContain(result.Model.Graph.Node, n => n.OpType is "BatchNormalization" or "Constant" && n.Output.Any(o => o.StartsWith("conv", StringComparison.Ordinal)));
        Assert.Empty(result.Warnings);
        var test = TestModels.Test;
        var probsF = TestModels.Run(fp32, test);
        var probsQ = TestModels.Run(result.Model, test);
        var pf = TestModels.ArgMax(probsF, 10);
        var pq = TestModels.ArgMax(probsQ, 10);
        var accF = TestModels.Accuracy(pf, test.Labels);
        var accQ = TestModels.Accuracy(pq, test.Labels);
        Assert.True(accF > 0.6, $"fp32 accuracy {accF:P1}");
        Assert.True(accF - accQ < 0.03, $"int8 {accQ:P1} vs fp32 {accF:P1}");
        Assert.True(pf.Zip(pq).Count(p => p.First == p.Second) >= 0.95 * test.Count);

        var ops = OrtGraphInspector.OptimizedOpCounts(Save(result.Model));
        // 3 of the 4 convolutions: the stem (1 input channel) stays float.
        Assert.True(ops.GetValueOrDefault("QLinearConv") >= 2 && ops.GetValueOrDefault("Conv") == 1, string.Join(",", ops.Select(kv => $"{kv.Key}={kv.Value}")));
        Assert.Contains(ops.Keys, k => k is "QLinearMatMul" or "MatMulIntegerToFloat" or "MatMulInteger" or "QGemm");
        Assert.Equal(1, ops.GetValueOrDefault("Softmax"));
    }

    [Fact]
    public void Quantize_UnsupportedOp_StaysFloatWithWarningNamingIt()
    {
        var fp32 = TestModels.Simple(extraOp: "Sigmoid");
        var log = new StringWriter();
        var result = Quantize(fp32, log: log);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("'Sigmoid'", warning);
        Assert.Contains("left in float", warning);
        Assert.Contains("Sigmoid", log.ToString());
        Assert.Single(result.Model.Graph.Node, n => n.OpType == "Sigmoid");
        var test = TestModels.Test.Subset(0, 200);
        var pf = TestModels.ArgMax(TestModels.Run(fp32, test), 10);
        var pq = TestModels.ArgMax(TestModels.Run(result.Model, test), 10);
        Assert.True(pf.Zip(pq).Count(p => p.First == p.Second) >= 0.9 * test.Count);
    }

    [Theory]
    [InlineData(CalibrationMethod.MinMax, false, ActivationType.UInt8)]
    [InlineData(CalibrationMethod.Percentile, true, ActivationType.Int8)]
    public void Quantize_MethodsAndOptions_AllRunInOrt(CalibrationMethod method, bool perChannel, ActivationType act)
    {
        var fp32 = TestModels.Simple();
        var result = Quantize(fp32, new QuantizationOptions { Method = method, PerChannel = perChannel, Activations = act, FloatStem = false });
        var scale = result.Model.Graph.Initializer.Single(t => t.Name == "fc_w_scale");
        Assert.Equal(perChannel ? 1 : 0, scale.Dims.Count);
        var test = TestModels.Test.Subset(0, 200);
        var pf = TestModels.ArgMax(TestModels.Run(fp32, test), 10);
        var pq = TestModels.ArgMax(TestModels.Run(result.Model, test), 10);
        Assert.True(pf.Zip(pq).Count(p => p.First == p.Second) >= 0.93 * test.Count);
        var ops = OrtGraphInspector.OptimizedOpCounts(Save(result.Model));
        Assert.Equal(2, ops.GetValueOrDefault("QLinearConv"));
        Assert.Contains(ops.Keys, k => k is "QGemm" or "QLinearMatMul" or "MatMulIntegerToFloat" or "MatMulInteger");
    }

    [Fact]
    public void Quantize_Opset17Ir9_RunsWithPerChannelWeights()
    {
        var fp32 = TestModels.Simple(opset: 17);
        fp32.IrVersion = 9;
        var result = Quantize(fp32);
        Assert.Equal([10L], result.Model.Graph.Initializer.Single(t => t.Name == "fc_w_scale").Dims);
        var test = TestModels.Test.Subset(0, 200);
        var pf = TestModels.ArgMax(TestModels.Run(fp32, test), 10);
        var pq = TestModels.ArgMax(TestModels.Run(result.Model, test), 10);
        Assert.True(pf.Zip(pq).Count(p => p.First == p.Second) >= 0.95 * test.Count);
    }

    [Fact]
    public void Quantize_Opset11_FallsBackToPerTensorWeights()
    {
        var result = Quantize(TestModels.Simple(opset: 11));
        Assert.Contains(result.Notes, n => n.Contains("per tensor"));
        Assert.Empty(result.Model.Graph.Initializer.Single(t => t.Name == "fc_w_scale").Dims);
        TestModels.Run(result.Model, TestModels.Test.Subset(0, 10));
    }

    [Fact]
    public void Quantize_BatchNormWithoutConvBefore_WarnsAndStaysFloat()
    {
        var b = new OnnxTestBuilder();
        var x = b.Input("input", -1, 1, 28, 28);
        var h = b.Node("Relu", [b.Conv(b.BatchNorm(x, 1), 1, 4, 3, 1)]);
        h = b.Node("Flatten", [h], OnnxTestBuilder.Int("axis", 1));
        b.Output(b.Node("Gemm", [h, b.Init("w", b.Random(10 * 4 * 784, 0.02f), 10, 4 * 784)], "logits", OnnxTestBuilder.Int("transB", 1)));
        var fp32 = b.Build();
        var result = Quantize(fp32);
        Assert.Contains(result.Warnings, w => w.Contains("'BatchNormalization'") && w.Contains("could not be folded"));
        Assert.Single(result.Model.Graph.Node, n => n.OpType == "BatchNormalization");
        var test = TestModels.Test.Subset(0, 100);
        var pf = TestModels.ArgMax(TestModels.Run(fp32, test), 10);
        var pq = TestModels.ArgMax(TestModels.Run(result.Model, test), 10);
        Assert.True(pf.Zip(pq).Count(p => p.First == p.Second) >= 0.9 * test.Count);
    }

    [Fact]
    public void Quantize_AlreadyQuantizedModel_ThrowsNamingOp()
    {
        var once = Quantize(TestModels.Simple()).Model;
        var ex = Assert.Throws<InvalidDataException>(() => Quantize(once));
        Assert.Contains("already quantized", ex.Message);
    }

    [Fact]
    public void Quantize_EmptyCalibrationSet_Throws()
    {
        var ex = Assert.Throws<InvalidDataException>(() =>
            new QdqQuantizer(new QuantizationOptions()).Quantize(TestModels.Simple(), TestModels.Train.Subset(0, 0), ModelMetadata.MnistDefault));
        Assert.Contains("empty", ex.Message);
    }
}

public sealed class ModelQuantizationServiceTests
{
    [Fact]
    public void QuantizeFile_WithSharedMetadata_RecordsCalibrationAndKeepsOtherFields()
    {
        var dir = RepoPaths.NewTempDir();
        var fp32 = Path.Combine(dir, "digits-fp32.onnx");
        File.WriteAllBytes(fp32, TestModels.Simple().ToByteArray());
        new ModelMetadata { Name = "digits", ConfidenceThreshold = 0.7f }.Save(Path.Combine(dir, "digits.json"));
        var int8 = Path.Combine(dir, "digits-int8.onnx");
        ModelQuantizationService.QuantizeFile(fp32, int8, RepoPaths.Mnist, 64, new QuantizationOptions { Method = CalibrationMethod.Percentile }, TextWriter.Null);
        var meta = ModelMetadata.Load(Path.Combine(dir, "digits.json"));
        Assert.Equal(0.7f, meta.ConfidenceThreshold);
        Assert.Equal("percentile", (string?)meta.Calibration!["method"]);
        Assert.Equal(64, (int)meta.Calibration["samples"]!);
        Assert.Equal(["digits-fp32.onnx", "digits-int8.onnx", "digits.json"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    [Fact]
    public void QuantizeFile_WithFloatNodes_RecordsThemInTheMetadata()
    {
        var dir = RepoPaths.NewTempDir();
        var fp32 = Path.Combine(dir, "digits-fp32.onnx");
        var model = TestModels.Simple();
        File.WriteAllBytes(fp32, model.ToByteArray());
        new ModelMetadata { Name = "digits" }.Save(Path.Combine(dir, "digits.json"));
        var int8 = Path.Combine(dir, "digits-int8.onnx");
        var gemm = QdqQuantizerTests.Label(model.Graph.Node.Single(n => n.OpType == "Gemm"));

        ModelQuantizationService.QuantizeFile(fp32, int8, RepoPaths.Mnist, 64, new QuantizationOptions(), TextWriter.Null);
        Assert.False(ModelMetadata.Load(Path.Combine(dir, "digits.json")).Calibration!.ContainsKey("floatNodes"));
        ModelQuantizationService.QuantizeFile(fp32, int8, RepoPaths.Mnist, 64, new QuantizationOptions { FloatNodes = new HashSet<string> { gemm } }, TextWriter.Null);
        var recorded = ModelMetadata.Load(Path.Combine(dir, "digits.json")).Calibration!["floatNodes"]!.AsArray();
        Assert.Equal([gemm], recorded.Select(n => (string)n!).ToArray());
    }

    [Fact]
    public void QuantizeFile_BadCalibrationFolder_LeavesNoOutput()
    {
        var dir = RepoPaths.NewTempDir();
        var fp32 = Path.Combine(dir, "m.onnx");
        File.WriteAllBytes(fp32, TestModels.Simple().ToByteArray());
        var out8 = Path.Combine(dir, "m-int8.onnx");
        Assert.Throws<InvalidDataException>(() => ModelQuantizationService.QuantizeFile(fp32, out8, dir, 10, new QuantizationOptions(), TextWriter.Null));
        Assert.False(File.Exists(out8));
    }
}
