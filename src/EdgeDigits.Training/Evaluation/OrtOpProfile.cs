using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Data;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = EdgeDigits.Core.Models.ModelMetadata;

namespace EdgeDigits.Training.Evaluation;

/// <summary>Time of one node of the graph ORT ran.</summary>
/// <param name="Node">Node name in the optimized graph.</param>
/// <param name="OpType">Kernel (e.g. QLinearConv, NhwcMaxPool, Conv in NCHWc).</param>
/// <param name="MedianUs">Median kernel time per run, µs.</param>
/// <param name="Share">MedianUs / sum of all nodes' medians.</param>
public sealed record OpTime(string Node, string OpType, double MedianUs, double Share);

/// <summary>ORT's per-operator profile of one model at one batch size, summarized per node.</summary>
/// <param name="Model">Model path.</param>
/// <param name="BatchSize">Images per run.</param>
/// <param name="Runs">Profiled runs.</param>
/// <param name="ProfileFile">ORT's JSON profile (chrome://tracing format).</param>
/// <param name="MedianRunUs">Median time of a whole run with profiling on (profiling adds a few µs per node).</param>
/// <param name="Ops">Nodes, slowest first.</param>
public sealed record OpProfile(string Model, int BatchSize, int Runs, string ProfileFile, double MedianRunUs, IReadOnlyList<OpTime> Ops)
{
    /// <summary>A table: kernel, node, median µs per run and per image, share.</summary>
    public string ToText()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"ORT profile of {Path.GetFileName(Model)}, batch {BatchSize}, {Runs} runs (median run {MedianRunUs:F0} µs with profiling on): {ProfileFile}");
        foreach (var op in Ops)
            sb.AppendLine(ci, $"  {op.OpType,-26} {op.Node,-34} {op.MedianUs,9:F1} µs/run {op.MedianUs / BatchSize,8:F2} µs/image {op.Share,6:P1}");
        return sb.ToString();
    }
}

/// <summary>
/// Records ONNX Runtime's own per-operator profile (<c>SessionOptions.EnableProfiling</c>) of a model run the way
/// the device runs it (<see cref="InferenceSessionOptions"/>), and sums it up per node with medians, which
/// drop the runs a busy machine interrupted.
/// </summary>
public static class OrtOpProfile
{
    /// <summary>Profiles <paramref name="runs"/> runs of <paramref name="batch"/> images of <paramref name="data"/>; ORT's JSON goes to <paramref name="outDir"/>.</summary>
    /// <exception cref="InvalidDataException">ORT cannot load the model.</exception>
    public static OpProfile Record(string modelPath, DigitSet data, int batch, int runs, int threads, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var meta = ModelMetadata.LoadFor(modelPath);
        using var so = InferenceSessionOptions.Create(threads);
        // The prefix first: setting EnableProfiling hands ORT the prefix set at that moment.
        so.ProfileOutputPathPrefix = Path.Combine(outDir, $"{Path.GetFileNameWithoutExtension(modelPath)}-b{batch}");
        so.EnableProfiling = true;
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{modelPath}: not a loadable ONNX model ({ex.Message.Split('\n')[0].Trim()})", ex);
        }
        using (session)
        {
            var input = new float[batch * DigitSet.ImageSize];
            for (var i = 0; i < batch; i++) data.CopyImageAsFloat(i % data.Count, input.AsSpan(i * DigitSet.ImageSize, DigitSet.ImageSize), meta.Scale, meta.Offset);
            using var x = OrtValue.CreateTensorValueFromMemory(input, [batch, 1, DigitSet.Side, DigitSet.Side]);
            using var ro = new RunOptions();
            var inName = session.InputMetadata.Keys.First();
            var outName = session.OutputMetadata.ContainsKey(meta.OutputName) ? meta.OutputName : session.OutputMetadata.Keys.First();
            for (var i = 0; i < runs; i++)
            {
                using var r = session.Run(ro, [inName], [x], [outName]);
            }
            var file = session.EndProfiling();
            return Summarize(modelPath, batch, file);
        }
    }

    /// <summary>Reads ORT's JSON profile <paramref name="profileFile"/>: per node, the median of its kernel times.</summary>
    public static OpProfile Summarize(string modelPath, int batch, string profileFile)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(profileFile));
        var perNode = new Dictionary<(string Node, string Op), List<double>>();
        var runs = new List<double>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var cat = e.TryGetProperty("cat", out var c) ? c.GetString() : null;
            var name = e.GetProperty("name").GetString() ?? "";
            var dur = e.TryGetProperty("dur", out var d) ? d.GetDouble() : 0;
            if (cat == "Session" && name == "model_run") runs.Add(dur);
            if (cat != "Node" || !name.EndsWith("_kernel_time", StringComparison.Ordinal)) continue;
            var op = e.GetProperty("args").GetProperty("op_name").GetString() ?? "?";
            var key = (name[..^"_kernel_time".Length], op);
            if (!perNode.TryGetValue(key, out var list)) perNode[key] = list = [];
            list.Add(dur);
        }
        var medians = perNode.Select(kv => (kv.Key, Median: Median(kv.Value))).ToList();
        var total = Math.Max(1e-9, medians.Sum(m => m.Median));
        var ops = medians.OrderByDescending(m => m.Median).Select(m => new OpTime(m.Key.Node, m.Key.Op, m.Median, m.Median / total)).ToList();
        return new OpProfile(modelPath, batch, runs.Count, profileFile, Median(runs), ops);
    }

    private static double Median(List<double> v)
    {
        if (v.Count == 0) return 0;
        var s = v.Order().ToArray();
        return s[s.Length / 2];
    }
}
