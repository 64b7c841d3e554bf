using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Models;

namespace EdgeDigits.Tool.Flash;

/// <summary>What <see cref="ModelFlasher"/> pushes and where.</summary>
public sealed record ModelFlashRequest
{
    /// <summary>The board, user@host[:port].</summary>
    public required string Host { get; init; }

    /// <summary>The .onnx model; its metadata (<see cref="ModelMetadata.PathFor"/>) travels with it.</summary>
    public required string Model { get; init; }

    /// <summary>SSH private key, or null for ssh's defaults.</summary>
    public string? Identity { get; init; }

    /// <summary>SSH port overriding the one in <see cref="Host"/>.</summary>
    public int? SshPort { get; init; }

    /// <summary>Extra ssh -o options (e.g. UserKnownHostsFile=...).</summary>
    public IReadOnlyList<string> SshOptions { get; init; } = [];

    /// <summary>The device's models folder; uploads go to its incoming/&lt;hash&gt;/.</summary>
    public string ModelsDir { get; init; } = "/var/lib/edgedigits/models";

    /// <summary>The board's config, read for the HTTP port (EdgeDigits:Http:Url).</summary>
    public string ConfigFile { get; init; } = "/etc/edgedigits/appsettings.json";

    /// <summary>The device's HTTP port, or null to read it from <see cref="ConfigFile"/> (default 5080).</summary>
    public int? HttpPort { get; init; }

    /// <summary>Bearer token for the device API; null reads EdgeDigits:Http:Token from <see cref="ConfigFile"/> on the board.</summary>
    public string? Token { get; init; }
}

/// <summary>The device's answer to the activation.</summary>
/// <param name="RemotePath">Where the model was stored on the board.</param>
/// <param name="HttpStatus">The status of POST /api/model/activate.</param>
/// <param name="Body">The JSON body the device returned.</param>
public sealed record ModelFlashResult(string RemotePath, int HttpStatus, string Body);

/// <summary>
/// Pushes a model and its metadata to a board over SSH (scp into models/incoming/&lt;hash&gt;.part, checksum on the board,
/// rename), then asks the running device to activate it with <c>POST /api/model/activate {"path": ...}</c> through curl
/// on the board. The device validates (load + self-test) and swaps without a restart, or answers 422 and keeps the old model.
/// </summary>
public sealed class ModelFlasher(TextWriter progress)
{
    /// <summary>Copies then activates; throws <see cref="FlashException"/> with a one-line reason when anything fails or the device rejects the model.</summary>
    public ModelFlashResult Flash(ModelFlashRequest request)
    {
        var remote = Upload(request);
        return Activate(request, remote);
    }

