using SkiaSharp;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>Camera frames made from MNIST test digits: dark digits on light paper, like a printed label or a meter dial.</summary>
internal static class TestFrames
{
    private static readonly Lazy<(byte[] Images, byte[] Labels)> Mnist = new(() =>
        (File.ReadAllBytes(Path.Combine(RepoPaths.Mnist, "t10k-images-idx3-ubyte")), File.ReadAllBytes(Path.Combine(RepoPaths.Mnist, "t10k-labels-idx1-ubyte"))));

    /// <summary>The first MNIST test images of each digit (index per digit), skipping the self-test range.</summary>
    public static int IndexOf(char digit, int nth = 0)
    {
        var (_, labels) = Mnist.Value;
        for (var i = 0; i < 9000; i++)
            if (labels[8 + i] == digit - '0' && nth-- == 0) return i;
        throw new ArgumentException($"no digit {digit}");
    }

    /// <summary>A 640x480 PNG showing <paramref name="text"/> (digits, dark on light), each digit 3x the MNIST size; empty text gives a blank page.</summary>
    public static byte[] Png(string text, int variant = 0)
    {
        var (images, _) = Mnist.Value;
        using var bmp = new SKBitmap(new SKImageInfo(640, 480, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bmp)) canvas.Clear(new SKColor(235, 232, 225));
        var x0 = 320 - text.Length * 90 / 2;
        for (var k = 0; k < text.Length; k++)
        {
            var idx = IndexOf(text[k], variant);
            for (var y = 0; y < 84; y++)
                for (var x = 0; x < 84; x++)
                {
                    var v = images[16 + idx * 784 + y / 3 * 28 + x / 3];
                    if (v < 30) continue;
                    var g = (byte)(235 - v * 200 / 255);
                    bmp.SetPixel(x0 + k * 90 + x, 200 + y, new SKColor(g, g, g));
                }
        }
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes frames into a new folder and returns it.</summary>
    public static string Folder(params string[] texts)
    {
        var dir = RepoPaths.NewTempDir("frames");
        for (var i = 0; i < texts.Length; i++) File.WriteAllBytes(Path.Combine(dir, $"frame{i:D3}.png"), Png(texts[i]));
        return dir;
    }
}
