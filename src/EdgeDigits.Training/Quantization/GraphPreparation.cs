using EdgeDigits.Training.Onnx.Proto;
using static EdgeDigits.Training.Quantization.OnnxTensors;

namespace EdgeDigits.Training.Quantization;

/// <summary>Graph clean-ups done before calibration: constants to initializers, no-op removal, BatchNorm folding, element types.</summary>
internal static class GraphPreparation
{
    /// <summary>Turns <c>Constant</c> nodes holding a tensor into initializers, so weights given as constants are quantized like any other.</summary>
    public static void ConstantsToInitializers(GraphProto g)
    {
        var graphOutputs = g.Output.Select(o => o.Name).ToHashSet();
        foreach (var node in g.Node.Where(n => n.OpType == "Constant" && n.Domain is "" or "ai.onnx").ToList())
        {
            var value = Attr(node, "value");
            if (value?.T is null || graphOutputs.Contains(node.Output[0])) continue;
            var t = value.T.Clone();
            t.Name = node.Output[0];
            g.Initializer.Add(t);
            g.Node.Remove(node);
        }
    }

    /// <summary>Removes <c>Identity</c> and inference-time <c>Dropout</c> nodes by rewiring their consumers.</summary>
    public static void RemoveNoOps(GraphProto g)
    {
        foreach (var node in g.Node.Where(n => n.OpType is "Identity" or "Dropout").ToList())
        {
            if (node.Output.Count > 1 && node.Output.Skip(1).Any(o => o.Length > 0 && IsUsed(g, o))) continue;
            Bypass(g, node, node.Input[0], node.Output[0]);
        }
    }

    /// <summary>Folds <c>BatchNormalization</c> into the <c>Conv</c> before it (W' = W*γ/σ, b' = (b-μ)*γ/σ + β).</summary>
    /// <returns>The number of BatchNormalization nodes folded.</returns>
    public static int FoldBatchNorm(GraphProto g)
    {
        var folded = 0;
        foreach (var bn in g.Node.Where(n => n.OpType == "BatchNormalization").ToList())
        {
            if (bn.Output.Count > 1 && bn.Output.Skip(1).Any(o => o.Length > 0)) continue;
            var x = bn.Input[0];
            var conv = g.Node.FirstOrDefault(n => n.Output.Contains(x));
            if (conv is null || conv.OpType != "Conv") continue;
            if (Consumers(g, x).Count() != 1 || g.Output.Any(o => o.Name == x)) continue;
            var inits = g.Initializer.ToDictionary(t => t.Name);
            if (!inits.TryGetValue(conv.Input[1], out var wT) || wT.DataType != TFloat) continue;
            TensorProto? bT = null;
            if (conv.Input.Count > 2 && conv.Input[2].Length > 0 && !inits.TryGetValue(conv.Input[2], out bT)) continue;
            if (!bn.Input.Skip(1).Take(4).All(inits.ContainsKey)) continue;
            var gamma = ReadFloats(inits[bn.Input[1]]);
            var beta = ReadFloats(inits[bn.Input[2]]);
            var mean = ReadFloats(inits[bn.Input[3]]);
            var variance = ReadFloats(inits[bn.Input[4]]);
            var eps = AttrFloat(bn, "epsilon", 1e-5f);
            var w = ReadFloats(wT);
            var outC = (int)wT.Dims[0];
            if (gamma.Length != outC || beta.Length != outC || mean.Length != outC || variance.Length != outC) continue;
            var b = bT is null ? new float[outC] : ReadFloats(bT);
            var per = w.Length / outC;
            var w2 = new float[w.Length];
            var b2 = new float[outC];
            for (var c = 0; c < outC; c++)
            {
                var k = gamma[c] / MathF.Sqrt(variance[c] + eps);
                for (var i = 0; i < per; i++) w2[c * per + i] = w[c * per + i] * k;
                b2[c] = (b[c] - mean[c]) * k + beta[c];
            }
            var wName = Unique(g, conv.Input[1] + "_bnfold");
            var bName = Unique(g, (conv.Name.Length > 0 ? conv.Name : conv.Output[0]) + "_bias_bnfold");
            g.Initializer.Add(FromFloats(wName, w2, wT.Dims.ToArray()));
            g.Initializer.Add(FromFloats(bName, b2, outC));
            conv.Input[1] = wName;
            if (conv.Input.Count > 2) conv.Input[2] = bName; else conv.Input.Add(bName);
            conv.Output[0] = bn.Output[0];
            g.Node.Remove(bn);
            folded++;
        }
        RemoveUnusedInitializers(g);
        return folded;
    }

