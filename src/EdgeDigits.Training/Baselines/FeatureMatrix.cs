namespace EdgeDigits.Training.Baselines;

/// <summary>Feature vectors of a set of images, one row per image, stored back to back.</summary>
public sealed class FeatureMatrix
{
    /// <summary>Wraps <paramref name="data"/> (taken as is) as <paramref name="rows"/> rows of <paramref name="dimension"/> values.</summary>
    /// <exception cref="ArgumentException">The lengths disagree.</exception>
    public FeatureMatrix(float[] data, int rows, int dimension)
    {
        if (rows < 0 || dimension <= 0 || data.Length != (long)rows * dimension)
            throw new ArgumentException($"{data.Length} values do not make {rows} rows of {dimension}", nameof(data));
        Data = data;
        Rows = rows;
        Dimension = dimension;
    }

    /// <summary>All rows back to back.</summary>
    public float[] Data { get; }

    /// <summary>Number of rows (images).</summary>
    public int Rows { get; }

    /// <summary>Values per row.</summary>
    public int Dimension { get; }

    /// <summary>Row <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Row(int index) => Data.AsSpan(index * Dimension, Dimension);
}
