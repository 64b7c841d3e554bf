using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace EdgeDigits.Training.Tests.TestInfrastructure;

/// <summary>
/// Small MNIST classifiers with random convolutional features and a nearest-centroid head fitted on
/// real MNIST training images, so accuracy is well above chance and quantization error shows up.
/// </summary>
internal static class TestModels
{
    private static readonly Lazy<DigitSet> TrainSample = new(() => Mnist.Load(RepoPaths.Mnist, MnistSplit.Train, limit: 2000));
    private static readonly Lazy<DigitSet> TestSample = new(() => Mnist.Load(RepoPaths.Mnist, MnistSplit.Test, limit: 600));

    public static DigitSet Train => TrainSample.Value;

    public static DigitSet Test => TestSample.Value;

    /// <summary>Our own export style: Conv+Relu, MaxPool, Conv+Relu, MaxPool, Flatten, Gemm → logits.</summary>
    public static ModelProto Simple(int opset = 13, string? extraOp = null) => WithCentroidHead(features =>
    {
        var b = new OnnxTestBuilder(opset, seed: 7);
        var x = b.Input("input", -1, 1, 28, 28);
        var h = b.Node("Relu", [b.Conv(x, 1, 8, 3, 1)]);
        h = b.Node("MaxPool", [h], OnnxTestBuilder.Ints("kernel_shape", 2, 2), OnnxTestBuilder.Ints("strides", 2, 2));
        h = b.Conv(h, 8, 16, 3, 1);
        h = b.Node(extraOp ?? "Relu", [h]);
        h = b.Node("MaxPool", [h], OnnxTestBuilder.Ints("kernel_shape", 2, 2), OnnxTestBuilder.Ints("strides", 2, 2));
        h = b.Node("Flatten", [h], OnnxTestBuilder.Int("axis", 1));
        return (b, h, 16 * 7 * 7);
    }, (b, f, w, bias) =>
    {
        var logits = b.Node("Gemm", [f, b.Init("fc_w", w, 10, w.Length / 10), b.Init("fc_b", bias, 10)], "logits", OnnxTestBuilder.Int("transB", 1));
        b.Output(logits);
    });

    /// <summary>
    /// A PyTorch-style export: Conv → BatchNormalization → Relu, a residual Add, Clip(0,6), weights in
    /// Constant nodes, an AveragePool branch joined by Concat, the Shape/Gather/Unsqueeze/Concat/Reshape
    /// flatten, Identity and inference-mode Dropout nodes, MatMul + Add for the linear layer and a final Softmax.
    /// </summary>
    public static ModelProto PyTorchStyle() => WithCentroidHead(features =>
    {
        var b = new OnnxTestBuilder(13, seed: 11);
        var x = b.Input("input.1", -1, 1, 28, 28);
        var h1 = b.Node("Relu", [b.BatchNorm(b.Conv(x, 1, 8, 3, 1, bias: false), 8)]);
        var h2 = b.BatchNorm(b.Conv(h1, 8, 8, 3, 1, weightsAsConstant: true), 8);
        var sum = b.Node("Add", [h2, h1]);
        var clip = b.Node("Identity", [b.Node("Clip", [sum, b.Init("clip_min", [0f]), b.Init("clip_max", [6f])])]);
        var pooled = b.Node("MaxPool", [clip], OnnxTestBuilder.Ints("kernel_shape", 2, 2), OnnxTestBuilder.Ints("strides", 2, 2));
        var branchA = b.Node("Relu", [b.Conv(pooled, 8, 8, 3, 1)]);
        var branchB = b.Node("AveragePool", [pooled], OnnxTestBuilder.Ints("kernel_shape", 3, 3), OnnxTestBuilder.Ints("pads", 1, 1, 1, 1), OnnxTestBuilder.Ints("strides", 1, 1));
        var cat = b.Node("Concat", [branchA, branchB], OnnxTestBuilder.Int("axis", 1));
        var small = b.Node("MaxPool", [cat], OnnxTestBuilder.Ints("kernel_shape", 2, 2), OnnxTestBuilder.Ints("strides", 2, 2));
        var shape = b.Node("Shape", [small]);
        var n = b.Node("Gather", [shape, b.InitInt64("zero", [0])], OnnxTestBuilder.Int("axis", 0));
        var n1 = b.Node("Unsqueeze", [n, b.InitInt64("axes0", [0], 1)]);
        var target = b.Node("Concat", [n1, b.InitInt64("minus1", [-1], 1)], OnnxTestBuilder.Int("axis", 0));
        var flat = b.Node("Dropout", [b.Node("Reshape", [small, target])]);
        return (b, flat, 16 * 7 * 7);
    }, (b, f, w, bias) =>
    {
        var t = new float[w.Length];
        var d = w.Length / 10;
        for (var c = 0; c < 10; c++) for (var i = 0; i < d; i++) t[i * 10 + c] = w[c * d + i];
        var mm = b.Node("MatMul", [f, b.Init("fc.weight", t, d, 10)]);
        var logits = b.Node("Add", [mm, b.Init("fc.bias", bias, 10)]);
        b.Output(b.Node("Softmax", [logits], "probs", OnnxTestBuilder.Int("axis", 1)));
    });

