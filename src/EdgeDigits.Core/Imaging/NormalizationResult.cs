namespace EdgeDigits.Core.Imaging;

/// <summary>What <see cref="DigitNormalizer"/> did with one crop.</summary>
/// <param name="IsEmpty">True when the crop held no ink; the 28x28 output is then all zero.</param>
/// <param name="InkBox">Bounding box of the ink inside the crop.</param>
/// <param name="ScaledWidth">Width of the ink after scaling (the longer side is 20).</param>
/// <param name="ScaledHeight">Height of the ink after scaling.</param>
/// <param name="OffsetX">Column of the scaled ink's left edge in the 28x28 output.</param>
/// <param name="OffsetY">Row of the scaled ink's top edge in the 28x28 output.</param>
public readonly record struct NormalizationResult(bool IsEmpty, PixelRect InkBox, int ScaledWidth, int ScaledHeight, int OffsetX, int OffsetY)
{
    /// <summary>The result for a crop without ink.</summary>
    public static NormalizationResult Empty => new(true, default, 0, 0, 0, 0);
}
