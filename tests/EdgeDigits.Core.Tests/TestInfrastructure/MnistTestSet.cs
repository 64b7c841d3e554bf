using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Core.Tests.TestInfrastructure;

/// <summary>Reads the MNIST test split (IDX files) once per test run.</summary>
internal static class MnistTestSet
{
    private static readonly Lazy<(byte[] Images, byte[] Labels)> s_data = new(Load);

    public static int Count => s_data.Value.Labels.Length;

    public static ReadOnlySpan<byte> Image(int index) => s_data.Value.Images.AsSpan(index * 784, 784);

    public static int Label(int index) => s_data.Value.Labels[index];

    private static (byte[], byte[]) Load()
    {
        var dir = RepoPaths.Mnist;
        var images = File.ReadAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"));
        var labels = File.ReadAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"));
        return (images[16..], labels[8..]);
    }
}
