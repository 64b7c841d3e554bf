using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;

namespace EdgeDigits.Training.Quantization;

/// <summary>Loads ONNX model files with clear errors and saves them atomically.</summary>
public static class OnnxModelFile
{
    /// <summary>Reads and sanity-checks an ONNX model.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model; the message names the file.</exception>
    public static ModelProto Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model file not found", path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses ONNX bytes; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model.</exception>
    public static ModelProto Parse(byte[] bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{source}: not an ONNX model (protobuf: {ex.Message})", ex);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0 || model.IrVersion <= 0)
            throw new InvalidDataException($"{source}: not an ONNX model (no graph, nodes or IR version)");
        if (model.Graph.Input.Count == 0 || model.Graph.Output.Count == 0)
            throw new InvalidDataException($"{source}: ONNX graph has no inputs or outputs");
        return model;
    }

    /// <summary>The opset version of the default ONNX domain, or 0 when none is imported.</summary>
    public static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();

    /// <summary>Writes <paramref name="model"/> to a temporary file beside <paramref name="path"/>, then renames it into place.</summary>
    public static void Save(ModelProto model, string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(tmp, model.ToByteArray());
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
