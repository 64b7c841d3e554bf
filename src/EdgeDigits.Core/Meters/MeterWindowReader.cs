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
    private readonly byte[] _window = new byte[MeterWindowNormalizer.Pixels];
    private readonly GrayImage _scratch = new(1, 1);

    /// <summary>Loads the meter model at <paramref name="modelPath"/>; at most <paramref name="maxWindows"/> windows per frame.</summary>
    /// <exception cref="ModelLoadException">The model is missing or unreadable, or it is not a meter wheel model.</exception>
    public MeterWindowReader(string modelPath, int maxWindows = 16, int intraOpThreads = 1)
    {
        _classifier = new DigitClassifier(modelPath, new DigitClassifierOptions { MaxBatch = maxWindows, IntraOpThreads = intraOpThreads });
        var meta = _classifier.Metadata;
        if (meta.Kind != ModelMetadata.MeterTenthsKind)
        {
            _classifier.Dispose();
            throw new ModelLoadException($"{modelPath}: a '{meta.Kind}' model, not a meter wheel model ('{ModelMetadata.MeterTenthsKind}'); read digit windows with models/meter-int8.onnx");
        }
        var defaults = new TenthsDecoder();
        Decoder = defaults with
        {
            ConfidenceThreshold = meta.ConfidenceThreshold,
            CleanTolerance = meta.CleanTolerance ?? defaults.CleanTolerance,
        };
    }

    /// <summary>How outputs become digits (from the model's metadata).</summary>
    public TenthsDecoder Decoder { get; }

    /// <summary>The model file.</summary>
    public string ModelPath => _classifier.ModelPath;

    /// <summary>Most windows per one read.</summary>
    public int MaxWindows => _classifier.MaxBatch;

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
        for (int i = 0; i < windows.Length; i++)
        {
            MeterWindowNormalizer.Normalize(frame, windows[i], alignment, _scratch, _window);
            _classifier.SetInput(i, _window);
        }
        var probabilities = _classifier.Run(windows.Length);
        for (int i = 0; i < windows.Length; i++)
            results[i] = Decoder.Decode(probabilities.Slice(i * TenthsDecoder.Classes, TenthsDecoder.Classes));
    }

    /// <summary>
    /// Runs <paramref name="count"/> windows already normalized by <see cref="MeterWindowNormalizer"/> (28x28 each, back to back)
    /// and returns their class probabilities (count x 100), valid until the next run. For evaluation and tuning.
    /// </summary>
    /// <exception cref="ArgumentException">A count outside 1 … <see cref="MaxWindows"/>, or too few pixels.</exception>
    public ReadOnlySpan<float> Probabilities(ReadOnlySpan<byte> normalizedWindows, int count)
    {
        if (count < 1 || count > MaxWindows) throw new ArgumentException($"{count} windows; this reader takes 1 … {MaxWindows}", nameof(count));
        if (normalizedWindows.Length < count * MeterWindowNormalizer.Pixels) throw new ArgumentException($"{normalizedWindows.Length} pixels for {count} windows", nameof(normalizedWindows));
        for (int i = 0; i < count; i++)
            _classifier.SetInput(i, normalizedWindows.Slice(i * MeterWindowNormalizer.Pixels, MeterWindowNormalizer.Pixels));
        return _classifier.Run(count);
    }

    /// <summary>Releases the classifier.</summary>
    public void Dispose() => _classifier.Dispose();
}
