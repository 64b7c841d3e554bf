using EdgeDigits.Training.Onnx.Proto;

namespace EdgeDigits.Training.Quantization;

/// <summary>The one input of a model being quantized: its name, fixed batch size (if any) and the shape of one sample.</summary>
/// <param name="Name">Name of the graph input.</param>
/// <param name="FixedBatch">The batch size the graph requires, or 0 when the batch dimension is dynamic.</param>
/// <param name="SampleShape">Dimensions of one sample, batch left out (e.g. [1,28,28] for an image, [5,1,64] for an ink).</param>
public sealed record ModelInput(string Name, int FixedBatch, int[] SampleShape)
{
    /// <summary>
    /// Finds the single input of <paramref name="model"/> and checks it takes [N, <paramref name="sampleShape"/>] floats
    /// (the shape the calibration data is built for, from the model's metadata kind).
    /// </summary>
    /// <exception cref="InvalidDataException">The model has no such input; the message names <paramref name="source"/>.</exception>
    public static ModelInput Of(ModelProto model, IReadOnlyList<int> sampleShape, string source)
    {
        var expected = $"[N,{string.Join(",", sampleShape)}]";
        var inits = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        var inputs = model.Graph.Input.Where(i => !inits.Contains(i.Name)).ToList();
        if (inputs.Count != 1) throw new InvalidDataException($"{source}: expected one input, found {inputs.Count} ({string.Join(",", inputs.Select(i => i.Name))})");
        var input = inputs[0];
        var tt = input.Type?.TensorType;
        if (tt is null || tt.ElemType != OnnxTensors.TFloat)
            throw new InvalidDataException($"{source}: input '{input.Name}' is not a float tensor");
        var fixedBatch = 0;
        if (tt.Shape is { } shape)
        {
            static bool Known(TensorShapeProto.Types.Dimension d) => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue;
            var actual = $"[{string.Join(",", shape.Dim.Select(x => Known(x) ? x.DimValue.ToString() : "N"))}]";
            if (shape.Dim.Count != sampleShape.Count + 1) throw new InvalidDataException($"{source}: input '{input.Name}' has rank {shape.Dim.Count}, expected {expected}");
            for (var d = 1; d < shape.Dim.Count; d++)
                if (Known(shape.Dim[d]) && shape.Dim[d].DimValue != sampleShape[d - 1])
                    throw new InvalidDataException($"{source}: input '{input.Name}' is {actual}, expected {expected}");
            if (Known(shape.Dim[0]) && shape.Dim[0].DimValue > 0)
                fixedBatch = (int)shape.Dim[0].DimValue;
        }
        return new ModelInput(input.Name, fixedBatch, [.. sampleShape]);
    }
}
