using EdgeDigits.Core.Models;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;

namespace EdgeDigits.Training.Tests.TestInfrastructure;

/// <summary>Degenerate models whose output is known exactly: Flatten → Gemm with zero weights and a fixed bias.</summary>
internal static class TinyModels
{
    /// <summary>A model that outputs <paramref name="bias"/> as logits for every image, saved with optional metadata.</summary>
    public static string ConstantLogits(float[] bias, ModelMetadata? metadata = null, int side = 28, string name = "const.onnx")
    {
        var b = new OnnxTestBuilder();
        var x = b.Input("input", -1, 1, side, side);
        var f = b.Node("Flatten", [x], OnnxTestBuilder.Int("axis", 1));
        var logits = b.Node("Gemm", [f, b.Init("w", new float[bias.Length * side * side], bias.Length, side * side), b.Init("b", bias, bias.Length)], "logits", OnnxTestBuilder.Int("transB", 1));
        b.Output(logits);
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, b.Build().ToByteArray());
        metadata?.Save(ModelMetadata.PathFor(path));
        return path;
    }
}
