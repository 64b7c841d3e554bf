#:project ../../src/EdgeDigits.Training/EdgeDigits.Training.csproj
// Two exact rewrites of the digits CNN's tail, tried for issue 15 item 3 (int8 at batch 1; models/MODEL_CARD.md,
// "Where the int8 time goes"). Both keep the fp32 model's outputs (same predictions); quantize the result as usual.
//   gemm-head:  GlobalAveragePool → Flatten → Gemm  becomes  Transpose(NHWC) → Flatten → Gemm with the FC weights
//               repeated over the H·W positions and divided by H·W (averaging is linear), so ORT runs one QGemm
//               where it ran QLinearGlobalAveragePool, a Transpose, Flatten and QGemm.
//   dense-tail: also the last Conv (3x3 kernel, pad 1, on a 3x3 map) becomes a Gemm over the flattened map with the
//               kernel unrolled into a (C·9) x (O·9) matrix: the same multiply-adds, as a GEMM with M = batch.
//   dotnet run tools/scripts/int8-tail-rewrites.cs -- gemm-head models/digits-fp32.onnx out/head-fp32.onnx conv_9
//   cp models/digits.json out/head.json
//   edgedigits quantize --input out/head-fp32.onnx --output out/head-int8.onnx --calibration data/mnist --samples 1000
//   edgedigits eval --model models/digits-fp32.onnx --model out/head-int8.onnx --data data/mnist --not-digits 0
using System.Runtime.InteropServices;
using EdgeDigits.Training.Onnx.Proto;
using EdgeDigits.Training.Quantization;
using Google.Protobuf;

var (mode, input, output, convName) = (args[0], args[1], args[2], args[3]);
var model = OnnxModelFile.Load(input);
var g = model.Graph;
var inits = g.Initializer.ToDictionary(t => t.Name);
var conv = g.Node.Single(n => n.Name == convName);
var relu = g.Node.Single(n => n.OpType == "Relu" && n.Input[0] == conv.Output[0]);
var gap = g.Node.Single(n => n.OpType == "GlobalAveragePool" && n.Input[0] == relu.Output[0]);
var flatten = g.Node.Single(n => n.OpType == "Flatten" && n.Input[0] == gap.Output[0]);
var fc = g.Node.Single(n => n.OpType == "Gemm" && n.Input[0] == flatten.Output[0]);
const int Side = 3, Positions = Side * Side; // the last feature map of the digits CNN is 3x3
var w = inits[conv.Input[1]];
int outC = (int)w.Dims[0], inC = (int)w.Dims[1], k = (int)w.Dims[2];
var fw = inits[fc.Input[1]];
var transB = fc.Attribute.FirstOrDefault(a => a.Name == "transB")?.I ?? 0;
var classes = (int)(transB == 1 ? fw.Dims[0] : fw.Dims[1]);
var fcw = Floats(fw);

// Row of the head weights for channel o at position p: NHWC order after the Transpose, NCHW for the dense tail's own output.
var dense = mode == "dense-tail";
if (!dense && mode != "gemm-head") throw new ArgumentException($"mode '{mode}': gemm-head or dense-tail");
var head = new float[outC * Positions * classes];
for (var o = 0; o < outC; o++)
    for (var p = 0; p < Positions; p++)
        for (var c = 0; c < classes; c++)
            head[((dense ? o * Positions + p : p * outC + o) * classes) + c] = (transB == 1 ? fcw[c * outC + o] : fcw[o * classes + c]) / Positions;
g.Initializer.Add(Tensor("head_w", head, outC * Positions, classes));

var nodes = new List<NodeProto>();
string features;
if (dense)
{
    var kw = Floats(w);
    var bias = Floats(inits[conv.Input[2]]);
    var n = outC * Positions;
    var dw = new float[inC * Positions * n];
    var db = new float[n];
    for (var o = 0; o < outC; o++)
        for (var i = 0; i < Side; i++)
            for (var j = 0; j < Side; j++)
            {
                var col = o * Positions + i * Side + j;
                db[col] = bias[o];
                for (var c = 0; c < inC; c++)
                    for (var ky = 0; ky < k; ky++)
                        for (var kx = 0; kx < k; kx++)
                        {
                            int y = i + ky - k / 2, x = j + kx - k / 2;
                            if (y >= 0 && y < Side && x >= 0 && x < Side) dw[((c * Positions + y * Side + x) * n) + col] = kw[((o * inC + c) * k + ky) * k + kx];
                        }
            }
    g.Initializer.Add(Tensor("dense_w", dw, inC * Positions, n));
    g.Initializer.Add(Tensor("dense_b", db, n));
    nodes.Add(Node("Flatten", "dense_flatten", [conv.Input[0]], "dense_in", Int("axis", 1)));
    nodes.Add(Node("Gemm", "dense_conv", ["dense_in", "dense_w", "dense_b"], "dense_out"));
    nodes.Add(Node("Relu", "dense_relu", ["dense_out"], "dense_features"));
    features = "dense_features";
}
else
{
    nodes.Add(Node("Transpose", "head_nhwc", [relu.Output[0]], "head_nhwc_out", new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 3, 1 } }));
    nodes.Add(Node("Flatten", "head_flatten", ["head_nhwc_out"], "head_features", Int("axis", 1)));
    features = "head_features";
}
nodes.Add(Node("Gemm", "head_gemm", [features, "head_w", fc.Input[2]], fc.Output[0]));
var at = g.Node.IndexOf(dense ? conv : gap);
foreach (var old in dense ? new[] { conv, relu, gap, flatten, fc } : [gap, flatten, fc]) g.Node.Remove(old);
for (var i = nodes.Count - 1; i >= 0; i--) g.Node.Insert(at, nodes[i]);
foreach (var unused in (dense ? new[] { conv.Input[1], conv.Input[2], fc.Input[1] } : [fc.Input[1]])) g.Initializer.Remove(inits[unused]);
g.ValueInfo.Clear();
OnnxModelFile.Save(model, output);
Console.WriteLine($"{mode}: wrote {output}");

static float[] Floats(TensorProto t) => t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : t.FloatData.ToArray();

static TensorProto Tensor(string name, float[] values, params long[] dims)
{
    var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
    t.Dims.AddRange(dims);
    return t;
}

static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

static NodeProto Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes)
{
    var n = new NodeProto { OpType = op, Name = name, Output = { output } };
    n.Input.AddRange(inputs);
    n.Attribute.AddRange(attributes);
    return n;
}
