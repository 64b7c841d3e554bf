using System.Runtime.InteropServices;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;

namespace EdgeDigits.Training.Quantization;

/// <summary>Reads and creates ONNX tensors and attributes (the few element types the quantizer touches).</summary>
internal static class OnnxTensors
{
    public const int TFloat = (int)TensorProto.Types.DataType.Float;
    public const int TUInt8 = (int)TensorProto.Types.DataType.Uint8;
    public const int TInt8 = (int)TensorProto.Types.DataType.Int8;
    public const int TInt32 = (int)TensorProto.Types.DataType.Int32;
    public const int TInt64 = (int)TensorProto.Types.DataType.Int64;
    public const int TBool = (int)TensorProto.Types.DataType.Bool;

    public static long ElementCount(TensorProto t)
    {
        long n = 1;
        foreach (var d in t.Dims) n *= d;
        return n;
    }

    public static float[] ReadFloats(TensorProto t)
    {
        if (t.DataType != TFloat) throw new InvalidDataException($"tensor '{t.Name}' has element type {t.DataType}, expected float");
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
            throw new InvalidDataException($"tensor '{t.Name}' uses external data, which the quantizer does not read");
        if (!t.RawData.IsEmpty)
        {
            var bytes = t.RawData.Span;
            if (bytes.Length != ElementCount(t) * 4) throw new InvalidDataException($"tensor '{t.Name}': raw data has {bytes.Length} bytes for {ElementCount(t)} floats");
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }
        var f = t.FloatData.ToArray();
        if (f.Length != ElementCount(t)) throw new InvalidDataException($"tensor '{t.Name}': {f.Length} values for shape [{string.Join(",", t.Dims)}]");
        return f;
    }

    public static long[] ReadInt64s(TensorProto t)
    {
        if (!t.RawData.IsEmpty)
        {
            if (t.DataType == TInt64) return MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray();
            if (t.DataType == TInt32) return MemoryMarshal.Cast<byte, int>(t.RawData.Span).ToArray().Select(v => (long)v).ToArray();
        }
        return t.DataType == TInt64 ? t.Int64Data.ToArray() : t.Int32Data.Select(v => (long)v).ToArray();
    }

    // Every initializer is written as little-endian raw_data (the ONNX spec allows it for all numeric types).
    private static TensorProto FromRaw<T>(string name, int dataType, ReadOnlySpan<T> values, long[] dims) where T : unmanaged
    {
        var t = new TensorProto { Name = name, DataType = dataType, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)) };
        t.Dims.AddRange(dims);
        return t;
    }

    public static TensorProto FromFloats(string name, ReadOnlySpan<float> values, params long[] dims) => FromRaw(name, TFloat, values, dims);

    public static TensorProto FromInt8(string name, ReadOnlySpan<sbyte> values, params long[] dims) => FromRaw(name, TInt8, values, dims);

    public static TensorProto FromUInt8(string name, ReadOnlySpan<byte> values, params long[] dims) => FromRaw(name, TUInt8, values, dims);

    public static TensorProto FromInt32(string name, ReadOnlySpan<int> values, params long[] dims) => FromRaw(name, TInt32, values, dims);

    public static TensorProto FromInt64(string name, ReadOnlySpan<long> values, params long[] dims) => FromRaw(name, TInt64, values, dims);

    public static AttributeProto? Attr(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    public static long AttrInt(NodeProto node, string name, long fallback) => Attr(node, name) is { } a ? a.I : fallback;

    public static float AttrFloat(NodeProto node, string name, float fallback) => Attr(node, name) is { } a ? a.F : fallback;

    public static AttributeProto IntAttr(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static NodeProto Node(string op, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }

    public static ValueInfoProto FloatValueInfo(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TFloat } },
    };
}
