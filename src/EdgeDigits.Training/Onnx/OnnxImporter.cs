using EdgeDigits.Training.Data;
using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;

namespace EdgeDigits.Training.Onnx;

/// <summary>
/// Loads the weights of an fp32 ONNX model written by <see cref="OnnxExporter"/> back into a
/// <see cref="Network"/> of the same architecture, so it can be fine-tuned.
/// </summary>
public static class OnnxImporter
{
    /// <summary>Reads and parses an ONNX file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model; the message names it.</exception>
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: model not found", path);
        try
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            if (model.Graph is null || model.Graph.Node.Count == 0) throw new InvalidDataException($"{path}: not an ONNX model (no graph)");
            return model;
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{path}: not an ONNX model ({ex.Message})", ex);
        }
    }

    /// <summary>
    /// Copies the Conv and Gemm weights of the model at <paramref name="path"/> into
    /// <paramref name="network"/>. BatchNorm was folded away at export, so each BatchNorm is
    /// rebuilt to be exact in inference: its statistics are measured on <paramref name="data"/>
    /// (up to 2,048 images) and gamma/beta chosen so that BN(z) = z + b for the folded bias b.
    /// </summary>
    /// <exception cref="InvalidDataException">The model's layers or class count do not match the network.</exception>
    public static void LoadInto(Network network, string path, IReadOnlyList<string> classes, DigitSet data)
    {
        var model = Read(path);
        var init = model.Graph.Initializer.ToDictionary(t => t.Name);
        var convNodes = model.Graph.Node.Where(n => n.OpType == "Conv").ToList();
        var gemmNodes = model.Graph.Node.Where(n => n.OpType == "Gemm").ToList();
        var convs = network.Layers.OfType<Conv2d>().ToList();
        var fcs = network.Layers.OfType<Linear>().ToList();
        if (convNodes.Count != convs.Count || gemmNodes.Count != fcs.Count)
            throw new InvalidDataException($"{path}: {convNodes.Count} Conv / {gemmNodes.Count} Gemm nodes, the architecture '{network.Spec}' has {convs.Count} / {fcs.Count}; pass the model's --arch and --width");
        if (fcs.Count > 0 && fcs[^1].OutFeatures != classes.Count)
            throw new InvalidDataException($"{path}: the model has {fcs[^1].OutFeatures} outputs but training uses {classes.Count} classes");

        var biases = new List<(BatchNorm2d? Bn, float[] Bias)>();
        for (var i = 0; i < convs.Count; i++)
        {
            var conv = convs[i];
            var w = Floats(init, convNodes[i].Input[1], path);
            if (w.Length != conv.Weight.Value.Length) throw new InvalidDataException($"{path}: Conv {i} has {w.Length} weights, the network {conv.Weight.Value.Length}");
            w.CopyTo(conv.Weight.Value, 0);
            var b = convNodes[i].Input.Count > 2 ? Floats(init, convNodes[i].Input[2], path) : new float[conv.OutChannels];
            var at = IndexOf(network.Layers, conv);
            var bn = at + 1 < network.Layers.Count ? network.Layers[at + 1] as BatchNorm2d : null;
            if (conv.Bias is not null) { b.CopyTo(conv.Bias.Value, 0); b = new float[conv.OutChannels]; }
            if (bn is not null)
            {
                Array.Fill(bn.Gamma.Value, 1f);
                b.CopyTo(bn.Beta.Value, 0);
                Array.Clear(bn.RunningMean);
                Array.Fill(bn.RunningVar, 1f - bn.Epsilon);
            }
            biases.Add((bn, b));
        }
        for (var i = 0; i < fcs.Count; i++)
        {
            var w = Floats(init, gemmNodes[i].Input[1], path);
            var b = Floats(init, gemmNodes[i].Input[2], path);
            if (w.Length != fcs[i].Weight.Value.Length || b.Length != fcs[i].Bias.Value.Length)
                throw new InvalidDataException($"{path}: Gemm {i} shape differs from the network's linear layer");
            var transB = gemmNodes[i].Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0;
            if (transB == 1) w.CopyTo(fcs[i].Weight.Value, 0);
            else Gemm.Transpose(w, fcs[i].Weight.Value, fcs[i].InputShape.Size, fcs[i].OutFeatures);
            b.CopyTo(fcs[i].Bias.Value, 0);
        }

        // The network now computes exactly the ONNX model in inference; measure each conv output.
        var count = Math.Min(data.Count, 2048);
        if (count == 0) return;
        var bns = biases.Where(x => x.Bn is not null).ToList();
        var sums = bns.Select(x => (S1: new double[x.Bn!.InputShape.C], S2: new double[x.Bn.InputShape.C])).ToArray();
        const int batch = 256;
        var input = new float[batch * DigitSet.ImageSize];
        for (var start = 0; start < count; start += batch)
        {
            var n = Math.Min(batch, count - start);
            for (var i = 0; i < n; i++) data.CopyImageAsFloat(start + i, input.AsSpan(i * DigitSet.ImageSize));
            network.Forward(input, n, training: false);
            for (var k = 0; k < bns.Count; k++)
            {
                var z = network.ActivationOf(IndexOf(network.Layers, bns[k].Bn!) - 1);
                var shape = bns[k].Bn!.InputShape;
                var hw = shape.H * shape.W;
                for (var s = 0; s < n; s++)
                    for (var c = 0; c < shape.C; c++)
                        foreach (var v in z.Data.AsSpan((s * shape.C + c) * hw, hw)) { sums[k].S1[c] += v; sums[k].S2[c] += (double)v * v; }
            }
        }
        for (var k = 0; k < bns.Count; k++)
        {
            var bn = bns[k].Bn!;
            var hw = bn.InputShape.H * bn.InputShape.W;
            for (var c = 0; c < bn.InputShape.C; c++)
            {
                var m = sums[k].S1[c] / ((double)count * hw);
                var v = Math.Max(1e-6, sums[k].S2[c] / ((double)count * hw) - m * m);
                bn.RunningMean[c] = (float)m;
                bn.RunningVar[c] = (float)v;
                bn.Gamma.Value[c] = (float)Math.Sqrt(v + bn.Epsilon);
                bn.Beta.Value[c] = bns[k].Bias[c] + (float)m;
            }
        }
    }

    private static int IndexOf(IReadOnlyList<Layer> layers, Layer layer)
    {
        for (var i = 0; i < layers.Count; i++) if (ReferenceEquals(layers[i], layer)) return i;
        return -1;
    }

    /// <summary>The float values of initializer <paramref name="name"/>.</summary>
    public static float[] Floats(IReadOnlyDictionary<string, TensorProto> init, string name, string source)
    {
        if (!init.TryGetValue(name, out var t)) throw new InvalidDataException($"{source}: initializer '{name}' not found");
        if (t.DataType != (int)TensorProto.Types.DataType.Float) throw new InvalidDataException($"{source}: initializer '{name}' is not float (quantized model?); use the fp32 model");
        if (t.FloatData.Count > 0) return t.FloatData.ToArray();
        var bytes = t.RawData.Span;
        var result = new float[bytes.Length / 4];
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result);
        return result;
    }
}
