using EdgeDigits.Core.Models;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = EdgeDigits.Core.Models.ModelMetadata;
using static EdgeDigits.Training.Quantization.OnnxTensors;

namespace EdgeDigits.Training.Quantization;

/// <summary>
/// Static post-training quantization of an fp32 ONNX CNN into QDQ format: symmetric int8 weights
/// (per output channel), int32 biases (scale = input scale × weight scale), uint8/int8 activations
/// with ranges from calibration images run through ONNX Runtime. Works on any graph of Conv, Gemm,
/// MatMul, Add, Relu/Clip, MaxPool, AveragePool, GlobalAveragePool, BatchNormalization (folded into
/// the Conv before it), Flatten/Reshape, Concat and Softmax; other ops stay float with a warning.
/// </summary>
public sealed class QdqQuantizer
{
    /// <summary>Ops whose inputs (and, except Gemm/MatMul, outputs) are quantized and that ORT fuses into integer kernels.</summary>
    private static readonly HashSet<string> ComputeOps = ["Conv", "Gemm", "MatMul", "Add", "AveragePool", "GlobalAveragePool", "Concat"];

    /// <summary>Ops that only move or select values: their output shares the input's scale and zero point, so ORT runs them on integers.</summary>
    private static readonly HashSet<string> PassThroughOps = ["MaxPool", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze"];

    /// <summary>Activations folded into the preceding op's output range when possible.</summary>
    private static readonly HashSet<string> ActivationOps = ["Relu", "Clip"];

    /// <summary>Supported ops deliberately kept in float: Softmax keeps full-precision probabilities for confidence thresholds.</summary>
    private static readonly HashSet<string> FloatByDesignOps = ["Softmax"];

    private readonly QuantizationOptions _options;
    private readonly TextWriter _log;

    /// <summary>Creates a quantizer; progress and notes go to <paramref name="log"/> (stderr in the CLI).</summary>
    public QdqQuantizer(QuantizationOptions options, TextWriter? log = null)
    {
        _options = options;
        _log = log ?? TextWriter.Null;
    }

    /// <summary>Quantizes <paramref name="fp32"/> (left unchanged) using <paramref name="calibration"/> images preprocessed per <paramref name="metadata"/>.</summary>
    /// <param name="fp32">The float model.</param>
    /// <param name="calibration">Calibration images (a few hundred representative ones).</param>
    /// <param name="metadata">Preprocessing (scale/offset) of the model input.</param>
    /// <param name="source">Names the model in error messages.</param>
    /// <exception cref="InvalidDataException">The model cannot be quantized (no [N,1,28,28] input, opset below 10) or the calibration set is empty.</exception>
    public QuantizationResult Quantize(ModelProto fp32, DigitSet calibration, ModelMetadata metadata, string source = "model") =>
        Quantize(fp32, CalibrationData.Images(calibration, metadata), source);

    /// <summary>Quantizes <paramref name="fp32"/> (left unchanged) using <paramref name="calibration"/> samples (images or inks, already preprocessed).</summary>
    /// <param name="fp32">The float model.</param>
    /// <param name="calibration">Calibration samples (a few hundred representative ones) of the model's input shape.</param>
    /// <param name="source">Names the model in error messages.</param>
    /// <exception cref="InvalidDataException">The model cannot be quantized (no input of the calibration samples' shape, opset below 10) or the calibration set is empty.</exception>
    public QuantizationResult Quantize(ModelProto fp32, CalibrationData calibration, string source = "model")
    {
        ArgumentNullException.ThrowIfNull(calibration);
        if (calibration.Count == 0) throw new InvalidDataException("calibration set is empty");
        var model = fp32.Clone();
        var g = model.Graph;
        var warnings = new List<string>();
        var notes = new List<string>();
        var opset = OnnxModelFile.DefaultOpset(model);
        if (opset < 10) throw new InvalidDataException($"{source}: opset {opset} is too old for QuantizeLinear/DequantizeLinear (need 10 or later)");
        if (model.Graph.Node.FirstOrDefault(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" or "QLinearConv" or "QLinearMatMul" or "ConvInteger" or "MatMulInteger") is { } q)
            throw new InvalidDataException($"{source}: already quantized (has a {q.OpType} node); quantize the fp32 model instead");
        var perChannel = _options.PerChannel;
        if (perChannel && opset < 13)
        {
            perChannel = false;
            notes.Add($"opset {opset} < 13 has no per-axis DequantizeLinear: weights quantized per tensor");
        }
        var input = ModelInput.Of(model, calibration.SampleShape, source);
        var unknown = _options.FloatNodes.Except(g.Node.Select(NodeLabel)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) throw new InvalidDataException($"{source}: no node named {string.Join(", ", unknown.Select(u => $"'{u}'"))} to keep in float");

        GraphPreparation.ConstantsToInitializers(g);
        GraphPreparation.RemoveNoOps(g);
        var folded = GraphPreparation.FoldBatchNorm(g);
        if (folded > 0) notes.Add($"folded {folded} BatchNormalization node(s) into the preceding Conv");
        var inits = g.Initializer.ToDictionary(t => t.Name);
        var stem = _options.FloatStem ? FloatStem.Prepare(g, inits) : [];
        var types = GraphPreparation.InferElementTypes(g);
        if (stem.Count > 0)
            notes.Add($"kept the stem {string.Join(" → ", stem.Select(n => n.OpType))} ('{NodeLabel(stem[0])}', {inits[stem[0].Input[1]].Dims[1]} input channel(s)) in float: ORT's int8 conv is slower there than fp32");
        bool Quantizes(NodeProto n) => IsQuantizedOp(n) && !stem.Contains(n) && !_options.FloatNodes.Contains(NodeLabel(n));
        bool IsFloatActivation(string t) => t.Length > 0 && !inits.ContainsKey(t) && types.TryGetValue(t, out var ty) && ty == TFloat;

        foreach (var n in g.Node)
        {
            var known = IsDefaultDomain(n) && (ComputeOps.Contains(n.OpType) || PassThroughOps.Contains(n.OpType) || ActivationOps.Contains(n.OpType) || FloatByDesignOps.Contains(n.OpType));
            if (!known && n.Output.Any(IsFloatActivation))
            {
                var why = n.OpType == "BatchNormalization" ? "could not be folded into a Conv" : "is not supported by the quantizer";
                warnings.Add($"op '{n.OpType}' (node '{NodeLabel(n)}') {why}; left in float");
            }
        }

        var floatActs = g.Input.Select(i => i.Name).Where(IsFloatActivation)
            .Concat(g.Node.SelectMany(n => n.Output).Where(IsFloatActivation)).Distinct().ToList();
        _log.WriteLine($"quantize: calibrating {floatActs.Count} tensors on {calibration.Count} {calibration.Unit} ({_options.Method}, {(perChannel ? "per-channel" : "per-tensor")} weights, {_options.Activations} activations)");
        var stats = Calibrator.Collect(model, floatActs, input, calibration, _options, _log);
        foreach (var kv in stats.Where(kv => float.IsInfinity(kv.Value.Min)).ToList()) stats.Remove(kv.Key);

        // Relu (and Clip with a lower bound of 0) right after a quantized op disappears: quantizing that
        // op's output with range [0, max] (zero point = qmin) clamps negatives exactly as the activation did.
        var mustQuantize = new HashSet<string>();
        foreach (var r in g.Node.Where(n => IsDefaultDomain(n) && (n.OpType == "Relu" || (n.OpType == "Clip" && ClipLowerBoundIsZero(n, inits)))).ToList())
        {
            var x = r.Input[0];
            var p = g.Node.FirstOrDefault(n => n.Output.Contains(x));
            if (p is null || !IsDefaultDomain(p) || p.OpType is not ("Conv" or "Gemm" or "MatMul" or "Add")) continue;
            if (_options.FloatNodes.Contains(NodeLabel(p)) || _options.FloatNodes.Contains(NodeLabel(r))) continue;
            if (GraphPreparation.Consumers(g, x).Count() != 1 || g.Output.Any(o => o.Name == x)) continue;
            if (!stats.ContainsKey(r.Output[0])) continue;
            p.Output[p.Output.IndexOf(x)] = r.Output[0];
            g.Node.Remove(r);
            mustQuantize.Add(r.Output[0]);
        }

        // PyTorch writes Linear on 2-D input as MatMul + Add(bias); as a Gemm it gets an int32 bias and,
        // before Softmax or a graph output, float logits (ORT's QGemm with float output) instead of 8-bit ones.
        var fused = FuseMatMulAdd(g, inits, stats);
        if (fused > 0) notes.Add($"fused {fused} MatMul+Add pair(s) into Gemm");

        // Which activations get a QuantizeLinear/DequantizeLinear pair.
        var quantized = new HashSet<string>(mustQuantize);
        foreach (var n in g.Node.Where(Quantizes))
        {
            foreach (var i in DataInputs(n)) if (IsFloatActivation(n.Input[i]) && stats.ContainsKey(n.Input[i])) quantized.Add(n.Input[i]);
            if (n.OpType is not ("Gemm" or "MatMul") && !ActivationOps.Contains(n.OpType) && IsFloatActivation(n.Output[0]) && stats.ContainsKey(n.Output[0]))
                quantized.Add(n.Output[0]);
        }

        // ORT (1.31) quantizes the float weights of a Conv/Gemm that reads a DequantizeLinear and feeds a QuantizeLinear
        // (its weight/bias quantization pass), so such a node runs as int8 anyway: say so rather than claim it float.
        foreach (var n in g.Node.Where(n => _options.FloatNodes.Contains(NodeLabel(n)) && n.OpType is "Conv" or "Gemm" or "MatMul" && quantized.Contains(n.Input[0])))
        {
            var act = GraphPreparation.Consumers(g, n.Output[0]).FirstOrDefault(c => ActivationOps.Contains(c.OpType));
            if (quantized.Contains(n.Output[0]) || (act is not null && quantized.Contains(act.Output[0])))
                notes.Add($"'{NodeLabel(n)}' reads and feeds quantized tensors: ONNX Runtime quantizes its weights itself and runs it in int8; keep the nodes after it in float too");
        }

        // Scale and zero point of each quantized activation, in graph order so pass-through ops inherit their input's.
        var qparams = new Dictionary<string, QuantParams>();
        foreach (var i in g.Input.Where(i => quantized.Contains(i.Name))) qparams[i.Name] = ActivationParams(stats[i.Name], CalibrationMethod.MinMax);
        foreach (var n in g.Node)
        {
            foreach (var o in n.Output.Where(quantized.Contains))
            {
                qparams[o] = PassThroughOps.Contains(n.OpType) && qparams.TryGetValue(n.Input[0], out var inherited)
                    ? inherited
                    : ActivationParams(stats[o], _options.Method);
            }
        }

        var rewriter = new Rewriter(g, inits, qparams, _options.Activations, perChannel);
        var front = new List<NodeProto>();
        var body = new List<NodeProto>();
        var quantizedNodes = 0;
        var floatOps = new Dictionary<string, int>();
        foreach (var n in g.Node.ToList())
        {
            if (Quantizes(n))
            {
                var allIn = DataInputs(n).All(i => quantized.Contains(n.Input[i]) || inits.ContainsKey(n.Input[i]));
                if (allIn) quantizedNodes++;
                rewriter.QuantizeConstantInputs(n, front);
            }
            else if (n.Output.Any(IsFloatActivation) && n.OpType != "Constant")
            {
                floatOps[n.OpType] = floatOps.GetValueOrDefault(n.OpType) + 1;
            }
            body.Add(n);
            for (var k = 0; k < n.Output.Count; k++)
            {
                var o = n.Output[k];
                if (!quantized.Contains(o)) continue;
                n.Output[k] = GraphPreparation.Unique(g, o + "_prequant");
                body.AddRange(rewriter.QdqPair(n.Output[k], o, o));
            }
        }
        foreach (var i in g.Input.Where(i => quantized.Contains(i.Name)))
        {
            var dq = i.Name + "_dequantized";
            foreach (var n in body) for (var k = 0; k < n.Input.Count; k++) if (n.Input[k] == i.Name) n.Input[k] = dq;
            front.InsertRange(0, rewriter.QdqPair(i.Name, dq, i.Name));
        }
        g.Node.Clear();
        g.Node.AddRange(front);
        g.Node.AddRange(body);
        g.ValueInfo.Clear();
        GraphPreparation.RemoveUnusedInitializers(g);
        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = "edgedigits.quantization",
            Value = $"qdq; calibration={_options.Method.ToString().ToLowerInvariant()}; samples={calibration.Count}; weights=int8 symmetric {(perChannel ? "per-channel" : "per-tensor")}; activations={_options.Activations.ToString().ToLowerInvariant()}; bias=int32{(stem.Count > 0 ? $"; float stem={NodeLabel(stem[0])}" : "")}{(_options.FloatNodes.Count > 0 ? $"; float nodes={string.Join(",", _options.FloatNodes.Order(StringComparer.Ordinal))}" : "")}",
        });

        foreach (var w in warnings) _log.WriteLine($"quantize: warning: {w}");
        foreach (var note in notes) _log.WriteLine($"quantize: {note}");
        CheckLoads(model, source);
        return new QuantizationResult(model, warnings, notes, folded, quantizedNodes, floatOps,
            qparams.ToDictionary(kv => kv.Key, kv => (kv.Value.Scale, kv.Value.ZeroPoint)), stem.Count > 0 ? NodeLabel(stem[0]) : null);
    }

    private static void CheckLoads(ModelProto model, string source)
    {
        try
        {
            using var so = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var s = new InferenceSession(model.ToByteArray(), so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidOperationException($"{source}: the quantized graph does not load in ONNX Runtime: {ex.Message}", ex);
        }
    }

    private static int FuseMatMulAdd(GraphProto g, Dictionary<string, TensorProto> inits, Dictionary<string, TensorStatistics> stats)
    {
        var fused = 0;
        foreach (var mm in g.Node.Where(n => IsDefaultDomain(n) && n.OpType == "MatMul").ToList())
        {
            var a = mm.Input[0];
            if (!stats.TryGetValue(a, out var aStats) || aStats.Shape.Length != 2) continue;
            if (!inits.TryGetValue(mm.Input[1], out var w) || w.DataType != TFloat || w.Dims.Count != 2) continue;
            var y = mm.Output[0];
            var consumers = GraphPreparation.Consumers(g, y).ToList();
            if (consumers.Count != 1 || g.Output.Any(o => o.Name == y)) continue;
            var add = consumers[0];
            if (!IsDefaultDomain(add) || add.OpType != "Add" || add.Input.Count != 2) continue;
            var biasName = add.Input[0] == y ? add.Input[1] : add.Input[0];
            if (!inits.TryGetValue(biasName, out var bias) || bias.DataType != TFloat || ElementCount(bias) != w.Dims[1]) continue;
            if (bias.Dims.Count != 1)
            {
                var flat = FromFloats(GraphPreparation.Unique(g, biasName + "_1d"), ReadFloats(bias), w.Dims[1]);
                g.Initializer.Add(flat);
                inits[flat.Name] = flat;
                biasName = flat.Name;
            }
            var gemm = Node("Gemm", (mm.Name.Length > 0 ? mm.Name : y) + "_gemm", [a, mm.Input[1], biasName], [add.Output[0]]);
            g.Node.Insert(g.Node.IndexOf(add), gemm);
            g.Node.Remove(mm);
            g.Node.Remove(add);
            fused++;
        }
        return fused;
    }

    private static bool IsDefaultDomain(NodeProto n) => n.Domain is "" or "ai.onnx";

    private static string NodeLabel(NodeProto n) => n.Name.Length > 0 ? n.Name : n.Output.FirstOrDefault() ?? "?";

    private static bool IsQuantizedOp(NodeProto n) =>
        IsDefaultDomain(n) && (ComputeOps.Contains(n.OpType) || PassThroughOps.Contains(n.OpType) || ActivationOps.Contains(n.OpType));

    /// <summary>Input indices holding float data (weights and biases are handled as constants).</summary>
    private static IEnumerable<int> DataInputs(NodeProto n) => n.OpType switch
    {
        "MatMul" or "Add" => Enumerable.Range(0, Math.Min(2, n.Input.Count)),
        "Concat" => Enumerable.Range(0, n.Input.Count),
        _ => [0],
    };

    private static bool ClipLowerBoundIsZero(NodeProto clip, Dictionary<string, TensorProto> inits)
    {
        if (clip.Input.Count > 1 && clip.Input[1].Length > 0)
            return inits.TryGetValue(clip.Input[1], out var t) && t.DataType == TFloat && ReadFloats(t) is [0f];
        return Attr(clip, "min") is { } a && a.F == 0f;
    }

    private QuantParams ActivationParams(TensorStatistics s, CalibrationMethod method)
    {
        float lo = s.Min, hi = s.Max;
        if (method != CalibrationMethod.MinMax && s.Histogram is { } h)
        {
            var levels = lo >= 0 ? 255 : 128;
            // The KL threshold is floored at the 99.99th percentile: images with a constant background (MNIST)
            // put large spikes in every channel's histogram, and the KL measure, which smears a bucket's mass
            // evenly over its bins, would otherwise clip away most of the real signal to keep the spikes sharp.
            var t = method == CalibrationMethod.Percentile
                ? RangeEstimation.PercentileThreshold(h, s.AbsMax, _options.Percentile)
                : Math.Max(RangeEstimation.EntropyThreshold(h, s.AbsMax, levels), RangeEstimation.PercentileThreshold(h, s.AbsMax, 99.99));
            lo = Math.Max(lo, -t);
            hi = Math.Min(hi, t);
        }
        return QuantParams.Asymmetric(lo, hi, _options.Activations);
    }

    /// <summary>Builds the integer initializers and QDQ nodes.</summary>
    private sealed class Rewriter(GraphProto g, Dictionary<string, TensorProto> inits, Dictionary<string, QuantParams> qparams, ActivationType activations, bool perChannel)
    {
        private readonly Dictionary<string, (string Name, float[] Scales)> _weights = new();
        private readonly Dictionary<string, string> _constants = new();

        /// <summary>Q then DQ from <paramref name="floatIn"/> to <paramref name="floatOut"/> with the parameters of tensor <paramref name="baseName"/>.</summary>
        public NodeProto[] QdqPair(string floatIn, string floatOut, string baseName)
        {
            var p = qparams[baseName];
            var scale = baseName + "_scale";
            var zp = baseName + "_zero_point";
            var q = baseName + "_quantized";
            if (!inits.ContainsKey(scale))
            {
                AddInit(FromFloats(scale, [p.Scale]));
                AddInit(activations == ActivationType.UInt8 ? FromUInt8(zp, [(byte)p.ZeroPoint]) : FromInt8(zp, [(sbyte)p.ZeroPoint]));
            }
            return
            [
                Node("QuantizeLinear", baseName + "_QuantizeLinear", [floatIn, scale, zp], [q]),
                Node("DequantizeLinear", baseName + "_DequantizeLinear", [q, scale, zp], [floatOut]),
            ];
        }

        public void QuantizeConstantInputs(NodeProto n, List<NodeProto> front)
        {
            switch (n.OpType)
            {
                case "Conv":
                    if (IsFloatInit(n, 1)) QuantizeWeightAndBias(n, axis: 0, front);
                    break;
                case "Gemm":
                    if (IsFloatInit(n, 1))
                    {
                        var w = inits[n.Input[1]];
                        QuantizeWeightAndBias(n, w.Dims.Count == 2 ? (AttrInt(n, "transB", 0) == 1 ? 0 : 1) : -1, front);
                    }
                    break;
                case "MatMul":
                    if (IsFloatInit(n, 1)) QuantizeWeightAndBias(n, inits[n.Input[1]].Dims.Count == 2 ? 1 : -1, front);
                    if (IsFloatInit(n, 0)) n.Input[0] = QuantizeConstant(n.Input[0], front);
                    break;
                case "Add" or "Concat":
                    for (var i = 0; i < n.Input.Count; i++) if (IsFloatInit(n, i)) n.Input[i] = QuantizeConstant(n.Input[i], front);
                    break;
            }
        }

        private bool IsFloatInit(NodeProto n, int i) => i < n.Input.Count && inits.TryGetValue(n.Input[i], out var t) && t.DataType == TFloat;

        private void QuantizeWeightAndBias(NodeProto n, int axis, List<NodeProto> front)
        {
            var (wName, wScales) = QuantizeWeight(n.Input[1], perChannel ? axis : -1, front);
            n.Input[1] = wName;
            if (n.Input.Count > 2 && IsFloatInit(n, 2) && qparams.TryGetValue(n.Input[0], out var x))
            {
                var b = inits[n.Input[2]];
                var channels = b.Dims.Count == 1 ? (int)b.Dims[0] : -1;
                if (b.Dims.Count == 1 && (wScales.Length == 1 || wScales.Length == channels))
                    n.Input[2] = QuantizeBias(n, n.Input[2], x.Scale, wScales, front);
            }
        }

        private (string Name, float[] Scales) QuantizeWeight(string name, int axis, List<NodeProto> front)
        {
            var key = $"{name}@{axis}";
            if (_weights.TryGetValue(key, out var done)) return done;
            var t = inits[name];
            var w = ReadFloats(t);
            var dims = t.Dims.ToArray();
            var channels = axis >= 0 ? (int)dims[axis] : 1;
            var inner = 1L;
            for (var d = axis + 1; d < dims.Length && axis >= 0; d++) inner *= dims[d];
            var absMax = new float[channels];
            for (var i = 0; i < w.Length; i++)
            {
                var c = axis >= 0 ? (int)(i / inner % channels) : 0;
                absMax[c] = Math.Max(absMax[c], Math.Abs(w[i]));
            }
            // Symmetric, restricted to [-127, 127] so that -w is always representable (no -128).
            var scales = absMax.Select(m => m > 0 ? m / 127f : 1f).ToArray();
            var q = new sbyte[w.Length];
            for (var i = 0; i < w.Length; i++)
            {
                var c = axis >= 0 ? (int)(i / inner % channels) : 0;
                q[i] = (sbyte)Math.Clamp(MathF.Round(w[i] / scales[c], MidpointRounding.ToEven), -127, 127);
            }
            var qName = GraphPreparation.Unique(g, name + "_quantized");
            AddInit(FromInt8(qName, q, dims));
            var scaleName = GraphPreparation.Unique(g, name + "_scale");
            var zpName = GraphPreparation.Unique(g, name + "_zero_point");
            var dqName = GraphPreparation.Unique(g, name + "_dequantized");
            if (axis >= 0)
            {
                AddInit(FromFloats(scaleName, scales, channels));
                AddInit(FromInt8(zpName, new sbyte[channels], channels));
                front.Add(Node("DequantizeLinear", dqName + "_DequantizeLinear", [qName, scaleName, zpName], [dqName], IntAttr("axis", axis)));
            }
            else
            {
                AddInit(FromFloats(scaleName, scales));
                AddInit(FromInt8(zpName, [0]));
                front.Add(Node("DequantizeLinear", dqName + "_DequantizeLinear", [qName, scaleName, zpName], [dqName]));
            }
            return _weights[key] = (dqName, scales);
        }

        private string QuantizeBias(NodeProto n, string name, float inputScale, float[] wScales, List<NodeProto> front)
        {
            var b = ReadFloats(inits[name]);
            var scales = new float[wScales.Length];
            for (var c = 0; c < scales.Length; c++) scales[c] = inputScale * wScales[c];
            var q = new int[b.Length];
            for (var i = 0; i < b.Length; i++)
            {
                var s = scales[scales.Length == 1 ? 0 : i];
                q[i] = (int)Math.Clamp(Math.Round(b[i] / (double)s, MidpointRounding.ToEven), int.MinValue, int.MaxValue);
            }
            var stem = GraphPreparation.Unique(g, name + "_" + (n.Name.Length > 0 ? n.Name : n.Output[0]));
            var qName = stem + "_quantized";
            var scaleName = stem + "_scale";
            var zpName = stem + "_zero_point";
            var dqName = stem + "_dequantized";
            AddInit(FromInt32(qName, q, b.Length));
            if (scales.Length > 1)
            {
                AddInit(FromFloats(scaleName, scales, scales.Length));
                AddInit(FromInt32(zpName, new int[scales.Length], scales.Length));
                front.Add(Node("DequantizeLinear", dqName + "_DequantizeLinear", [qName, scaleName, zpName], [dqName], IntAttr("axis", 0)));
            }
            else
            {
                AddInit(FromFloats(scaleName, scales));
                AddInit(FromInt32(zpName, [0]));
                front.Add(Node("DequantizeLinear", dqName + "_DequantizeLinear", [qName, scaleName, zpName], [dqName]));
            }
            return dqName;
        }

        /// <summary>A float constant feeding a quantized op (e.g. an Add's bias) is stored in the activation type, per tensor.</summary>
        private string QuantizeConstant(string name, List<NodeProto> front)
        {
            if (_constants.TryGetValue(name, out var done)) return done;
            var t = inits[name];
            var v = ReadFloats(t);
            var p = QuantParams.Asymmetric(v.Length == 0 ? 0 : v.Min(), v.Length == 0 ? 0 : v.Max(), activations);
            var dims = t.Dims.ToArray();
            var qName = GraphPreparation.Unique(g, name + "_quantized");
            var scaleName = GraphPreparation.Unique(g, name + "_scale");
            var zpName = GraphPreparation.Unique(g, name + "_zero_point");
            var dqName = GraphPreparation.Unique(g, name + "_dequantized");
            if (activations == ActivationType.UInt8)
            {
                AddInit(FromUInt8(qName, v.Select(x => (byte)p.Quantize(x)).ToArray(), dims));
                AddInit(FromUInt8(zpName, [(byte)p.ZeroPoint]));
            }
            else
            {
                AddInit(FromInt8(qName, v.Select(x => (sbyte)p.Quantize(x)).ToArray(), dims));
                AddInit(FromInt8(zpName, [(sbyte)p.ZeroPoint]));
            }
            AddInit(FromFloats(scaleName, [p.Scale]));
            front.Add(Node("DequantizeLinear", dqName + "_DequantizeLinear", [qName, scaleName, zpName], [dqName]));
            return _constants[name] = dqName;
        }

        private void AddInit(TensorProto t)
        {
            g.Initializer.Add(t);
            inits[t.Name] = t;
        }
    }
}

/// <summary>Scale and zero point of one quantized tensor: real = (q - ZeroPoint) * Scale.</summary>
/// <param name="Scale">Real value of one integer step.</param>
/// <param name="ZeroPoint">The integer representing real 0.</param>
/// <param name="QMin">Smallest integer of the type.</param>
/// <param name="QMax">Largest integer of the type.</param>
public readonly record struct QuantParams(float Scale, int ZeroPoint, int QMin, int QMax)
{
    /// <summary>Asymmetric parameters covering [lo, hi] widened to include 0 (so 0 is exact, as padding needs).</summary>
    public static QuantParams Asymmetric(float lo, float hi, ActivationType type)
    {
        var (qmin, qmax) = type == ActivationType.UInt8 ? (0, 255) : (-128, 127);
        var rmin = Math.Min(lo, 0f);
        var rmax = Math.Max(hi, 0f);
        if (!(rmax - rmin > 1e-12f)) rmax = rmin + 1f;
        var scale = (rmax - rmin) / (qmax - qmin);
        var zp = (int)Math.Clamp(MathF.Round(qmin - rmin / scale, MidpointRounding.ToEven), qmin, qmax);
        return new QuantParams(scale, zp, qmin, qmax);
    }

    /// <summary>The saturated integer for <paramref name="x"/>.</summary>
    public int Quantize(float x) => (int)Math.Clamp(MathF.Round(x / Scale, MidpointRounding.ToEven) + ZeroPoint, QMin, QMax);
}

/// <summary>The quantized model and what the quantizer did.</summary>
/// <param name="Model">The QDQ model.</param>
/// <param name="Warnings">One line per op left in float because it is unsupported (names the op and node).</param>
/// <param name="Notes">Other remarks (BatchNorm folding, per-tensor fallback).</param>
/// <param name="FoldedBatchNorms">BatchNormalization nodes folded into convolutions.</param>
/// <param name="QuantizedNodes">Nodes whose inputs are all quantized.</param>
/// <param name="FloatOps">Op type → count of float nodes left (unsupported ones and Softmax).</param>
/// <param name="Activations">Scale and zero point per quantized activation tensor.</param>
/// <param name="FloatStem">Name of the stem Conv kept in float (<see cref="QuantizationOptions.FloatStem"/>), or null.</param>
public sealed record QuantizationResult(ModelProto Model, IReadOnlyList<string> Warnings, IReadOnlyList<string> Notes, int FoldedBatchNorms,
    int QuantizedNodes, IReadOnlyDictionary<string, int> FloatOps, IReadOnlyDictionary<string, (float Scale, int ZeroPoint)> Activations,
    string? FloatStem = null);
