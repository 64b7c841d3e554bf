using EdgeDigits.Training.Data;
using EdgeDigits.Core.Recognition;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = EdgeDigits.Core.Models.ModelMetadata;

namespace EdgeDigits.Training.Evaluation;

/// <summary>
/// Runs a digit model over a <see cref="DigitSet"/> in batches with ONNX Runtime and returns class
/// probabilities. Kept separate from Core's DigitClassifier because evaluation must also read models
/// whose tensor names differ from the metadata defaults (e.g. PyTorch exports) and needs a softmax
/// that stays finite for large-magnitude logits. Owns its session and a reusable input buffer;
/// dispose it when done.
/// </summary>
internal sealed class OnnxBatchRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SessionOptions _options;
    private readonly RunOptions _run = new();
    private readonly ModelMetadata _meta;
    private readonly string _inputName;
    private readonly string _outputName;
    private float[] _input = [];

    /// <summary>Opens <paramref name="modelPath"/> with <paramref name="threads"/> intra-op threads (0 = ORT default).</summary>
    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="InvalidDataException">ORT cannot load it, or its input/output do not fit the metadata; the message names the file.</exception>
    public OnnxBatchRunner(string modelPath, ModelMetadata metadata, int threads = 1)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: model file not found", modelPath);
        _meta = metadata;
        _options = InferenceSessionOptions.Create(threads);
        try
        {
            _session = new InferenceSession(modelPath, _options);
        }
        catch (OnnxRuntimeException ex)
        {
            _options.Dispose();
            throw new InvalidDataException($"{modelPath}: ONNX Runtime cannot load the model ({FirstLine(ex.Message)})", ex);
        }
        try
        {
            if (_session.InputMetadata.Count != 1) throw new InvalidDataException($"{modelPath}: expected one input, found {_session.InputMetadata.Count}");
            var (inName, inMeta) = _session.InputMetadata.First();
            _inputName = inName;
            var dims = inMeta.Dimensions;
            if (inMeta.ElementType != typeof(float) || dims.Length != 4 || (dims[1] > 0 && dims[1] != 1)
                || (dims[2] > 0 && dims[2] != DigitSet.Side) || (dims[3] > 0 && dims[3] != DigitSet.Side))
                throw new InvalidDataException($"{modelPath}: input '{inName}' is {inMeta.ElementType.Name}[{string.Join(",", dims)}], expected float[N,1,28,28]");
            FixedBatch = dims[0] > 0 ? dims[0] : 0;
            _outputName = _session.OutputMetadata.ContainsKey(metadata.OutputName) ? metadata.OutputName : _session.OutputMetadata.Keys.First();
            var outDims = _session.OutputMetadata[_outputName].Dimensions;
            ClassCount = outDims.Length > 0 ? outDims[^1] : -1;
            if (ClassCount != metadata.Classes.Length)
                throw new InvalidDataException($"{modelPath}: output '{_outputName}' has {ClassCount} classes but the metadata lists {metadata.Classes.Length} ({string.Join(",", metadata.Classes)})");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Number of output classes (equals the metadata's class list).</summary>
    public int ClassCount { get; }

    /// <summary>The batch size the model's input requires, or 0 when the batch dimension is dynamic.</summary>
    public int FixedBatch { get; }

    /// <summary>
    /// Classifies images <paramref name="start"/>..start+count of <paramref name="set"/>, writing
    /// <c>count × ClassCount</c> probabilities (softmax of logits) into <paramref name="probabilities"/>.
    /// </summary>
    public void Run(DigitSet set, int start, int count, Span<float> probabilities)
    {
        if (probabilities.Length < count * ClassCount) throw new ArgumentException("probabilities buffer too small", nameof(probabilities));
        if (FixedBatch > 0 && count != FixedBatch)
        {
            for (var i = 0; i < count; i += FixedBatch)
                Run(set, start + i, Math.Min(FixedBatch, count - i), probabilities.Slice(i * ClassCount));
            return;
        }
        var n = FixedBatch > 0 ? FixedBatch : count;
        if (_input.Length < n * DigitSet.ImageSize) _input = new float[n * DigitSet.ImageSize];
        for (var i = 0; i < count; i++) set.CopyImageAsFloat(start + i, _input.AsSpan(i * DigitSet.ImageSize, DigitSet.ImageSize), _meta.Scale, _meta.Offset);
        _input.AsSpan(count * DigitSet.ImageSize, (n - count) * DigitSet.ImageSize).Clear();
        using var value = OrtValue.CreateTensorValueFromMemory(_input, [n, 1, DigitSet.Side, DigitSet.Side]);
        using var results = _session.Run(_run, [_inputName], [value], [_outputName]);
        var scores = results[0].GetTensorDataAsSpan<float>()[..(count * ClassCount)];
        scores.CopyTo(probabilities);
        if (_meta.OutputKind == "logits")
            for (var i = 0; i < count; i++) StableSoftmax(probabilities.Slice(i * ClassCount, ClassCount));
    }

    /// <summary>Softmax in place, shifted by the maximum so large-magnitude logits neither overflow nor underflow to 0/0.</summary>
    public static void StableSoftmax(Span<float> v)
    {
        var max = System.Numerics.Tensors.TensorPrimitives.Max(v);
        System.Numerics.Tensors.TensorPrimitives.Subtract(v, max, v);
        System.Numerics.Tensors.TensorPrimitives.Exp(v, v);
        var sum = System.Numerics.Tensors.TensorPrimitives.Sum(v);
        System.Numerics.Tensors.TensorPrimitives.Divide(v, sum, v);
    }

    /// <summary>Releases the session.</summary>
    public void Dispose()
    {
        _session?.Dispose();
        _run.Dispose();
        _options.Dispose();
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
