using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Core.Tests.TestInfrastructure;

/// <summary>The model the recognition tests run on: the shipped int8 model, else the fp32 one.</summary>
internal static class TestModels
{
    public static string Default => FirstShipped("digits-int8.onnx", "digits-fp32.onnx");

    /// <summary>The shipped ink sequence model the device reads inks with (kind ink-sequence): int8, else fp32.</summary>
    public static string InkSequence => FirstShipped("inkseq-int8.onnx", "inkseq-fp32.onnx");

    private static string FirstShipped(params string[] names)
    {
        foreach (var name in names)
        {
            var p = Path.Combine(RepoPaths.Models, name);
            if (File.Exists(p)) return p;
        }
        throw new InvalidOperationException($"no model in {RepoPaths.Models} ({string.Join(" or ", names)})");
    }

    /// <summary>Copies the default model (and its metadata) into a temp folder so a test can tamper with the metadata.</summary>
    public static string CopyToTemp(out string dir)
    {
        dir = RepoPaths.NewTempDir();
        var src = Default;
        var dst = Path.Combine(dir, "digits-fp32.onnx");
        File.Copy(src, dst);
        return dst;
    }
}
