using Microsoft.ML.OnnxRuntime;

namespace EdgeDigits.Training.Quantization;

/// <summary>Shows which kernels ONNX Runtime will run: saves the graph as ORT optimizes it and counts its op types.</summary>
public static class OrtGraphInspector
{
    /// <summary>Op types usually seen when ORT runs a QDQ model on integer kernels.</summary>
    public static IReadOnlyList<string> IntegerOps { get; } =
    [
        "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger", "MatMulIntegerToFloat", "QGemm", "QLinearAdd",
        "QLinearAveragePool", "QLinearGlobalAveragePool", "QLinearConcat", "QLinearSoftmax", "QLinearMul", "QLinearLeakyRelu", "QLinearSigmoid",
    ];

    /// <summary>Op type → count in the graph ORT produces for <paramref name="modelPath"/> at <paramref name="level"/>.</summary>
    public static Dictionary<string, int> OptimizedOpCounts(string modelPath, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_EXTENDED)
    {
        var optimized = Path.Combine(Path.GetTempPath(), $"edgedigits-ortopt-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var so = new SessionOptions { GraphOptimizationLevel = level, OptimizedModelFilePath = optimized, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR })
            using (new InferenceSession(modelPath, so))
            {
            }
            var model = OnnxModelFile.Load(optimized);
            return model.Graph.Node.GroupBy(n => n.OpType).ToDictionary(gr => gr.Key, gr => gr.Count());
        }
        finally
        {
            if (File.Exists(optimized)) File.Delete(optimized);
        }
    }
}
