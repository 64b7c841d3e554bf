using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Core.Meters;

/// <summary>
/// Reads a meter's digit windows: every window of a frame is normalized (<see cref="MeterWindowNormalizer"/>) into one
/// batch, classified in one ONNX Runtime run by a <see cref="ModelMetadata.MeterTenthsKind"/> model, and decoded into
/// wheel positions (<see cref="TenthsDecoder"/>). No segmentation: a window is one digit. Allocates nothing per frame.
/// Owns its classifier; dispose it. Not thread-safe.
/// </summary>
public sealed class MeterWindowReader : IDisposable
{
    private readonly DigitClassifier _classifier;
    private readonly byte[] _cuts;
    private readonly float[] _averaged;
    private readonly GrayImage _scratch = new(1, 1);

    /// <summary>
    /// Loads the meter model at <paramref name="modelPath"/>; at most <paramref name="maxWindows"/> windows per frame, each read as
    /// the cuts of <paramref name="crops"/> (null: as the model's metadata says, <see cref="ModelMetadata.TestTimeCrops"/>; one cut when it is silent).
    /// </summary>
    /// <exception cref="ModelLoadException">The model is missing or unreadable, or it is not a meter wheel model.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWindows"/> is below 1.</exception>
    public MeterWindowReader(string modelPath, int maxWindows = 16, int intraOpThreads = 1, MeterTestTimeCrops? crops = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindows, 1);
        Crops = crops ?? CropsOf(modelPath);
        _classifier = new DigitClassifier(modelPath, new DigitClassifierOptions { MaxBatch = maxWindows * Crops.Count, IntraOpThreads = intraOpThreads });
        var meta = _classifier.Metadata;
        if (meta.Kind != ModelMetadata.MeterTenthsKind)
        {
            _classifier.Dispose();
            throw new ModelLoadException($"{modelPath}: a '{meta.Kind}' model, not a meter wheel model ('{ModelMetadata.MeterTenthsKind}'); read digit windows with models/meter-int8.onnx");
        }
        MaxWindows = maxWindows;
        _cuts = new byte[Crops.Count * MeterWindowNormalizer.Pixels];
        _averaged = new float[maxWindows * TenthsDecoder.Classes];
        var defaults = new TenthsDecoder();
        Decoder = defaults with
        {
            ConfidenceThreshold = meta.ConfidenceThreshold,
            CleanTolerance = meta.CleanTolerance ?? defaults.CleanTolerance,
            Confidence = meta.ConfidenceMeasure is { } measure ? TenthsDecoder.ConfidenceNames[measure] : defaults.Confidence,
        };
    }

    /// <summary>The test-time cuts the model's metadata asks for (<see cref="ModelMetadata.TestTimeCrops"/>), or one.</summary>
    private static MeterTestTimeCrops CropsOf(string modelPath)
    {
        try
        {
            return ModelMetadata.LoadFor(modelPath).TestTimeCrops is { } k ? new MeterTestTimeCrops(k) : MeterTestTimeCrops.None;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ModelLoadException(e.Message.ReplaceLineEndings(" ").Trim(), e);
        }
    }

    /// <summary>How outputs become digits (from the model's metadata).</summary>
    public TenthsDecoder Decoder { get; }

    /// <summary>The model file.</summary>
    public string ModelPath => _classifier.ModelPath;

    /// <summary>Most windows per one read.</summary>
    public int MaxWindows { get; }

    /// <summary>The cuts each window is read as, their probabilities averaged (<see cref="MeterTestTimeCrops"/>).</summary>
    public MeterTestTimeCrops Crops { get; }

    /// <summary>Reads <paramref name="windows"/> of <paramref name="frame"/> into <paramref name="results"/> (same order), in one batch.</summary>
    /// <exception cref="ArgumentException">No windows, more than <see cref="MaxWindows"/>, a window outside the frame, or too few result slots.</exception>
    public void Read(GrayImage frame, ReadOnlySpan<PixelRect> windows, Span<RollingDigit> results) =>
        Read(frame, windows, FrameTransform.Identity, results);

    /// <summary>
    /// Reads <paramref name="windows"/> (boxes on the reference image) of a frame that moved by <paramref name="alignment"/>
    /// (reference to frame, from an <see cref="IFrameAligner"/>) into <paramref name="results"/>, in one batch.
    /// </summary>
    /// <exception cref="ArgumentException">No windows, more than <see cref="MaxWindows"/>, a window outside the frame once moved, or too few result slots.</exception>
    public void Read(GrayImage frame, ReadOnlySpan<PixelRect> windows, FrameTransform alignment, Span<RollingDigit> results)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (windows.Length < 1 || windows.Length > MaxWindows) throw new ArgumentException($"{windows.Length} windows; this reader takes 1 … {MaxWindows}", nameof(windows));
        if (results.Length < windows.Length) throw new ArgumentException($"{results.Length} result slots for {windows.Length} windows", nameof(results));
        int cuts = Crops.Count;
        for (int i = 0; i < windows.Length; i++)
        {
            MeterWindowNormalizer.Normalize(frame, windows[i], alignment, _scratch, Crops.Shifts, _cuts);
            for (int k = 0; k < cuts; k++)
                _classifier.SetInput(i * cuts + k, _cuts.AsSpan(k * MeterWindowNormalizer.Pixels, MeterWindowNormalizer.Pixels));
        }
        var probabilities = Averaged(windows.Length);
        for (int i = 0; i < windows.Length; i++)
            results[i] = Decoder.Decode(probabilities.Slice(i * TenthsDecoder.Classes, TenthsDecoder.Classes));
    }

    /// <summary>
    /// Runs <paramref name="count"/> windows already normalized by <see cref="MeterWindowNormalizer"/>, each as its
    /// <see cref="Crops"/> cuts (28x28 each, back to back, window-major: count x <see cref="MeterTestTimeCrops.Count"/> cuts),
    /// and returns their averaged class probabilities (count x 100), valid until the next run. For evaluation and tuning.
    /// </summary>
    /// <exception cref="ArgumentException">A count outside 1 … <see cref="MaxWindows"/>, or too few pixels.</exception>
    public ReadOnlySpan<float> Probabilities(ReadOnlySpan<byte> normalizedWindows, int count)
    {
        if (count < 1 || count > MaxWindows) throw new ArgumentException($"{count} windows; this reader takes 1 … {MaxWindows}", nameof(count));
        int inputs = count * Crops.Count;
        if (normalizedWindows.Length < inputs * MeterWindowNormalizer.Pixels) throw new ArgumentException($"{normalizedWindows.Length} pixels for {count} windows x {Crops.Count} cuts", nameof(normalizedWindows));
        for (int i = 0; i < inputs; i++)
            _classifier.SetInput(i, normalizedWindows.Slice(i * MeterWindowNormalizer.Pixels, MeterWindowNormalizer.Pixels));
        return Averaged(count);
    }

    /// <summary>Runs the <paramref name="count"/> windows' cuts set as inputs and returns the probabilities averaged per window.</summary>
    private ReadOnlySpan<float> Averaged(int count)
    {
        var probabilities = _classifier.Run(count * Crops.Count);
        if (Crops.Count == 1) return probabilities;
        Crops.Average(probabilities, count, TenthsDecoder.Classes, _averaged);
        return _averaged.AsSpan(0, count * TenthsDecoder.Classes);
    }

    /// <summary>Releases the classifier.</summary>
    public void Dispose() => _classifier.Dispose();
}