    /// <summary>Builds the feature part twice: once ending in its features (to fit the head), once with the head.</summary>
    private static ModelProto WithCentroidHead(Func<bool, (OnnxTestBuilder B, string Features, int Dim)> body, Action<OnnxTestBuilder, string, float[], float[]> head)
    {
        var (fb, ff, dim) = body(true);
        fb.Output(ff);
        var features = Run(fb.Build(), Train, ff);
        var mean = new double[10 * dim];
        var count = new int[10];
        for (var i = 0; i < Train.Count; i++)
        {
            var c = Train.Labels[i];
            count[c]++;
            for (var j = 0; j < dim; j++) mean[c * dim + j] += features[i * dim + j];
        }
        var w = new float[10 * dim];
        var bias = new float[10];
        for (var c = 0; c < 10; c++)
        {
            double sq = 0;
            for (var j = 0; j < dim; j++)
            {
                var m = mean[c * dim + j] / count[c];
                w[c * dim + j] = (float)m;
                sq += m * m;
            }
            // Nearest centroid as a linear layer: argmin |f-m|² = argmax f·m - |m|²/2.
            bias[c] = (float)(-sq / 2);
        }
        var (b, f, _) = body(false);
        head(b, f, w, bias);
        return b.Build();
    }

    /// <summary>Runs <paramref name="model"/> on all of <paramref name="set"/> (input = pixel/255) and returns output <paramref name="output"/> flattened.</summary>
    public static float[] Run(ModelProto model, DigitSet set, string? output = null) => Run(model.ToByteArray(), set, output);

    public static float[] Run(byte[] model, DigitSet set, string? output = null)
    {
        using var session = new InferenceSession(model);
        var inputName = session.InputMetadata.Keys.First();
        output ??= session.OutputMetadata.Keys.First();
        var x = new float[set.Count * 784];
        for (var i = 0; i < set.Count; i++) set.CopyImageAsFloat(i, x.AsSpan(i * 784, 784));
        using var value = OrtValue.CreateTensorValueFromMemory(x, [set.Count, 1, 28, 28]);
        // Kept in a variable, not passed as `new RunOptions()`: an unreferenced RunOptions can be finalized (its native
        // handle freed) by a GC while ORT still runs with it, a use-after-free that crashed the test host under load.
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [inputName], [value], [output]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static int[] ArgMax(float[] scores, int classes)
    {
        var n = scores.Length / classes;
        var r = new int[n];
        for (var i = 0; i < n; i++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++) if (scores[i * classes + c] > scores[i * classes + best]) best = c;
            r[i] = best;
        }
        return r;
    }

    public static double Accuracy(int[] predicted, int[] labels) => predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
}
