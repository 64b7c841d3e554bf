using EdgeDigits.Core.Imaging;
using EdgeDigits.Deploy.Tests.TestInfrastructure;

namespace EdgeDigits.Deploy.Tests;

/// <summary>
/// The real linux-arm64 self-contained publish of EdgeDigits.Device run under qemu-aarch64 user-mode emulation
/// (backports qemu 10, arm64 runtime sysroot from Debian packages at /opt/edgedigits/arm64-sysroot, made by
/// tools/setup.sh) as a Raspberry Pi 4 (cortex-a72, plain NEON) and a Pi 5 (cortex-a76, dot product).
/// </summary>
public sealed class QemuArm64Tests : IDisposable
{
    private readonly Arm64Publish _publish = Arm64Publish.Shared;
    private const string Sysroot = "/opt/edgedigits/arm64-sysroot";
    private readonly string _tmp = RepoPaths.NewTempDir("edgedigits-qemu");

    [Fact]
    public void Publish_LinuxArm64_SmallBoardBuild()
    {
        var files = Directory.GetFiles(_publish.Dir).Select(Path.GetFileName).ToList();

        Assert.DoesNotContain(files, f => f!.Contains("onnxruntime", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal));
        // A release reads on its own: model, metadata and self-test digits travel in it.
        Assert.True(File.Exists(Path.Combine(_publish.Dir, "models", "digits.json")), "no models/digits.json in the publish");
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_publish.Dir, "models"), "digits-*.onnx"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_publish.Dir, "samples", "selftest"), "*.png", SearchOption.AllDirectories));
        foreach (var native in new[] { "EdgeDigits.Device", "libonnxruntime.so", "libSkiaSharp.so" })
        {
            var h = File.ReadAllBytes(Path.Combine(_publish.Dir, native)).AsSpan(0, 20);
            Assert.True(h[0] == 0x7F && h[1] == 'E' && h[2] == 'L' && h[3] == 'F', native + " is not ELF");
            Assert.True((h[18] | h[19] << 8) == 0xB7, $"{native} is not AArch64 (e_machine 0x{h[18] | h[19] << 8:x})");
        }
        // The small board build (EdgeDigits.Device.csproj): trimmed managed code and the runtime in one compressed
        // executable, no loose assemblies, runtime libraries, debugger or provider stubs, documentation or symbols.
        Assert.DoesNotContain(files, f => f!.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".xml", StringComparison.Ordinal) || f.EndsWith(".pdb", StringComparison.Ordinal));
        Assert.DoesNotContain("libcoreclr.so", files);
        Assert.DoesNotContain("libonnxruntime_providers_shared.so", files);
        Console.WriteLine($"linux-arm64 board build: {_publish.Bytes / 1e6:F1} MB in {files.Count} files");
        Assert.InRange(_publish.Bytes, 20_000_000L, 50_000_000L);
    }

    [Fact]
    public async Task Device_UnderQemuA72_FullHostLoadsModelAndAnswersHealthy()
    {
        var port = TestBoard.FreePort();
        var model = new[] { "digits-int8.onnx", "digits-fp32.onnx" }.First(m => File.Exists(Path.Combine(_publish.Dir, "models", m)));
        var psi = new System.Diagnostics.ProcessStartInfo("qemu-aarch64")
        {
            WorkingDirectory = _tmp, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { "-cpu", "cortex-a72", "-L", Sysroot, Path.Combine(_publish.Dir, "EdgeDigits.Device"), "--profile", "Simulator",
                     $"--EdgeDigits:Http:Url=http://127.0.0.1:{port}", $"--EdgeDigits:Model:Path=models/{model}",
                     "--EdgeDigits:Meter:Layout=", $"--EdgeDigits:Meter:Camera:ReplayDir={RepoPaths.Samples}/images", $"--EdgeDigits:Sorter:Camera:ReplayDir={RepoPaths.Samples}/images" })
            psi.ArgumentList.Add(a);
        var log = new System.Text.StringBuilder();
        using var app = System.Diagnostics.Process.Start(psi)!;
        app.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        app.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? health = null;
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (health is null && sw.Elapsed < TimeSpan.FromSeconds(150) && !app.HasExited)
            {
                try { health = await http.GetStringAsync($"http://127.0.0.1:{port}/api/health"); }
                catch (HttpRequestException) { await Task.Delay(500); }
                catch (TaskCanceledException) { }
            }
            Assert.True(health is not null, $"no healthy answer from the arm64 app after {sw.Elapsed.TotalSeconds:F0}s: {log}");
            Console.WriteLine($"arm64 device host under qemu (cortex-a72) healthy after {sw.Elapsed.TotalSeconds:F1}s");
            using var doc = System.Text.Json.JsonDocument.Parse(health);
            // The model shipped inside the release was loaded by the ARM64 ONNX Runtime and passed the device's self-test.
            Assert.Equal(Path.Combine(_publish.Dir, "models", model), doc.RootElement.GetProperty("model").GetProperty("path").GetString());
            Assert.Contains("self-test", log.ToString());
        }
        finally
        {
            if (!app.HasExited) app.Kill();
            app.WaitForExit(10000);
        }
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
