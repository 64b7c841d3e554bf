using System.Numerics.Tensors;
using EdgeDigits.Core.Models;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = EdgeDigits.Core.Models.ModelMetadata;

namespace EdgeDigits.Core.Recognition;

/// <summary>
/// Classifies 28x28 digit crops with an ONNX Runtime session. Input and output tensors live in
/// pinned arrays sized for <see cref="MaxBatch"/> crops, wrapped once per batch size in OrtValues
/// and an IO binding, so a run allocates nothing in steady state. Owns its session and values;
/// dispose it. Not thread-safe: one instance per thread.
/// </summary>
public sealed class DigitClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly OrtIoBinding[] _bindings;
    private readonly int _pixels;
    private bool _disposed;

    /// <summary>Loads <paramref name="modelPath"/> and the metadata beside it (MNIST defaults when there is none).</summary>
    /// <exception cref="ModelLoadException">The model is missing or unreadable, or its shapes disagree with the metadata.</exception>
    public DigitClassifier(string modelPath, DigitClassifierOptions? options = null)
        : this(modelPath, LoadMetadata(modelPath), options)
    {
    }

    /// <summary>Loads <paramref name="modelPath"/> with the given <paramref name="metadata"/>.</summary>
    /// <exception cref="ModelLoadException">The model is missing or unreadable, or its shapes disagree with the metadata.</exception>
    public DigitClassifier(string modelPath, ModelMetadata metadata, DigitClassifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(metadata);
        options ??= new DigitClassifierOptions();
        if (options.MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxBatch must be at least 1");
        if (!File.Exists(modelPath)) throw new ModelLoadException($"{modelPath}: model file not found");
        try
        {
            metadata.Validate(ModelMetadata.PathFor(modelPath));
        }
        catch (InvalidDataException e)
        {
            throw new ModelLoadException(OneLine(e.Message), e);
        }
        Metadata = metadata;
        ModelPath = modelPath;
        ConfidenceThreshold = options.ConfidenceThreshold ?? metadata.ConfidenceThreshold;
        // Snapshot what the hot path reads, so later edits of the metadata object cannot skew inputs.
        _scale = metadata.Scale / 255f;
        _offset = metadata.Offset;
        _logits = metadata.OutputKind == "logits";

        using var so = InferenceSessionOptions.Create(options.IntraOpThreads);
        try
        {
            _session = new InferenceSession(modelPath, so);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException($"{modelPath}: not a loadable ONNX model ({OneLine(e.Message)})", e);
        }

        try
        {
            int maxBatch = CheckShapes(modelPath, options.MaxBatch);
            MaxBatch = maxBatch;
            ClassCount = metadata.Classes.Length;
            _pixels = metadata.InputShape[1] * metadata.InputShape[2] * metadata.InputShape[3];
            _sequence = metadata.Kind == ModelMetadata.InkSequenceKind;
            RejectIndex = metadata.RejectClass is null ? -1 : Array.IndexOf(metadata.Classes, metadata.RejectClass);
            _input = GC.AllocateArray<float>(maxBatch * _pixels, pinned: true);
            _output = GC.AllocateArray<float>(maxBatch * ClassCount, pinned: true);
            _inputValues = new OrtValue[maxBatch + 1];
            _outputValues = new OrtValue[maxBatch + 1];
            _bindings = new OrtIoBinding[maxBatch + 1];
            // A fixed-batch model gets only its own size; a dynamic one one binding per batch size.
            int first = _fixedBatch > 0 ? maxBatch : 1;
            for (int n = first; n <= maxBatch; n++)
            {
                _inputValues[n] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(_input, 0, n * _pixels),
                    [n, metadata.InputShape[1], metadata.InputShape[2], metadata.InputShape[3]]);
                _outputValues[n] = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(_output, 0, n * ClassCount),
                    [n, ClassCount]);
                var binding = _session.CreateIoBinding();
                binding.BindInput(metadata.InputName, _inputValues[n]);
                binding.BindOutput(metadata.OutputName, _outputValues[n]);
                _bindings[n] = binding;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private int _fixedBatch;
    private readonly float _scale, _offset;
    private readonly bool _logits;
    private readonly bool _sequence;

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's metadata (input layout, classes, threshold).</summary>
    public ModelMetadata Metadata { get; }

    /// <summary>Most crops per <see cref="Run"/>.</summary>
    public int MaxBatch { get; }

    /// <summary>Number of output classes.</summary>
    public int ClassCount { get; }

    /// <summary>Index of the "not a digit" class, or -1.</summary>
    public int RejectIndex { get; }

    /// <summary>Confidence under which a digit is reported as uncertain.</summary>
    public float ConfidenceThreshold { get; }

    /// <summary>Input values per crop (28 x 28 = 784 for MNIST layout; channels x points for an ink sequence model).</summary>
    public int PixelsPerCrop => _pixels;

    /// <summary>Writes crop <paramref name="index"/> of the next batch from 8-bit pixels (white ink on black), applying the metadata normalization.</summary>
    /// <exception cref="InvalidOperationException">The model is an ink sequence model, which reads points, not pixels.</exception>
    public void SetInput(int index, ReadOnlySpan<byte> pixels)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sequence) throw new InvalidOperationException($"{ModelPath}: an '{ModelMetadata.InkSequenceKind}' model reads ink points (SetFeatures), not image crops");
        if ((uint)index >= (uint)MaxBatch) throw new ArgumentOutOfRangeException(nameof(index), $"batch slot {index} outside 0..{MaxBatch - 1}");
        if (pixels.Length < _pixels) throw new ArgumentException($"crop has {pixels.Length} pixels, the model needs {_pixels}", nameof(pixels));
        var dst = _input.AsSpan(index * _pixels, _pixels);
        TensorPrimitives.ConvertTruncating<byte, float>(pixels[.._pixels], dst);
        TensorPrimitives.Multiply(dst, _scale, dst);
        if (_offset != 0) TensorPrimitives.Add(dst, _offset, dst);
    }

    /// <summary>Writes sample <paramref name="index"/> of the next batch from ready model inputs (an ink sequence model's <c>InkSequenceFeatures</c>), as they are.</summary>
    /// <exception cref="InvalidOperationException">The model reads image crops (use <see cref="SetInput"/>).</exception>
    public void SetFeatures(int index, ReadOnlySpan<float> features)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_sequence) throw new InvalidOperationException($"{ModelPath}: a '{Metadata.Kind}' model reads image crops, not ink points");
        if ((uint)index >= (uint)MaxBatch) throw new ArgumentOutOfRangeException(nameof(index), $"batch slot {index} outside 0..{MaxBatch - 1}");
        if (features.Length != _pixels) throw new ArgumentException($"{features.Length} input values, the model needs {_pixels}", nameof(features));
        features.CopyTo(_input.AsSpan(index * _pixels, _pixels));
    }

    /// <summary>
    /// Runs the first <paramref name="count"/> crops set by <see cref="SetInput"/> and returns their class
    /// probabilities (count x <see cref="ClassCount"/>, softmax applied). The span is valid until the next run.
    /// </summary>
    public ReadOnlySpan<float> Run(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count < 1 || count > MaxBatch) throw new ArgumentOutOfRangeException(nameof(count), $"batch of {count} outside 1..{MaxBatch}");
        int n = _fixedBatch > 0 ? _fixedBatch : count;
        if (n > count) _input.AsSpan(count * _pixels, (n - count) * _pixels).Clear();
        _session.RunWithBinding(_runOptions, _bindings[n]);
        var probs = _output.AsSpan(0, count * ClassCount);
        if (_logits)
            for (int i = 0; i < count; i++)
            {
                var row = probs.Slice(i * ClassCount, ClassCount);
                StableSoftmax(row);
            }
        return probs;
    }

    /// <summary>
    /// Softmax in place, shifted by the row's maximum first: TensorPrimitives.SoftMax exponentiates the raw
    /// values, so logits below about -87 (or above about 88) in float give 0/0 = NaN and a wrong class.
    /// </summary>
    public static void StableSoftmax(Span<float> row)
    {
        float max = TensorPrimitives.Max(row);
        TensorPrimitives.Subtract(row, max, row);
        TensorPrimitives.SoftMax(row, row);
    }

    /// <summary>
    /// Classifies every crop of <paramref name="crops"/> (8-bit pixels, <see cref="PixelsPerCrop"/> each, back to back) in
    /// runs of up to <see cref="MaxBatch"/>, writing crops x <see cref="ClassCount"/> probabilities into <paramref name="probabilities"/>.
    /// </summary>
    public void Classify(ReadOnlySpan<byte> crops, Span<float> probabilities)
    {
        if (crops.Length % _pixels != 0) throw new ArgumentException($"{crops.Length} bytes is not a whole number of {_pixels}-pixel crops", nameof(crops));
        int count = crops.Length / _pixels;
        if (probabilities.Length < count * ClassCount) throw new ArgumentException($"room for {probabilities.Length} probabilities, {count * ClassCount} needed", nameof(probabilities));
        for (int start = 0; start < count; start += MaxBatch)
        {
            int n = Math.Min(MaxBatch, count - start);
            for (int i = 0; i < n; i++) SetInput(i, crops.Slice((start + i) * _pixels, _pixels));
            Run(n).CopyTo(probabilities.Slice(start * ClassCount, n * ClassCount));
        }
    }

    /// <summary>Index of the best class in one crop's probabilities.</summary>
    public static int ArgMax(ReadOnlySpan<float> probabilities) => TensorPrimitives.IndexOfMax(probabilities);

    /// <summary>Classifies one 28x28 crop (convenience; same path as a batch of one).</summary>
    public (int ClassIndex, float Confidence) ClassifyOne(ReadOnlySpan<byte> pixels)
    {
        SetInput(0, pixels);
        var p = Run(1);
        int best = ArgMax(p);
        return (best, p[best]);
    }

    /// <summary>Releases the session and the tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_bindings is not null) foreach (var b in _bindings) b?.Dispose();
        if (_inputValues is not null) foreach (var v in _inputValues) v?.Dispose();
        if (_outputValues is not null) foreach (var v in _outputValues) v?.Dispose();
        _session?.Dispose();
        _runOptions.Dispose();
    }

    private int CheckShapes(string modelPath, int maxBatch)
    {
        var meta = Metadata;
        if (!_session.InputMetadata.TryGetValue(meta.InputName, out var input))
            throw new ModelLoadException($"{modelPath}: has no input '{meta.InputName}' named in its metadata (inputs: {string.Join(", ", _session.InputMetadata.Keys)})");
        if (!_session.OutputMetadata.TryGetValue(meta.OutputName, out var output))
            throw new ModelLoadException($"{modelPath}: has no output '{meta.OutputName}' named in its metadata (outputs: {string.Join(", ", _session.OutputMetadata.Keys)})");
        if (input.ElementType != typeof(float))
            throw new ModelLoadException($"{modelPath}: input '{meta.InputName}' is {input.ElementType.Name}, expected float");
        var dims = input.Dimensions;
        string shape = "[" + string.Join(",", dims) + "]";
        string expected = "[" + string.Join(",", meta.InputShape) + "]";
        if (dims.Length != 4 || dims[1] != meta.InputShape[1] || dims[2] != meta.InputShape[2] || dims[3] != meta.InputShape[3])
            throw new ModelLoadException($"{modelPath}: input shape {shape} does not match the metadata's {expected}");
        if (dims[0] > 0)
        {
            if (meta.InputShape[0] > 0 && meta.InputShape[0] != dims[0])
                throw new ModelLoadException($"{modelPath}: input batch {dims[0]} does not match the metadata's {expected}");
            _fixedBatch = dims[0];
            maxBatch = dims[0];
        }
        var odims = output.Dimensions;
        if (odims.Length != 2 || odims[1] != meta.Classes.Length)
            throw new ModelLoadException($"{modelPath}: output shape [{string.Join(",", odims)}] gives {(odims.Length > 0 ? odims[^1] : 0)} classes but the metadata lists {meta.Classes.Length} classes ({string.Join(",", meta.Classes)})");
        return maxBatch;
    }

    private static ModelMetadata LoadMetadata(string modelPath)
    {
        try
        {
            return ModelMetadata.LoadFor(modelPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ModelLoadException(OneLine(e.Message), e);
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
