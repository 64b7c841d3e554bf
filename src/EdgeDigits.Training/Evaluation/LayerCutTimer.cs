using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Onnx.Proto;
using EdgeDigits.Training.Quantization;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = EdgeDigits.Core.Models.ModelMetadata;

namespace EdgeDigits.Training.Evaluation;

/// <summary>Batch-1 time of one prefix of a model: the graph cut after one tensor.</summary>
/// <param name="Tensor">The tensor the prefix ends with (its only output).</param>
/// <param name="OpType">Op of the source graph that produces <paramref name="Tensor"/>.</param>
/// <param name="Nodes">Nodes of the source graph the prefix keeps.</param>
/// <param name="Us">Time of one batch-1 run of the prefix, µs (lower quartile).</param>
/// <param name="AddedUs">Us minus the previous prefix's Us: what this step adds to a run.</param>
public sealed record PrefixTime(string Tensor, string OpType, int Nodes, double Us, double AddedUs);

/// <summary>Batch-1 times of a model's prefixes (<see cref="LayerCutTimer"/>), in graph order; the last one is the whole model.</summary>
/// <param name="Model">Model path.</param>
/// <param name="Runs">Timed runs of each prefix.</param>
/// <param name="Prefixes">One per cut point, in graph order.</param>
public sealed record LayerCutProfile(string Model, int Runs, IReadOnlyList<PrefixTime> Prefixes)
{
    /// <summary>A table: tensor, producing op, µs of the prefix, µs this step adds.</summary>
    public string ToText()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"batch-1 time of {Path.GetFileName(Model)} cut after each layer ({Runs} runs per prefix in {LayerCutTimer.Rounds} alternating rounds, lower quartile, no profiling):");
        foreach (var p in Prefixes)
            sb.AppendLine(ci, $"  {p.OpType,-18} {p.Tensor,-34} {p.Us,8:F1} µs {p.AddedUs,+8:+0.0;-0.0} µs");
        return sb.ToString();
    }
}

/// <summary>
/// Where a batch-1 run's time goes, without the profiler: ORT's per-node profile reports whole microseconds and adds
/// a few per node, as much as a small int8 kernel takes. Instead the model is cut after each layer (the graph keeps only
/// the nodes the cut tensor needs, as the device would run it), every prefix is timed at batch 1 the way
/// <see cref="InferenceTimer"/> times whole models, and each step's cost is the difference between neighbours.
/// A prefix that ends inside an ORT fusion (e.g. a Conv cut before its Relu) is timed as ORT runs that cut graph.
/// </summary>
public static class LayerCutTimer
{
    /// <summary>Alternating rounds over all prefixes, so a load change on a shared machine hits them alike.</summary>
    public const int Rounds = 5;

    /// <summary>
    /// Where <paramref name="graph"/> is cut: in a QDQ graph, the output of every QuantizeLinear of an activation (the
    /// boundaries of ORT's fused integer groups); in a float graph, every node output computed from the graph input.
    /// The graph's first output comes last.
    /// </summary>
    public static IReadOnlyList<string> CutPoints(GraphProto graph)
    {
        var fromInput = new HashSet<string>(graph.Input.Select(i => i.Name));
        var activations = new List<NodeProto>();
        foreach (var n in graph.Node)
        {
            if (!n.Input.Any(fromInput.Contains)) continue;
            foreach (var o in n.Output) fromInput.Add(o);
            activations.Add(n);
        }
        var quantized = activations.Where(n => n.OpType == "QuantizeLinear").ToList();
        var cuts = (quantized.Count > 0 ? quantized : activations).Select(n => n.Output[0]).ToList();
        var output = graph.Output[0].Name;
        cuts.Remove(output);
        cuts.Add(output);
        return cuts;
    }

    /// <summary>
    /// A copy of <paramref name="model"/> whose only output is <paramref name="tensor"/>: the nodes and initializers
    /// it does not need are dropped (a weight's DequantizeLinear left behind would run on every call).
    /// </summary>
    /// <exception cref="ArgumentException">No node of the graph produces <paramref name="tensor"/>.</exception>
    public static ModelProto Prefix(ModelProto model, string tensor)
    {
        var cut = model.Clone();
        var g = cut.Graph;
        if (!g.Node.Any(n => n.Output.Contains(tensor))) throw new ArgumentException($"no node produces '{tensor}'", nameof(tensor));
        var needed = new HashSet<string> { tensor };
        var keep = new HashSet<NodeProto>(ReferenceEqualityComparer.Instance);
        for (var i = g.Node.Count - 1; i >= 0; i--)
        {
            var n = g.Node[i];
            if (!n.Output.Any(needed.Contains)) continue;
            keep.Add(n);
            foreach (var x in n.Input) needed.Add(x);
        }
        var nodes = g.Node.Where(keep.Contains).ToList();
        g.Node.Clear();
        g.Node.Add(nodes);
        var inits = g.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        g.Initializer.Clear();
        g.Initializer.Add(inits);
        var infos = g.ValueInfo.Where(v => needed.Contains(v.Name)).ToList();
        g.ValueInfo.Clear();
        g.ValueInfo.Add(infos);
        var declared = model.Graph.Output.FirstOrDefault(o => o.Name == tensor) ?? model.Graph.ValueInfo.FirstOrDefault(o => o.Name == tensor);
        g.Output.Clear();
        g.Output.Add(declared?.Clone() ?? new ValueInfoProto { Name = tensor });
        return cut;
    }