    /// <summary>Copies the model and its metadata, verified; returns the model's path on the board.</summary>
    public string Upload(ModelFlashRequest request)
    {
        var model = request.Model;
        if (!File.Exists(model)) throw new FlashException($"--model {model}: no such file", ExitCodes.BadInput);
        var bytes = File.ReadAllBytes(model);
        // An ONNX ModelProto starts with field 1 (ir_version, varint): tag byte 0x08.
        if (bytes.Length < 16 || bytes[0] != 0x08) throw new FlashException($"--model {model}: not an ONNX model (no ModelProto header)", ExitCodes.BadInput);
        var files = new List<string> { Path.GetFullPath(model) };
        var meta = ModelMetadata.PathFor(model);
        if (File.Exists(meta))
        {
            try { ModelMetadata.Load(meta); }
            catch (InvalidDataException ex) { throw new FlashException($"--model {model}: {ex.Message}", ExitCodes.BadInput); }
            files.Add(Path.GetFullPath(meta));
        }
        else progress.WriteLine($"flash model: no metadata {meta}; the device will assume the MNIST defaults");

        var ssh = new SshTarget(request.Host, request.Identity, request.SshPort, request.SshOptions);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
        var dir = $"{request.ModelsDir.TrimEnd('/')}/incoming/{hash}";
        progress.WriteLine($"flash model: copying {Path.GetFileName(model)} ({bytes.Length / 1024.0:F0} KB){(files.Count > 1 ? " + " + Path.GetFileName(meta) : "")} to {request.Host}:{dir} ...");
        var mk = ssh.Run($"set -e; rm -rf {SshTarget.Quote(dir + ".part")}; mkdir -p {SshTarget.Quote(dir + ".part")}");
        if (mk.ExitCode != 0) throw new FlashException($"{request.Host}: cannot create {dir}.part: {ExternalTool.LastLine(mk.StdErr)}");
        ssh.Copy(files, dir + ".part");

        // Checksums on the board before the folder gets its final name: a partial copy is never activated.
        var sums = string.Join("\n", files.Select(f => $"{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))}  {Path.GetFileName(f)}"));
        var check = ssh.Run($"set -e; cd {SshTarget.Quote(dir + ".part")}; printf '%s\\n' {SshTarget.Quote(sums)} | sha256sum --quiet -c - ; " +
                            $"cd ..; rm -rf {SshTarget.Quote(dir)}; mv {SshTarget.Quote(dir + ".part")} {SshTarget.Quote(dir)}");
        if (check.ExitCode != 0)
            throw new FlashException($"{request.Host}: the copy in {dir}.part does not match ({ExternalTool.LastLine(check.StdOut + check.StdErr)}); not activated");
        return $"{dir}/{Path.GetFileName(model)}";
    }

    /// <summary>Asks the running device to activate <paramref name="remoteModel"/>.</summary>
    public ModelFlashResult Activate(ModelFlashRequest request, string remoteModel)
    {
        var ssh = new SshTarget(request.Host, request.Identity, request.SshPort, request.SshOptions);
        var port = request.HttpPort?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ?? $"$(sed -n 's#.*\"Url\"[[:space:]]*:[[:space:]]*\"https\\{{0,1\\}}://[^\"/]*:\\([0-9][0-9]*\\).*#\\1#p' {SshTarget.Quote(request.ConfigFile)} 2>/dev/null | head -n1)";
        var body = new JsonObject { ["path"] = remoteModel }.ToJsonString();
        // Without --token, the board's own EdgeDigits:Http:Token is read on the board, so it need not be known on the PC.
        var token = request.Token is null
            ? $"$(sed -n 's#.*\"Token\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*#\\1#p' {SshTarget.Quote(request.ConfigFile)} 2>/dev/null | head -n1)"
            : SshTarget.Quote(request.Token);
        const string auth = "${token:+-H \"Authorization: Bearer $token\"} ";
        progress.WriteLine($"flash model: activating {remoteModel} (the device loads it and runs its self-test) ...");
        // The device loads and self-tests before answering: allow it a few minutes on a slow board.
        var r = ssh.Run($"port={port}; port=${{port:-5080}}; token={token}; curl -sS -m 300 -o /dev/stdout -w '\\n%{{http_code}}' -X POST " +
                        $"-H 'Content-Type: application/json' {auth}--data {SshTarget.Quote(body)} \"http://127.0.0.1:$port/api/model/activate\"");
        var lines = r.StdOut.TrimEnd('\n').Split('\n');
        if (r.ExitCode != 0 || !int.TryParse(lines[^1], out var status) || status == 0)
            throw new FlashException($"{request.Host}: the device API did not answer ({ExternalTool.LastLine(r.StdErr) ?? "curl failed"}); is edgedigits running?", ExitCodes.Unavailable);
        var text = string.Join('\n', lines[..^1]);
        if (status == 200) return new ModelFlashResult(remoteModel, status, text);
        var why = text;
        try { if (JsonNode.Parse(text)?["error"]?.GetValue<string>() is { } e) why = e; } catch (JsonException) { }
        throw new FlashException(status == 422
            ? $"{request.Host}: the device rejected {Path.GetFileName(remoteModel)} and keeps its current model: {why}"
            : $"{request.Host}: POST /api/model/activate answered {status}: {why}");
    }
}
