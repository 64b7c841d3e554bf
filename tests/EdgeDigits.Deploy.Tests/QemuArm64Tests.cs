using EdgeDigits.Core.Imaging;
using EdgeDigits.Deploy.Tests.TestInfrastructure;

namespace EdgeDigits.Deploy.Tests;

/// <summary>
/// The real linux-arm64 self-contained publish of EdgeDigits.Device run under qemu-aarch64 user-mode emulation
/// (backports qemu 10, arm64 runtime sysroot from Debian packages at /opt/edgedigits/arm64-sysroot, made by
/// tools/setup.sh) as a Raspberry Pi 4 (cortex-a72, plain NEON) and a Pi 5 (cortex-a76, dot product).
/// </summary>
[Collection(Arm64Collection.Name)]
public sealed class QemuArm64Tests(Arm64Publish publish) : IDisposable
{
    private const string Sysroot = "/opt/edgedigits/arm64-sysroot";
    private readonly string _tmp = RepoPaths.NewTempDir("edgedigits-qemu");

    private ProcessResult Qemu(string cpu, string workDir, params string[] args) =>
        ProcessRunner.Run("qemu-aarch64", ["-cpu", cpu, "-L", Sysroot, Path.Combine(publish.Dir, "EdgeDigits.Device"), .. args],
            workDir: workDir, env: new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" }, timeout: TimeSpan.FromMinutes(3));

    [Fact]
    public void Publish_LinuxArm64_Aarch64NativesOnlyNoWindowsOrtDlls()
    {
        var files = Directory.GetFiles(publish.Dir).Select(Path.GetFileName).ToList();

        Assert.DoesNotContain(files, f => f!.Contains("onnxruntime", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal));
        foreach (var native in new[] { "EdgeDigits.Device", "libonnxruntime.so", "libSkiaSharp.so", "libcoreclr.so" })
        {
            var h = File.ReadAllBytes(Path.Combine(publish.Dir, native)).AsSpan(0, 20);
            Assert.True(h[0] == 0x7F && h[1] == 'E' && h[2] == 'L' && h[3] == 'F', native + " is not ELF");
            Assert.True((h[18] | h[19] << 8) == 0xB7, $"{native} is not AArch64 (e_machine 0x{h[18] | h[19] << 8:x})");
        }
        Assert.InRange(publish.Bytes, 60L << 20, 200L << 20);
    }

    [Theory]
    [InlineData("cortex-a72")]
    [InlineData("cortex-a76")]
    public void Device_UnderQemu_RuntimeStartsAndValidatesConfig(string cpu)
    {
        var help = Qemu(cpu, _tmp, "read", "--help");
        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.StartsWith("usage: EdgeDigits.Device read FILE...", help.StdOut);

        // The whole host up to config validation: JSON config binding, profiles, path checks, on ARM64 code.
        var run = Qemu(cpu, _tmp, "--profile", "Kiosk", "--EdgeDigits:Model:Path=models/none.onnx");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("edgedigits-device: config: EdgeDigits:Model:Path: model file 'models/none.onnx' not found", run.StdErr);
    }

    /// <summary>Writes the first <paramref name="count"/> MNIST test digits as PNGs named by index and label.</summary>
    internal static List<(string File, int Label)> WriteMnistPngs(string dir, int count)
    {
        Directory.CreateDirectory(dir);
        var images = File.ReadAllBytes(Path.Combine(RepoPaths.Mnist, "t10k-images-idx3-ubyte"));
        var labels = File.ReadAllBytes(Path.Combine(RepoPaths.Mnist, "t10k-labels-idx1-ubyte"));
        var list = new List<(string, int)>();
        for (var i = 0; i < count; i++)
        {
            // MNIST is white ink on black; the device reads dark ink on light paper, so invert, and pad like a page.
            var img = new GrayImage(56, 56);
            var px = new byte[56 * 56];
            Array.Fill(px, (byte)255);
            for (var y = 0; y < 28; y++)
                for (var x = 0; x < 28; x++)
                    px[(y + 14) * 56 + x + 14] = (byte)(255 - images[16 + i * 784 + y * 28 + x]);
            img = new GrayImage(px, 56, 56, 56);
            var name = $"mnist-{i:D4}-label{labels[8 + i]}.png";
            GrayImageCodec.SavePng(img, Path.Combine(dir, name));
            list.Add((name, labels[8 + i]));
        }
        return list;
    }

    public void Dispose()
    {
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }
}
