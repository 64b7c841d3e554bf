using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeDigits.Cli;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;

namespace EdgeDigits.Device.Tests;

public class SystemdAndCliTests
{
    [Fact]
    public async Task Run_UnderSystemdNotify_SendsReadyWatchdogAndStoppingThenExitsCleanlyOnSigterm()
    {
        var dir = RepoPaths.NewTempDir("notify");
        var sockPath = Path.Combine(dir, "notify.sock");
        using var sock = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        sock.Bind(new UnixDomainSocketEndPoint(sockPath));
        var frames = TestFrames.Folder("12");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "EdgeDigits.Device.dll"), "--profile", "Simulator",
            $"--EdgeDigits:Http:Url=http://127.0.0.1:{MosquittoBroker.FreePort()}", $"--EdgeDigits:Model:Path={DeviceApp.ModelPath}",
            $"--EdgeDigits:Model:SelfTestDir={Path.Combine(RepoPaths.Samples, "selftest")}",
            // Files rather than the ffmpeg stream: the first reading is there at once, well before the watchdog test stops the app.
            "--EdgeDigits:Meter:Camera:Kind=Replay", "--EdgeDigits:Meter:Layout=",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}", $"--EdgeDigits:CorrectionsDir={dir}" })
            psi.ArgumentList.Add(a);
        psi.Environment["NOTIFY_SOCKET"] = sockPath;
        psi.Environment["WATCHDOG_USEC"] = "400000";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var got = new List<string>();
        var buf = new byte[4096];
        var sw = Stopwatch.StartNew();
        string? Next() => sock.Poll(1_000_000, SelectMode.SelectRead) ? Encoding.UTF8.GetString(buf, 0, sock.Receive(buf)) : null;
        while (sw.Elapsed < TimeSpan.FromSeconds(30) && !(got.Any(g => g.StartsWith("READY=1", StringComparison.Ordinal)) && got.Count(g => g == "WATCHDOG=1") >= 2))
        {
            if (Next() is { } m) got.Add(m);
            else if (p.HasExited) break;
        }
        Assert.True(got.Any(g => g.StartsWith("READY=1", StringComparison.Ordinal)), "no READY=1; got: " + string.Join(" | ", got));
        Assert.True(got.Count(g => g == "WATCHDOG=1") >= 2, "watchdog not petted: " + string.Join(" | ", got));
        Process.Start("kill", $"-TERM {p.Id}")!.WaitForExit();
        Assert.True(p.WaitForExit(15_000), "did not stop on SIGTERM");
        while (Next() is { } rest) got.Add(rest);
        Assert.Contains("STOPPING=1", got);
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("reading 1 [meter] frame000.png: 12", await stdout);
    }

    [Fact]
    public void Read_ImagesInkAndBadFile_OneLineEachAndExitBadInput()
    {
        var dir = TestFrames.Folder("305", "42");
        File.WriteAllText(Path.Combine(dir, "ink.json"), TestInks.Json([.. TestInks.One(110), .. TestInks.Zero(210)]));
        File.WriteAllBytes(Path.Combine(dir, "broken.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var o = new StringWriter();
        var e = new StringWriter();
        // The device binary's `read` is the shared command class of `edgedigits read` (EdgeDigits.Cli), with its exit codes.
        var code = ReadCommand.Execute(new ReadRequest { Inputs = [dir], Model = DeviceApp.ModelPath }, o, e);
        Assert.Equal(ExitCodes.BadInput, code);
        var lines = o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(["305", "42", "10"], lines.Select(l => l[1]));
        Assert.All(lines, l => Assert.InRange(double.Parse(l[2], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        Assert.Contains("broken.png", e.ToString());
    }

    [Fact]
    public void Read_Json_OneObjectPerFileWithDigits()
    {
        var dir = TestFrames.Folder("79");
        var o = new StringWriter();
        Assert.Equal(ExitCodes.Success, ReadCommand.Execute(new ReadRequest { Inputs = [Path.Combine(dir, "frame000.png")], Model = DeviceApp.ModelPath, Json = true }, o, new StringWriter()));
        var j = JsonDocument.Parse(o.ToString()).RootElement;
        Assert.Equal("79", j.GetProperty("text").GetString());
        Assert.Equal(2, j.GetProperty("digits").GetArrayLength());
        Assert.Equal(4, j.GetProperty("digits")[0].GetProperty("box").GetArrayLength());
    }

    [Fact]
    public void Read_MissingModel_ExitBadInputNamesIt()
    {
        var e = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, ReadCommand.Execute(new ReadRequest { Inputs = ["x.png"], Model = "/nope/m.onnx" }, new StringWriter(), e));
        Assert.Contains("/nope/m.onnx: model file not found", e.ToString());
    }
}
