using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Models;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.PenDigits;

namespace EdgeDigits.Training.Quantization;

/// <summary>
/// The samples a model is calibrated on, each preprocessed exactly as the device feeds the model: images for a
/// <see cref="ModelMetadata.DigitKind"/> or <see cref="ModelMetadata.MeterTenthsKind"/> model, pen inks read by Core's
/// <see cref="InkSequenceFeatures"/> for an <see cref="ModelMetadata.InkSequenceKind"/> model.
/// </summary>
public abstract class CalibrationData
{
    /// <summary>Number of samples.</summary>
    public abstract int Count { get; }

    /// <summary>Dimensions of one sample, batch left out (the model input is [N, ...this]).</summary>
    public abstract int[] SampleShape { get; }

    /// <summary>What one sample is, for progress lines ("images", "inks").</summary>
    public abstract string Unit { get; }

    /// <summary>Floats per sample.</summary>
    public int SampleSize => SampleShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Writes samples <paramref name="start"/>..start+count-1, back to back, into <paramref name="destination"/>.</summary>
    public abstract void Fill(int start, int count, Span<float> destination);

    /// <summary>28x28 images, pixel value = byte/255·<see cref="ModelMetadata.Scale"/> + <see cref="ModelMetadata.Offset"/> of <paramref name="metadata"/>.</summary>
    public static CalibrationData Images(DigitSet images, ModelMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(metadata);
        return new ImageData(images, metadata.Scale, metadata.Offset);
    }

    /// <summary>
    /// Inks as the ink sequence model reads them: each ink's strokes resampled to <paramref name="length"/> points by
    /// <see cref="InkSequenceFeatures"/> (the device's feature builder).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is below 2.</exception>
    public static CalibrationData Inks(IReadOnlyList<Ink> inks, int length)
    {
        ArgumentNullException.ThrowIfNull(inks);
        var f = new InkSequenceFeatures(length);
        var values = new float[inks.Count * f.Size];
        for (int i = 0; i < inks.Count; i++) f.Extract(inks[i], values.AsSpan(i * f.Size, f.Size));
        return new FeatureData(values, inks.Count, [InkSequenceFeatures.Channels, 1, length]);
    }

    /// <summary>
    /// A class-balanced, seeded sample of at most <paramref name="samples"/> pen digits of <paramref name="writers"/> from the
    /// UCI pen-digit folder <paramref name="penDir"/>, as <see cref="Inks"/> of <paramref name="length"/> points.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder is missing.</exception>
    /// <exception cref="InvalidDataException">Bad pen files, or no digits by those writers.</exception>
    public static CalibrationData PenDigits(string penDir, WriterRange writers, int samples, int length, int seed)
    {
        var digits = PenDigitCrops.OfWriters(PenDigitsFiles.Load(penDir), writers, penDir);
        var pick = DatasetLoader.BalancedIndices(digits.Select(d => d.Digit).ToArray(), DigitSet.DigitClasses.Count, samples, seed);
        return Inks(pick.Select(i => digits[i].Ink).ToArray(), length);
    }

    private sealed class ImageData(DigitSet set, float scale, float offset) : CalibrationData
    {
        public override int Count => set.Count;

        public override int[] SampleShape => [1, DigitSet.Side, DigitSet.Side];

        public override string Unit => "images";

        public override void Fill(int start, int count, Span<float> destination)
        {
            for (var i = 0; i < count; i++) set.CopyImageAsFloat(start + i, destination.Slice(i * DigitSet.ImageSize, DigitSet.ImageSize), scale, offset);
        }
    }

    private sealed class FeatureData(float[] values, int count, int[] shape) : CalibrationData
    {
        public override int Count => count;

        public override int[] SampleShape => shape;

        public override string Unit => "inks";

        public override void Fill(int start, int n, Span<float> destination)
        {
            if ((uint)start > (uint)count || n < 0 || start + n > count) throw new ArgumentOutOfRangeException(nameof(n), $"samples {start}..{start + n - 1} outside 0..{count - 1}");
            values.AsSpan(start * SampleSize, n * SampleSize).CopyTo(destination);
        }
    }
}
