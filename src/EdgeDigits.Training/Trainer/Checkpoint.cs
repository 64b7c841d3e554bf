using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Training.Nn;

namespace EdgeDigits.Training.Trainer;

/// <summary>
/// A training snapshot: recipe, class labels, completed epochs, weights, BatchNorm statistics and
/// optimizer state. Binary; written atomically (temporary file, then rename).
/// </summary>
public sealed class Checkpoint
{
    private const string Magic = "EDGEDIGITS-CKPT/1";

    /// <summary>The recipe that produced the weights.</summary>
    public required TrainOptions Options { get; init; }

    /// <summary>Class labels in output order.</summary>
    public required string[] Classes { get; init; }

    /// <summary>Epochs completed.</summary>
    public required int Epoch { get; init; }

    /// <summary>Parameter values in <see cref="Network.Parameters"/> order.</summary>
    public required float[][] Parameters { get; init; }

    /// <summary>Buffers in <see cref="Network.Buffers"/> order.</summary>
    public required float[][] Buffers { get; init; }

    /// <summary>Optimizer state arrays, or empty.</summary>
    public required float[][] OptimizerState { get; init; }

    /// <summary>Optimizer step count.</summary>
    public long OptimizerSteps { get; init; }

    /// <summary>Captures the state of <paramref name="network"/> and <paramref name="optimizer"/>.</summary>
    public static Checkpoint Capture(TrainOptions options, string[] classes, int epoch, Network network, Optimizer? optimizer) => new()
    {
        Options = options,
        Classes = classes,
        Epoch = epoch,
        Parameters = network.Parameters.Select(p => (float[])p.Value.Clone()).ToArray(),
        Buffers = network.Buffers.Select(b => (float[])b.Clone()).ToArray(),
        OptimizerState = optimizer?.State.Select(s => (float[])s.Clone()).ToArray() ?? [],
        OptimizerSteps = optimizer?.Steps ?? 0,
    };

    /// <summary>Copies the weights and statistics into <paramref name="network"/> (and the optimizer state, if given).</summary>
    /// <exception cref="InvalidDataException">The shapes do not match the network.</exception>
    public void Restore(Network network, Optimizer? optimizer = null)
    {
        CopyAll(Parameters, network.Parameters.Select(p => p.Value).ToArray(), "parameter");
        CopyAll(Buffers, network.Buffers.ToArray(), "buffer");
        if (optimizer is not null && OptimizerState.Length > 0)
        {
            CopyAll(OptimizerState, optimizer.State.ToArray(), "optimizer state");
            optimizer.Steps = OptimizerSteps;
        }
    }

    private static void CopyAll(float[][] from, float[][] to, string what)
    {
        if (from.Length != to.Length) throw new InvalidDataException($"checkpoint has {from.Length} {what} arrays, the network {to.Length}");
        for (var i = 0; i < from.Length; i++)
        {
            if (from[i].Length != to[i].Length) throw new InvalidDataException($"checkpoint {what} {i} has {from[i].Length} values, the network {to[i].Length}");
            from[i].CopyTo(to[i], 0);
        }
    }

    /// <summary>Writes the checkpoint atomically.</summary>
    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp))
        using (var w = new BinaryWriter(stream, Encoding.UTF8))
        {
            w.Write(Magic);
            var header = new JsonObject
            {
                ["options"] = Options.ToJson(),
                ["classes"] = new JsonArray(Classes.Select(c => (JsonNode)c).ToArray()),
                ["epoch"] = Epoch,
                ["optimizerSteps"] = OptimizerSteps,
            };
            w.Write(header.ToJsonString());
            WriteArrays(w, Parameters);
            WriteArrays(w, Buffers);
            WriteArrays(w, OptimizerState);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads a checkpoint.</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, or truncated; the message names the file.</exception>
    public static Checkpoint Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            if (r.ReadString() != Magic) throw new InvalidDataException($"{path}: not an EdgeDigits checkpoint");
            var header = JsonNode.Parse(r.ReadString())!.AsObject();
            return new Checkpoint
            {
                Options = TrainOptions.FromJson(header["options"]!.AsObject()),
                Classes = header["classes"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray(),
                Epoch = header["epoch"]!.GetValue<int>(),
                OptimizerSteps = header["optimizerSteps"]?.GetValue<long>() ?? 0,
                Parameters = ReadArrays(r),
                Buffers = ReadArrays(r),
                OptimizerState = ReadArrays(r),
            };
        }
        catch (Exception ex) when (ex is EndOfStreamException or JsonException or NullReferenceException or FormatException or InvalidOperationException or IOException and not FileNotFoundException)
        {
            throw new InvalidDataException($"{path}: corrupt or truncated checkpoint ({ex.Message})", ex);
        }
    }

    /// <summary>Whether <paramref name="path"/> starts like a checkpoint.</summary>
    public static bool IsCheckpoint(string path)
    {
        try
        {
            using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            return r.ReadString() == Magic;
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or FormatException) { return false; }
    }

    private static void WriteArrays(BinaryWriter w, float[][] arrays)
    {
        w.Write(arrays.Length);
        foreach (var a in arrays)
        {
            w.Write(a.Length);
            foreach (var v in a) w.Write(v);
        }
    }

    private static float[][] ReadArrays(BinaryReader r)
    {
        var n = r.ReadInt32();
        if (n is < 0 or > 10_000) throw new InvalidDataException($"bad array count {n}");
        var result = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var len = r.ReadInt32();
            if (len is < 0 or > 100_000_000) throw new InvalidDataException($"bad array length {len}");
            var a = new float[len];
            for (var j = 0; j < len; j++) a[j] = r.ReadSingle();
            result[i] = a;
        }
        return result;
    }
}
