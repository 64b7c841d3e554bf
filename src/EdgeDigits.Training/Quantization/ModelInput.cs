using EdgeDigits.Core.Models;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Onnx.Proto;

namespace EdgeDigits.Training.Quantization;

/// <summary>The image input of a digit model: its name, fixed batch size (if any) and preprocessing.</summary>
/// <param name="Name">Name of the graph input.</param>
/// <param name="FixedBatch">The batch size the graph requires, or 0 when the batch dimension is dynamic.</param>
/// <param name="Scale">Pixel value = byte/255*Scale + Offset.</param>
/// <param name="Offset">See <paramref name="Scale"/>.</param>
public sealed record ModelInput(string Name, int FixedBatch, float Scale, float Offset)
{
    /// <summary>Finds the single image input of <paramref name="model"/> and checks it takes [N,1,28,28] floats.</summary>
    /// <exception cref="InvalidDataException">The model has no such input; the message names <paramref name="source"/>.</exception>
    public static ModelInput Of(ModelProto model, ModelMetadata metadata, string source)
    {
        var inits = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        var inputs = model.Graph.Input.Where(i => !inits.Contains(i.Name)).ToList();
        if (inputs.Count != 1) throw new InvalidDataException($"{source}: expected one image input, found {inputs.Count} ({string.Join(",", inputs.Select(i => i.Name))})");
        var input = inputs[0];
        var tt = input.Type?.TensorType;
        if (tt is null || tt.ElemType != OnnxTensors.TFloat)
            throw new InvalidDataException($"{source}: input '{input.Name}' is not a float tensor");
        var fixedBatch = 0;
        if (tt.Shape is { } shape)
        {
            if (shape.Dim.Count != 4) throw new InvalidDataException($"{source}: input '{input.Name}' has rank {shape.Dim.Count}, expected [N,1,28,28]");
            long[] want = [-1, 1, DigitSet.Side, DigitSet.Side];
            for (var d = 1; d < 4; d++)
            {
                var dim = shape.Dim[d];
                if (dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && dim.DimValue != want[d])
                    throw new InvalidDataException($"{source}: input '{input.Name}' is [{string.Join(",", shape.Dim.Select(x => x.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? x.DimValue.ToString() : "N"))}], expected [N,1,28,28]");
            }
            if (shape.Dim[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && shape.Dim[0].DimValue > 0)
                fixedBatch = (int)shape.Dim[0].DimValue;
        }
        return new ModelInput(input.Name, fixedBatch, metadata.Scale, metadata.Offset);
    }

    /// <summary>Fills <paramref name="destination"/> with images <paramref name="start"/>..start+count of <paramref name="set"/>, preprocessed.</summary>
    public void Fill(DigitSet set, int start, int count, Span<float> destination)
    {
        for (var i = 0; i < count; i++) set.CopyImageAsFloat(start + i, destination.Slice(i * DigitSet.ImageSize, DigitSet.ImageSize), Scale, Offset);
    }
}
