using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Segmentation;

/// <summary>Statistics of one connected component of ink.</summary>
/// <param name="Box">Bounding box.</param>
/// <param name="Area">Number of ink pixels.</param>
/// <param name="SumX">Sum of the pixels' columns (centroid = SumX / Area).</param>
/// <param name="SumY">Sum of the pixels' rows.</param>
public readonly record struct Component(PixelRect Box, int Area, long SumX, long SumY)
{
    /// <summary>Centroid column.</summary>
    public double CentroidX => Area == 0 ? 0 : (double)SumX / Area;

    /// <summary>Centroid row.</summary>
    public double CentroidY => Area == 0 ? 0 : (double)SumY / Area;
}
