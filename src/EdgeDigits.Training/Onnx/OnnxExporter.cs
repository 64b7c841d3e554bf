using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;

namespace EdgeDigits.Training.Onnx;

/// <summary>
/// Writes a trained <see cref="Network"/> as an ONNX model (opset 13): input <c>input</c>
/// float [N,C,H,W] as the network's input shape ([N,1,28,28] for the digit CNN, [N,5,1,64] for the ink
/// sequence model) with a dynamic batch <c>N</c>, output <c>logits</c> [N,classes].
/// BatchNorm is folded into the preceding convolution, Dropout is dropped (identity in inference),
/// the classifier is Flatten + Gemm.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The opset the exported graph declares.</summary>
    public const int Opset = 13;

    /// <summary>Graph input name.</summary>
    public const string InputName = "input";

    /// <summary>Graph output name.</summary>
    public const string OutputName = "logits";

    /// <summary>Builds the ONNX model of <paramref name="network"/>.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX mapping here (e.g. a BatchNorm not after a convolution).</exception>
    public static ModelProto ToModel(Network network, string docString = "")
    {
        var graph = new GraphProto { Name = "edgedigits" };
        graph.Input.Add(Value(InputName, network.InputShape.C, network.InputShape.H, network.InputShape.W));
        var current = InputName;
        var layers = network.Layers;
        var index = 0;
        string Fresh(string kind) => $"{kind}_{index}";
        for (var i = 0; i < layers.Count; i++, index++)
        {
            switch (layers[i])
            {
                case Conv2d conv:
                {
                    var (w, b) = FoldedConv(conv, i + 1 < layers.Count ? layers[i + 1] as BatchNorm2d : null);
                    if (i + 1 < layers.Count && layers[i + 1] is BatchNorm2d) i++;
                    var wName = Fresh("conv") + ".weight";
                    var bName = Fresh("conv") + ".bias";
                    graph.Initializer.Add(Initializer(wName, w, conv.OutChannels, conv.InputShape.C, conv.KernelH, conv.KernelW));
                    graph.Initializer.Add(Initializer(bName, b, conv.OutChannels));
                    var node = Node("Conv", Fresh("conv"), [current, wName, bName]);
                    node.Attribute.Add(Ints("kernel_shape", conv.KernelH, conv.KernelW));
                    node.Attribute.Add(Ints("pads", conv.PaddingH, conv.PaddingW, conv.PaddingH, conv.PaddingW));
                    node.Attribute.Add(Ints("strides", conv.Stride, conv.Stride));
                    node.Attribute.Add(Ints("dilations", 1, 1));
                    node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                    graph.Node.Add(node);
                    current = node.Output[0];
                    break;
                }
                case ReLU:
                    current = Add(graph, Node("Relu", Fresh("relu"), [current]));
                    break;
                case MaxPool2d mp:
                {
                    var node = Node("MaxPool", Fresh("maxpool"), [current]);
                    node.Attribute.Add(Ints("kernel_shape", mp.Size, mp.Size));
                    node.Attribute.Add(Ints("strides", mp.Size, mp.Size));
                    current = Add(graph, node);
                    break;
                }
                case AvgPool2d ap:
                {
                    var node = Node("AveragePool", Fresh("avgpool"), [current]);
                    node.Attribute.Add(Ints("kernel_shape", ap.Size, ap.Size));
                    node.Attribute.Add(Ints("strides", ap.Size, ap.Size));
                    current = Add(graph, node);
                    break;
                }
                case GlobalAvgPool:
                    current = Add(graph, Node("GlobalAveragePool", Fresh("gap"), [current]));
                    break;
                case Dropout:
                    break;
                case Linear fc:
                {
                    var flat = Node("Flatten", Fresh("flatten"), [current]);
                    flat.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                    current = Add(graph, flat);
                    var wName = Fresh("fc") + ".weight";
                    var bName = Fresh("fc") + ".bias";
                    graph.Initializer.Add(Initializer(wName, fc.Weight.Value, fc.OutFeatures, fc.InputShape.Size));
                    graph.Initializer.Add(Initializer(bName, fc.Bias.Value, fc.OutFeatures));
                    var gemm = Node("Gemm", Fresh("fc"), [current, wName, bName]);
                    gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                    current = Add(graph, gemm);
                    break;
                }
                default:
                    throw new NotSupportedException($"layer {layers[i].Describe()} cannot be exported to ONNX here");
            }
        }
        // Rename the last value to the public output name.
        var last = graph.Node[^1];
        last.Output[0] = OutputName;
        if (network.OutputShape.H != 1 || network.OutputShape.W != 1)
            throw new NotSupportedException("the network must end in a classifier (Linear) to be exported");
        graph.Output.Add(Value(OutputName, network.Outputs));
        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "edgedigits",
            ProducerVersion = "1",
            DocString = docString,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>Writes the ONNX model of <paramref name="network"/> to <paramref name="path"/> atomically.</summary>
    public static void Export(Network network, string path, string docString = "")
    {
        var model = ToModel(network, docString);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = path + ".tmp";
        using (var stream = File.Create(tmp)) model.WriteTo(stream);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>
    /// The convolution weights and bias with a following BatchNorm folded in: with s = gamma /
    /// sqrt(var + eps), W' = W * s per output channel and b' = beta + (b - mean) * s.
    /// </summary>
    public static (float[] Weight, float[] Bias) FoldedConv(Conv2d conv, BatchNorm2d? bn)
    {
        var w = (float[])conv.Weight.Value.Clone();
        var b = conv.Bias is null ? new float[conv.OutChannels] : (float[])conv.Bias.Value.Clone();
        if (bn is null) return (w, b);
        var per = w.Length / conv.OutChannels;
        for (var c = 0; c < conv.OutChannels; c++)
        {
            var s = bn.Gamma.Value[c] / Math.Sqrt(bn.RunningVar[c] + bn.Epsilon);
            for (var i = 0; i < per; i++) w[c * per + i] = (float)(w[c * per + i] * s);
            b[c] = (float)(bn.Beta.Value[c] + (b[c] - bn.RunningMean[c]) * s);
        }
        return (w, b);
    }

    private static string Add(GraphProto graph, NodeProto node)
    {
        graph.Node.Add(node);
        return node.Output[0];
    }

    private static NodeProto Node(string op, string name, string[] inputs)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name + ".out");
        return node;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static TensorProto Initializer(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.AddRange(dims);
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw data is little-endian");
        t.RawData = ByteString.CopyFrom(bytes);
        return t;
    }

    private static ValueInfoProto Value(string name, params int[] perSample)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "N" });
        foreach (var d in perSample) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
