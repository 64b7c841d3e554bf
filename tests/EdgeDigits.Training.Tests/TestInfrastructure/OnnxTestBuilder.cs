using System.Runtime.InteropServices;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;

namespace EdgeDigits.Training.Tests.TestInfrastructure;

/// <summary>Builds small fp32 ONNX graphs by hand for quantizer and evaluator tests.</summary>
internal sealed class OnnxTestBuilder
{
    private readonly GraphProto _graph = new() { Name = "test" };
    private readonly int _opset;
    private readonly Random _rng;
    private int _counter;

    public OnnxTestBuilder(int opset = 13, int seed = 1)
    {
        _opset = opset;
        _rng = new Random(seed);
    }

    public GraphProto Graph => _graph;

    public string Input(string name, params long[] shape)
    {
        var tt = new TypeProto.Types.Tensor { ElemType = 1, Shape = new TensorShapeProto() };
        foreach (var d in shape)
            tt.Shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        _graph.Input.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tt } });
        return name;
    }

    public void Output(string name) =>
        _graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1 } } });

    public static TensorProto Tensor(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = 1, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.AddRange(dims);
        return t;
    }

    public string Init(string name, float[] values, params long[] dims)
    {
        _graph.Initializer.Add(Tensor(name, values, dims));
        return name;
    }

    public string InitInt64(string name, long[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Int64Data.AddRange(values);
        t.Dims.AddRange(dims);
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>A float tensor given by a Constant node (PyTorch exports do this).</summary>
    public string Constant(string name, float[] values, params long[] dims)
    {
        var n = new NodeProto { OpType = "Constant", Name = name + "_const" };
        n.Output.Add(name);
        n.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = Tensor(name, values, dims) });
        _graph.Node.Add(n);
        return name;
    }

    public float[] Random(int count, float scale) => Enumerable.Range(0, count).Select(_ => (float)((_rng.NextDouble() * 2 - 1) * scale)).ToArray();

    public float[] Uniform(int count, float lo, float hi) => Enumerable.Range(0, count).Select(_ => (float)(lo + _rng.NextDouble() * (hi - lo))).ToArray();

    public string Node(string op, string[] inputs, params AttributeProto[] attrs) => Node(op, inputs, $"{op.ToLowerInvariant()}_{_counter++}", attrs);

    public string Node(string op, string[] inputs, string output, params AttributeProto[] attrs)
    {
        var n = new NodeProto { OpType = op, Name = $"{op}_{_counter++}" };
        n.Input.AddRange(inputs);
        n.Output.Add(output);
        n.Attribute.AddRange(attrs);
        _graph.Node.Add(n);
        return output;
    }

    /// <summary>Conv with He-initialized random weights (and a random bias unless <paramref name="bias"/> is false).</summary>
    public string Conv(string x, int inC, int outC, int k, int pad, bool bias = true, bool weightsAsConstant = false)
    {
        var id = _counter++;
        var fanIn = inC * k * k;
        var wv = Random(outC * fanIn, MathF.Sqrt(6f / fanIn));
        var w = weightsAsConstant ? Constant($"conv{id}_w", wv, outC, inC, k, k) : Init($"conv{id}_w", wv, outC, inC, k, k);
        var inputs = new List<string> { x, w };
        if (bias) inputs.Add(Init($"conv{id}_b", Random(outC, 0.1f), outC));
        return Node("Conv", inputs.ToArray(), Ints("kernel_shape", k, k), Ints("pads", pad, pad, pad, pad));
    }

    public string BatchNorm(string x, int c)
    {
        var id = _counter++;
        return Node("BatchNormalization",
        [
            x, Init($"bn{id}_g", Uniform(c, 0.5f, 1.5f), c), Init($"bn{id}_b", Uniform(c, -0.2f, 0.2f), c),
            Init($"bn{id}_m", Uniform(c, -0.1f, 0.1f), c), Init($"bn{id}_v", Uniform(c, 0.5f, 2f), c),
        ], Float("epsilon", 1e-5f));
    }

    public ModelProto Build(int irVersion = 8)
    {
        var m = new ModelProto { IrVersion = irVersion, ProducerName = "edgedigits-tests", Graph = _graph };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = _opset });
        return m;
    }

    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }

    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    public static AttributeProto Float(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
}