    /// <summary>Element type of every tensor (inputs, initializers, node outputs) by simple forward propagation.</summary>
    public static Dictionary<string, int> InferElementTypes(GraphProto g)
    {
        var types = new Dictionary<string, int>();
        foreach (var i in g.Input) if (i.Type?.TensorType is { } tt) types[i.Name] = tt.ElemType;
        foreach (var t in g.Initializer) types[t.Name] = t.DataType;
        foreach (var n in g.Node)
        {
            int type;
            switch (n.OpType)
            {
                case "Shape" or "Size" or "NonZero" or "ArgMax" or "ArgMin" or "NonMaxSuppression": type = TInt64; break;
                case "Cast": type = (int)AttrInt(n, "to", TFloat); break;
                case "Constant":
                    var v = Attr(n, "value");
                    type = v?.T is not null ? v.T.DataType : Attr(n, "value_float") is not null || Attr(n, "value_floats") is not null ? TFloat : TInt64;
                    break;
                case "ConstantOfShape": type = Attr(n, "value")?.T?.DataType ?? TFloat; break;
                case "Equal" or "Less" or "Greater" or "LessOrEqual" or "GreaterOrEqual" or "Not" or "And" or "Or" or "Xor" or "IsNaN" or "IsInf": type = TBool; break;
                case "QuantizeLinear": type = n.Input.Count > 2 && types.TryGetValue(n.Input[2], out var z) ? z : TUInt8; break;
                case "DequantizeLinear": type = TFloat; break;
                case "Where": type = n.Input.Count > 1 && types.TryGetValue(n.Input[1], out var w) ? w : TFloat; break;
                default:
                    type = n.Input.Where(i => i.Length > 0 && types.ContainsKey(i)).Select(i => types[i]).DefaultIfEmpty(TFloat).First();
                    break;
            }
            foreach (var o in n.Output) if (o.Length > 0) types[o] = type;
        }
        return types;
    }

    public static IEnumerable<NodeProto> Consumers(GraphProto g, string tensor) => g.Node.Where(n => n.Input.Contains(tensor));

    public static bool IsUsed(GraphProto g, string tensor) => g.Output.Any(o => o.Name == tensor) || g.Node.Any(n => n.Input.Contains(tensor));

    public static void RemoveUnusedInitializers(GraphProto g)
    {
        var used = g.Node.SelectMany(n => n.Input).Concat(g.Output.Select(o => o.Name)).ToHashSet();
        foreach (var t in g.Initializer.Where(t => !used.Contains(t.Name)).ToList())
        {
            g.Initializer.Remove(t);
            // Models from IR < 4 also list initializers as graph inputs.
            foreach (var i in g.Input.Where(i => i.Name == t.Name).ToList()) g.Input.Remove(i);
        }
    }

    public static string Unique(GraphProto g, string name)
    {
        var taken = g.Node.SelectMany(n => n.Input.Concat(n.Output)).Concat(g.Initializer.Select(t => t.Name)).Concat(g.Input.Select(i => i.Name)).ToHashSet();
        if (!taken.Contains(name)) return name;
        for (var i = 1; ; i++) if (!taken.Contains($"{name}_{i}")) return $"{name}_{i}";
    }

    /// <summary>Removes a one-in one-out node, connecting its consumers (or the graph output) to its input.</summary>
    private static void Bypass(GraphProto g, NodeProto node, string x, string y)
    {
        var yIsOutput = g.Output.Any(o => o.Name == y);
        if (yIsOutput)
        {
            var producer = g.Node.FirstOrDefault(n => n.Output.Contains(x));
            if (producer is null || g.Output.Any(o => o.Name == x)) return;
            producer.Output[producer.Output.IndexOf(x)] = y;
            foreach (var c in g.Node) for (var i = 0; i < c.Input.Count; i++) if (c.Input[i] == x) c.Input[i] = y;
        }
        else
        {
            foreach (var c in g.Node) for (var i = 0; i < c.Input.Count; i++) if (c.Input[i] == y) c.Input[i] = x;
        }
        g.Node.Remove(node);
    }
}
