using EdgeDigits.Training.Onnx.Proto;
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
    public static Dictionary<string, int> OptimizedOpCounts(string modelPath, GraphOptimizationLevel level = GraphOptimizationLevel.ORT_ENABLE_EXTENDED) =>
        OptimizedGraph(modelPath, level).Node.GroupBy(n => n.OpType).ToDictionary(gr => gr.Key, gr => gr.Count());

    /// <summary>
    /// The graph ORT runs for <paramref name="modelPath"/> after optimizing it at <paramref name="level"/> (ops with
    /// their domains: at <c>ORT_ENABLE_ALL</c> the layout ops are x86/ARM specific, e.g. <c>com.microsoft.nchwc</c>).
    /// </summary>
    public static GraphProto OptimizedGraph(string modelPath, GraphOptimizationLevel level)
    {
        var optimized = Path.Combine(Path.GetTempPath(), $"edgedigits-ortopt-{Guid.NewGuid():N}.onnx");
        try
        {
            // FATAL: at ORT_ENABLE_ALL ORT warns that the saved graph is specific to this machine, which is the point here.
            using (var so = new SessionOptions { GraphOptimizationLevel = level, OptimizedModelFilePath = optimized, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL })
            using (new InferenceSession(modelPath, so))
            {
            }
            return OnnxModelFile.Load(optimized).Graph;
        }
        finally
        {
            if (File.Exists(optimized)) File.Delete(optimized);
        }
    }
}
