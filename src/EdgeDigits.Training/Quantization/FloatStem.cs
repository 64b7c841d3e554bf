using EdgeDigits.Training.Onnx.Proto;

namespace EdgeDigits.Training.Quantization;

/// <summary>
/// The stem convolution — the first Conv, reading the image input with 1 (grey) or 3 (RGB) channels — and
/// the activation and MaxPool right after it stay float. In int8 that layer is the slowest of the network
/// though it holds under 5% of its multiply-adds: ONNX Runtime's integer convolution kernels need input
/// channels in multiples of 4 (MLAS's symmetric conv, x86), so a 1-channel conv falls back to an im2col copy
/// of every 3x3 window and a GEMM with K = 9, while the fp32 conv runs in ORT's blocked NCHWc kernel
/// (measured on x86-64 at batch 64: 15 µs vs 1.8 µs per image; models/MODEL_CARD.md).
/// </summary>
internal static class FloatStem
{
    /// <summary>Most input channels of a stem conv kept float: fewer than the 4 that ORT's int8 conv kernels need.</summary>
    public const int MaxInputChannels = 3;

    /// <summary>
    /// Finds the stem in <paramref name="g"/> and returns its nodes (empty when there is none). When a
    /// MaxPool follows the activation, the two swap places (Conv → MaxPool → Relu; the pooling of a monotone
    /// activation equals the activation of the pooling), so the QuantizeLinear the quantizer puts after the
    /// stem follows the Relu. Left after the MaxPool, ORT would move that Q above the MaxPool (its QDQ
    /// propagation) and run the pool on uint8 in NCHW, a generic kernel that took longer than the whole
    /// network; after the Relu it fuses Relu into the Q and keeps Conv and MaxPool in fp32 NCHWc.
    /// </summary>
    public static IReadOnlyList<NodeProto> Prepare(GraphProto g, IReadOnlyDictionary<string, TensorProto> inits)
    {
        var inputs = g.Input.Select(i => i.Name).Where(n => !inits.ContainsKey(n)).ToHashSet();
        var conv = g.Node.FirstOrDefault(n => IsDefault(n) && n.OpType == "Conv" && n.Input.Count > 1 && inputs.Contains(n.Input[0])
            && inits.TryGetValue(n.Input[1], out var w) && w.Dims.Count >= 3 && w.Dims[1] <= MaxInputChannels);
        if (conv is null) return [];
        var stem = new List<NodeProto> { conv };
        var act = SoleConsumer(g, conv.Output[0], n => n.OpType is "Relu" or "Clip");
        var pool = SoleConsumer(g, (act ?? conv).Output[0], n => n.OpType == "MaxPool" && n.Output.Count == 1);
        if (act is not null) stem.Add(act);
        if (pool is null) return stem;
        stem.Add(pool);
        if (act is null) return stem;

        // conv → act → pool  becomes  conv → pool → act, the stem's output keeping its name.
        var output = pool.Output[0];
        var pooled = GraphPreparation.Unique(g, output + "_before_" + act.OpType.ToLowerInvariant());
        pool.Input[0] = conv.Output[0];
        pool.Output[0] = pooled;
        act.Input[0] = pooled;
        act.Output[0] = output;
        g.Node.Remove(act);
        g.Node.Insert(g.Node.IndexOf(pool) + 1, act);
        return stem;
    }

    private static NodeProto? SoleConsumer(GraphProto g, string tensor, Func<NodeProto, bool> accept)
    {
        if (g.Output.Any(o => o.Name == tensor)) return null;
        var consumers = GraphPreparation.Consumers(g, tensor).ToList();
        return consumers is [var only] && IsDefault(only) && accept(only) ? only : null;
    }

    private static bool IsDefault(NodeProto n) => n.Domain is "" or "ai.onnx";
}
