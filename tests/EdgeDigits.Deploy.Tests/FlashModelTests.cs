using System.Security.Cryptography;
using EdgeDigits.Core.Models;
using EdgeDigits.Deploy.Tests.TestInfrastructure;
using EdgeDigits.Tool.Flash;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;

namespace EdgeDigits.Deploy.Tests;

/// <summary>
/// `edgedigits flash model` against a real sshd board (<see cref="TestBoard"/>): the copy half (scp, checksum on the
/// board, rename) and bad input. Activation against the running device app is in <see cref="FlashModelActivationTests"/>.
/// </summary>
public sealed class FlashModelTests : IDisposable
{
    private readonly string _tmp = RepoPaths.NewTempDir("edgedigits-flashmodel");
    private readonly SshKeys _keys;
    private readonly TestBoard _board;

    public FlashModelTests()
    {
        _keys = new SshKeys(Path.Combine(_tmp, "keys"));
        _board = new TestBoard(_keys, _tmp, "board");
    }

    private ModelFlashRequest Request(string model, string? identity = null) => new()
    {
        Host = _board.Host,
        Model = model,
        Identity = identity ?? _keys.ClientKey,
        SshOptions = [$"UserKnownHostsFile={_keys.KnownHosts}"],
        ModelsDir = TestBoard.MountPoint + "/var/lib/edgedigits/models",
        ConfigFile = TestBoard.MountPoint + "/etc/edgedigits/appsettings.json",
    };

    /// <summary>A small but real ONNX model (Identity graph) serialized with the ONNX protobuf schema, plus metadata.</summary>
    private string MakeModel(string name = "digits-int8.onnx", bool metadata = true)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_tmp, "models")).FullName;
        var graph = new GraphProto { Name = "g" };
        graph.Node.Add(new NodeProto { OpType = "Identity", Input = { "input" }, Output = { "logits" } });
        var m = new ModelProto { IrVersion = 8, ProducerName = "edgedigits-test", Graph = graph };
        m.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, m.ToByteArray());
        if (metadata) ModelMetadata.MnistDefault.Save(ModelMetadata.PathFor(path));
        return path;
    }

    [Fact]
    public void Upload_ModelWithMetadata_LandsVerifiedInIncomingHashFolder()
    {
        var model = MakeModel();

        var remote = new ModelFlasher(TextWriter.Null).Upload(Request(model));

        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model)))[..12];
        Assert.Equal($"{TestBoard.MountPoint}/var/lib/edgedigits/models/incoming/{hash}/digits-int8.onnx", remote);
        var onBoard = Path.Combine(_board.Root, $"var/lib/edgedigits/models/incoming/{hash}");
        Assert.Equal(File.ReadAllBytes(model), File.ReadAllBytes(Path.Combine(onBoard, "digits-int8.onnx")));
        // digits-int8.onnx shares digits.json: the device finds it by the same rule (ModelMetadata.PathFor).
        Assert.Equal(File.ReadAllText(Path.Combine(_tmp, "models", "digits.json")), File.ReadAllText(Path.Combine(onBoard, "digits.json")));
        Assert.False(Directory.Exists(onBoard + ".part"));
    }

    [Fact]
    public void Flash_NoDeviceRunning_CopiesThenSaysApiDidNotAnswer()
    {
        var model = MakeModel();

        var ex = Assert.Throws<FlashException>(() => new ModelFlasher(TextWriter.Null).Flash(Request(model)));

        Assert.Equal($"{_board.Host}: the device API did not answer (curl: (7) Failed to connect to 127.0.0.1 port {_board.HttpPort} after 0 ms: Couldn't connect to server); is edgedigits running?",
            System.Text.RegularExpressions.Regex.Replace(ex.Message, @"after \d+ ms", "after 0 ms"));
        Assert.Equal(ExitCodes.Unavailable, ex.ExitCode);
    }

    [Fact]
    public void Upload_NotAnOnnxFile_RefusedBeforeConnecting()
    {
        var bogus = Path.Combine(_tmp, "notes.onnx");
        File.WriteAllText(bogus, "this is not a model at all");

        var ex = Assert.Throws<FlashException>(() => new ModelFlasher(TextWriter.Null).Upload(Request(bogus)));

        Assert.Equal($"--model {bogus}: not an ONNX model (no ModelProto header)", ex.Message);
        Assert.False(Directory.Exists(Path.Combine(_board.Root, "var/lib/edgedigits/models")));
    }

    [Fact]
    public void Upload_InvalidMetadata_RefusedNamingTheFile()
    {
        var model = MakeModel();
        File.WriteAllText(Path.Combine(_tmp, "models", "digits.json"), "{ \"format\": \"something-else\" }");

        var ex = Assert.Throws<FlashException>(() => new ModelFlasher(TextWriter.Null).Upload(Request(model)));

        Assert.Contains("digits.json: format 'something-else' is not 'edgedigits-model/1'", ex.Message);
    }

    [Fact]
    public void Upload_RefusedKey_ClearError()
    {
        var model = MakeModel();

        var ex = Assert.Throws<FlashException>(() => new ModelFlasher(TextWriter.Null).Upload(Request(model, _keys.OtherKey)));

        Assert.Equal($"host {_board.Host} refused the key {_keys.OtherKey} (Permission denied (publickey))", ex.Message);
    }

    [Fact]
    public void Cli_FlashModelUnknownHost_ExitUnavailable()
    {
        var model = MakeModel();

        var r = ProcessRunner.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "edgedigits.dll"), "flash", "model",
            "--host", "pi@no-such-board.invalid", "--model", model, "--identity", _keys.ClientKey]);

        Assert.Equal(ExitCodes.Unavailable, r.ExitCode);
        Assert.Equal("edgedigits flash model: unknown host pi@no-such-board.invalid (name does not resolve)", r.StdErr.Trim().Split('\n')[^1]);
    }

    public void Dispose()
    {
        _board.Dispose();
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }
}
