namespace EdgeDigits.Training.Data.Sources;

/// <summary>
/// One USPS digit as published: its label, a name that keeps its place in the source (file name or
/// line number) and 16x16 grey pixels, row-major, dark ink (0) on light paper (255).
/// </summary>
/// <param name="Label">The digit, 0..9.</param>
/// <param name="Name">File name without extension, e.g. <c>usps_train_0042</c>; unique within its label.</param>
/// <param name="Pixels">256 bytes, dark ink on light paper.</param>
public sealed record UspsDigit(int Label, string Name, byte[] Pixels)
{
    /// <summary>Side of a USPS digit image in pixels.</summary>
    public const int Side = 16;
}