    /// <summary>
    /// Times every prefix of <paramref name="modelPath"/> (<see cref="CutPoints"/>) at batch 1 (or the model's fixed
    /// batch) on the first images of <paramref name="data"/>, <paramref name="runs"/> runs each, sessions from
    /// <see cref="InferenceSessionOptions"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The model cannot be read, its input is not float [N,1,28,28], or ORT cannot load a prefix.</exception>
    public static LayerCutProfile Measure(string modelPath, DigitSet data, int runs, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        if (data.Count == 0) throw new InvalidDataException("layer timing needs at least one image");
        var model = OnnxModelFile.Load(modelPath);
        var meta = ModelMetadata.LoadFor(modelPath);
        var cuts = CutPoints(model.Graph);
        var producers = model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n.OpType))).GroupBy(p => p.o).ToDictionary(p => p.Key, p => p.First().OpType);
        var inType = model.Graph.Input[0].Type.TensorType;
        if (inType.ElemType != (int)TensorProto.Types.DataType.Float || inType.Shape is null || inType.Shape.Dim.Count != 4)
            throw new InvalidDataException($"{modelPath}: input '{model.Graph.Input[0].Name}' is not float [N,1,28,28]");
        // A model exported with a fixed batch runs that batch; otherwise one image.
        var batch = (int)Math.Max(1, inType.Shape.Dim[0].DimValue);
        var input = GC.AllocateArray<float>(batch * DigitSet.ImageSize, pinned: true);
        for (var i = 0; i < batch; i++) data.CopyImageAsFloat(i % data.Count, input.AsSpan(i * DigitSet.ImageSize, DigitSet.ImageSize), meta.Scale, meta.Offset);
        var timed = new List<(InferenceSession Session, OrtIoBinding Binding, List<double> Us, int Nodes)>();
        using var x = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(input), [batch, 1, DigitSet.Side, DigitSet.Side]);
        using var run = new RunOptions();
        try
        {
            foreach (var cut in cuts)
            {
                var prefix = Prefix(model, cut);
                InferenceSession session;
                using (var so = InferenceSessionOptions.Create(threads))
                {
                    try
                    {
                        session = new InferenceSession(prefix.ToByteArray(), so);
                    }
                    catch (OnnxRuntimeException ex)
                    {
                        throw new InvalidDataException($"{modelPath}: ORT cannot load the graph cut after '{cut}' ({ex.Message.Split('\n')[0].Trim()})", ex);
                    }
                }
                var binding = session.CreateIoBinding();
                binding.BindInput(session.InputMetadata.Keys.First(), x);
                // ORT allocates the output from its arena: the same small cost for every prefix, whatever its type and shape.
                binding.BindOutputToDevice(cut, OrtMemoryInfo.DefaultInstance);
                timed.Add((session, binding, [], prefix.Graph.Node.Count));
                for (var i = 0; i < 20; i++) session.RunWithBinding(run, binding);
            }
            var perRound = Math.Max(1, runs / Rounds);
            for (var r = 0; r < Rounds; r++)
                foreach (var t in timed)
                    for (var i = 0; i < perRound; i++)
                    {
                        var t0 = Stopwatch.GetTimestamp();
                        t.Session.RunWithBinding(run, t.Binding);
                        t.Us.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                    }
            var rows = new List<PrefixTime>();
            var previous = 0.0;
            for (var i = 0; i < cuts.Count; i++)
            {
                var us = InferenceTimer.LowerQuartile(timed[i].Us);
                rows.Add(new PrefixTime(cuts[i], producers[cuts[i]], timed[i].Nodes, us, us - previous));
                previous = us;
            }
            return new LayerCutProfile(modelPath, perRound * Rounds, rows);
        }
        finally
        {
            foreach (var t in timed)
            {
                t.Binding.Dispose();
                t.Session.Dispose();
            }
        }
    }
}
