using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Baselines;

/// <summary>
/// Turns a 28x28 digit crop into a feature vector for a classical learner. Fitted once on the training
/// set (PCA learns its basis there), then applied the same way to every image, training or test.
/// </summary>
public abstract class FeatureExtractor
{
    /// <summary>The registry name ("pixels", "pca", "hog").</summary>
    public abstract string Name { get; }

    /// <summary>Length of the feature vector.</summary>
    public abstract int Dimension { get; }

    /// <summary>Bytes of fitted parameters (counted into the baseline's size).</summary>
    public virtual long ParameterBytes => 0;

    /// <summary>Learns what the extractor needs from the training set (nothing by default).</summary>
    public virtual void Fit(DigitSet train, TextWriter progress)
    {
    }

    /// <summary>Writes the features of one 28x28 image into <paramref name="destination"/> (at least <see cref="Dimension"/> values).</summary>
    /// <exception cref="ArgumentException">The image is not 28x28 (784 bytes) or the destination is too short.</exception>
    public void Extract(ReadOnlySpan<byte> image, Span<float> destination)
    {
        if (image.Length != DigitSet.ImageSize)
            throw new ArgumentException($"features: image has {image.Length} pixels, expected {DigitSet.Side}x{DigitSet.Side} = {DigitSet.ImageSize}", nameof(image));
        if (destination.Length < Dimension)
            throw new ArgumentException($"features: destination has {destination.Length} values, {Name} needs {Dimension}", nameof(destination));
        ExtractCore(image, destination[..Dimension]);
    }

    /// <summary>The features of every image of <paramref name="set"/> (computed in parallel).</summary>
    public FeatureMatrix ExtractAll(DigitSet set)
    {
        var dim = Dimension;
        var data = new float[(long)set.Count * dim];
        Parallel.For(0, set.Count, i => ExtractCore(set.Image(i), data.AsSpan(i * dim, dim)));
        return new FeatureMatrix(data, set.Count, dim);
    }

    /// <summary>Writes the features of a checked 784-byte image into exactly <see cref="Dimension"/> values.</summary>
    protected abstract void ExtractCore(ReadOnlySpan<byte> image, Span<float> destination);
}

/// <summary>Raw pixel intensities scaled to [0, 1]: 784 values.</summary>
public sealed class PixelFeatures : FeatureExtractor
{
    /// <inheritdoc/>
    public override string Name => "pixels";

    /// <inheritdoc/>
    public override int Dimension => DigitSet.ImageSize;

    /// <inheritdoc/>
    protected override void ExtractCore(ReadOnlySpan<byte> image, Span<float> destination)
    {
        for (var i = 0; i < image.Length; i++) destination[i] = image[i] * (1f / 255f);
    }
}
