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
        var result = Quantize(fp32);
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
        Assert.True(ops.GetValueOrDefault("QLinearConv") >= 3, string.Join(",", ops.Select(kv => $"{kv.Key}={kv.Value}")));
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
        var result = Quantize(fp32, new QuantizationOptions { Method = method, PerChannel = perChannel, Activations = act });
        var scale = result.Model.Graph.Initializer.Single(t => t.Name == "fc_w_scale");
        Assert.Equal(perChannel ? 1 : 0, scale.Dims.Count);
        var test = TestModels.Test.Subset(0, 200);
        var pf = TestModels.ArgMax(TestModels.Run(fp32, test), 10);
        var pq = TestModels.ArgMax(TestModels.Run(result.Model, test), 10);
        Assert.True(pf.Zip(pq).Count(p => p.First == p.Second) >= 0.93 * test.Count);
        var ops = OrtGraphInspector.OptimizedOpCounts(Save(result.Model));
        // ORT's x64 build only fuses signed-activation (s8s8) convolutions on ARM, the device target.
        if (act == ActivationType.UInt8 || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64)
            Assert.Equal(2, ops.GetValueOrDefault("QLinearConv"));
        Assert.Contains(ops.Keys, k => k is "QGemm" or "QLinearMatMul" or "MatMulIntegerToFloat" or "MatMulInteger");
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
