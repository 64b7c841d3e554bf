using System.Diagnostics;
using EdgeDigits.Deploy.Tests.TestInfrastructure;
using EdgeDigits.Tool.Flash;

namespace EdgeDigits.Deploy.Tests;

/// <summary>
/// `edgedigits flash model` end to end: real sshd board, the real device app (x64 build, Simulator profile, listening on
/// the board's configured port) and the shipped model. A good model is activated without a restart; a model that fails
/// the device's self-test is answered with 422 and the old model stays active.
/// </summary>
public sealed class FlashModelActivationTests : IDisposable
{
    private readonly string _tmp = RepoPaths.NewTempDir("edgedigits-activate");
    private readonly SshKeys _keys;
    private readonly TestBoard _board;
    private readonly Process _app;
    private readonly string _work;
    private readonly System.Text.StringBuilder _log = new();

    public FlashModelActivationTests()
    {
        _keys = new SshKeys(Path.Combine(_tmp, "keys"));
        _board = new TestBoard(_keys, _tmp, "board");
        try { _app = StartApp(out _work); }
        catch
        {
            // xunit does not dispose a class whose constructor threw: stop the board's sshd here.
            _board.Dispose();
            throw;
        }
    }

    private Process StartApp(out string work)
    {
        // The app's working folder (like /var/lib/edgedigits): the shipped model and samples, linked from the repo.
        var dir = work = Directory.CreateDirectory(Path.Combine(_board.Root, "var/lib/edgedigits")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(dir, "samples"), RepoPaths.Samples);
        Directory.CreateDirectory(Path.Combine(dir, "models"));
        foreach (var f in Directory.GetFiles(RepoPaths.Models))
            File.Copy(f, Path.Combine(dir, "models", Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(_board.ConfigDir, "appsettings.json"),
            $"{{ \"EdgeDigits\": {{ \"Http\": {{ \"Url\": \"http://127.0.0.1:{_board.HttpPort}\" }}, \"Model\": {{ \"Path\": \"models/{Path.GetFileName(ShippedModel())}\" }}, \"Meter\": {{ \"Layout\": \"\", \"Camera\": {{ \"ReplayDir\": \"samples/images\" }} }}, \"Sorter\": {{ \"Camera\": {{ \"ReplayDir\": \"samples/images\" }} }} }} }}\n");
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "EdgeDigits.Device"))
        {
            WorkingDirectory = dir,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("--profile");
        psi.ArgumentList.Add("Simulator");
        psi.Environment["EDGEDIGITS_CONFIG"] = Path.Combine(_board.ConfigDir, "appsettings.json");
        var app = Process.Start(psi)!;
        app.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        app.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        app.BeginOutputReadLine();
        app.BeginErrorReadLine();
        var end = DateTime.UtcNow.AddSeconds(60);
        while (_board.Health() is null)
        {
            if (app.HasExited) throw new InvalidOperationException($"device app exited with {app.ExitCode}: {_log}");
            if (DateTime.UtcNow > end) { app.Kill(); throw new TimeoutException("device app did not answer /api/health: " + _log); }
            Thread.Sleep(200);
        }
        return app;
    }

    private ModelFlashRequest Request(string model) => new()
    {
        Host = _board.Host,
        Model = model,
        Identity = _keys.ClientKey,
        SshOptions = [$"UserKnownHostsFile={_keys.KnownHosts}"],
        // The board root's real path: the same inside the board's mount namespace and for the app outside it.
        ModelsDir = Path.Combine(_work, "models"),
        ConfigFile = Path.Combine(_board.ConfigDir, "appsettings.json"),
    };

    private static string ShippedModel() =>
        new[] { "digits-int8.onnx", "digits-fp32.onnx" }.Select(m => Path.Combine(RepoPaths.Models, m)).First(File.Exists);

    [Fact]
    public void Flash_GoodModel_ActivatedWithoutRestart()
    {
        var pid = _app.Id;

        var r = new ModelFlasher(TextWriter.Null).Flash(Request(ShippedModel()));

        Assert.Equal(200, r.HttpStatus);
        Assert.Contains("\"status\":\"active\"", r.Body);
        Assert.Contains(r.RemotePath, _board.Health());
        Assert.False(_app.HasExited);
        Assert.Equal(pid, _app.Id);
    }

    [Fact]
    public void Flash_ModelFailingSelfTest_Rejected422OldModelStaysActive()
    {
        var before = _board.Health();
        // A real ONNX file the device can open but that cannot read digits: an untrained copy of the shipped graph is
        // not available here, so use the shipped model's metadata with an Identity graph (wrong output shape).
        var dir = Directory.CreateDirectory(Path.Combine(_tmp, "bad")).FullName;
        var bad = Path.Combine(dir, "digits-int8.onnx");
        var graph = new EdgeDigits.Training.Onnx.Proto.GraphProto { Name = "g" };
        graph.Node.Add(new EdgeDigits.Training.Onnx.Proto.NodeProto { OpType = "Identity", Input = { "input" }, Output = { "logits" } });
        var m = new EdgeDigits.Training.Onnx.Proto.ModelProto { IrVersion = 8, Graph = graph };
        m.OpsetImport.Add(new EdgeDigits.Training.Onnx.Proto.OperatorSetIdProto { Version = 17 });
        File.WriteAllBytes(bad, Google.Protobuf.MessageExtensions.ToByteArray(m));

        var ex = Assert.Throws<FlashException>(() => new ModelFlasher(TextWriter.Null).Flash(Request(bad)));

        Assert.StartsWith($"{_board.Host}: the device rejected digits-int8.onnx and keeps its current model: ", ex.Message);
        var after = _board.Health();
        Assert.NotNull(after);
        Assert.Equal(System.Text.Json.JsonDocument.Parse(before!).RootElement.GetProperty("model").GetProperty("path").GetString(),
                     System.Text.Json.JsonDocument.Parse(after!).RootElement.GetProperty("model").GetProperty("path").GetString());
    }

    public void Dispose()
    {
        try { _app.Kill(entireProcessTree: true); _app.WaitForExit(5000); } catch (InvalidOperationException) { }
        _app.Dispose();
        _board.Dispose();
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }
}
