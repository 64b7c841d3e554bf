using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace EdgeDigits.Training.Tests.Onnx;

public class OnnxExporterTests
{
    /// <summary>The default architecture with non-trivial BatchNorm state, as after training.</summary>
    internal static Network TrainedLikeNetwork(int classes = 11, int seed = 3)
    {
        var net = Network.FromSpec(Network.DefaultSpec, classes, dropout: 0.2f, threads: 2, seed: seed);
        var rng = new Random(seed);
        foreach (var bn in net.Layers.OfType<BatchNorm2d>())
            for (var c = 0; c < bn.Gamma.Value.Length; c++)
            {
                bn.Gamma.Value[c] = 0.5f + (float)rng.NextDouble();
                bn.Beta.Value[c] = (float)(rng.NextDouble() - 0.5);
                bn.RunningMean[c] = (float)(rng.NextDouble() - 0.5);
                bn.RunningVar[c] = 0.2f + (float)rng.NextDouble() * 2;
            }
        return net;
    }

    [Fact]
    public void Export_DefaultNetwork_OrtMatchesManagedForwardOn1000MnistImages()
    {
        var net = TrainedLikeNetwork();
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "m-fp32.onnx");
        OnnxExporter.Export(net, path);
        Assert.False(File.Exists(path + ".tmp"));
        var test = Mnist.Load(RepoPaths.Mnist, MnistSplit.Test, limit: 1000);
        var input = new float[1000 * 784];
        for (var i = 0; i < 1000; i++) test.CopyImageAsFloat(i, input.AsSpan(i * 784));

        var managed = net.Forward(input, 1000, training: false).ToArray();
        using var session = new InferenceSession(path);
        Assert.Equal("input", session.InputMetadata.Keys.Single());
        Assert.Equal(-1, session.InputMetadata["input"].Dimensions[0]);
        Assert.Equal("logits", session.OutputMetadata.Keys.Single());
        using var x = OrtValue.CreateTensorValueFromMemory(input, [1000, 1, 28, 28]);
        using var runOptions = new RunOptions(); // see TestModels.Run: never an inline, finalizable RunOptions
        using var outputs = session.Run(runOptions, ["input"], [x], ["logits"]);
        var ort = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(new long[] { 1000, 11 }, outputs[0].GetTensorTypeAndShape().Shape);
        var worst = 0.0;
        for (var i = 0; i < managed.Length; i++) worst = Math.Max(worst, Math.Abs(managed[i] - ort[i]));
        Assert.True(worst <= 1e-4, $"largest difference {worst}");
        // The logits carry signal: they are not all the same.
        Assert.True(managed.Max() - managed.Min() > 0.1f);
    }

    [Fact]
    public void Export_SequenceNetwork_OrtMatchesManagedForwardWith1xKConvolutions()
    {
        var net = Network.FromSequenceSpec(Network.DefaultSequenceSpec, channels: 5, length: 64, classes: 10, dropout: 0.3f, threads: 2, seed: 5);
        var rng = new Random(5);
        foreach (var bn in net.Layers.OfType<BatchNorm2d>())
            for (var c = 0; c < bn.Gamma.Value.Length; c++)
            {
                bn.Gamma.Value[c] = 0.5f + (float)rng.NextDouble();
                bn.RunningMean[c] = (float)(rng.NextDouble() - 0.5);
                bn.RunningVar[c] = 0.2f + (float)rng.NextDouble() * 2;
            }
        var path = Path.Combine(RepoPaths.NewTempDir(), "seq-fp32.onnx");
        OnnxExporter.Export(net, path);
        var model = OnnxExporter.ToModel(net);
        var conv = model.Graph.Node.First(n => n.OpType == "Conv");
        Assert.Equal(new long[] { 1, 5 }, conv.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        Assert.Equal(new long[] { 0, 2, 0, 2 }, conv.Attribute.Single(a => a.Name == "pads").Ints);
        const int n = 50;
        var input = Enumerable.Range(0, n * 320).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var managed = net.Forward(input, n, training: false).ToArray();
        using var session = new InferenceSession(path);
        Assert.Equal(new[] { -1, 5, 1, 64 }, session.InputMetadata["input"].Dimensions);
        using var x = OrtValue.CreateTensorValueFromMemory(input, [n, 5, 1, 64]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [x], ["logits"]);
        var ort = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(new long[] { n, 10 }, outputs[0].GetTensorTypeAndShape().Shape);
        var worst = 0.0;
        for (var i = 0; i < managed.Length; i++) worst = Math.Max(worst, Math.Abs(managed[i] - ort[i]));
        Assert.True(worst <= 1e-4, $"largest difference {worst}");
        Assert.True(managed.Max() - managed.Min() > 0.1f);
    }

    [Fact]
    public void Export_Graph_HasFoldedBatchNormAndOpset13()
    {
        var model = OnnxExporter.ToModel(TrainedLikeNetwork());
        Assert.Equal(13, model.OpsetImport.Single().Version);
        var ops = model.Graph.Node.Select(n => n.OpType).ToArray();
        Assert.DoesNotContain("BatchNormalization", ops);
        Assert.DoesNotContain("Dropout", ops);
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Conv", "Relu", "GlobalAveragePool", "Flatten", "Gemm"], ops);
        Assert.Equal("N", model.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
    }

    [Fact]
    public void Import_ExportedModel_ReproducesInferenceExactly()
    {
        var net = TrainedLikeNetwork();
        var path = Path.Combine(RepoPaths.NewTempDir(), "m.onnx");
        OnnxExporter.Export(net, path);
        var data = Mnist.Load(RepoPaths.Mnist, MnistSplit.Test, limit: 300).WithClasses([.. DigitSet.DigitClasses, "none"]);
        var fresh = Network.FromSpec(Network.DefaultSpec, 11, dropout: 0.2f, threads: 2, seed: 99);
        OnnxImporter.LoadInto(fresh, path, [.. DigitSet.DigitClasses, "none"], data);
        var input = new float[64 * 784];
        for (var i = 0; i < 64; i++) data.CopyImageAsFloat(i, input.AsSpan(i * 784));
        var a = net.Forward(input, 64, false).ToArray();
        var b = fresh.Forward(input, 64, false).ToArray();
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 1e-3f);
    }

    [Fact]
    public void Import_WrongArchitecture_ThrowsNamingFile()
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "m.onnx");
        OnnxExporter.Export(TrainedLikeNetwork(), path);
        var other = Network.FromSpec("c8,p,c16,gap,fc", 11);
        var ex = Assert.Throws<InvalidDataException>(() => OnnxImporter.LoadInto(other, path, [.. DigitSet.DigitClasses, "none"], DigitSet.Empty(DigitSet.DigitClasses)));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Read_NotOnnx_ThrowsInvalidData()
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "bad.onnx");
        File.WriteAllText(path, "this is not protobuf at all \u0001\u0002");
        var ex = Assert.Throws<InvalidDataException>(() => OnnxImporter.Read(path));
        Assert.Contains("not an ONNX model", ex.Message);
    }
}
