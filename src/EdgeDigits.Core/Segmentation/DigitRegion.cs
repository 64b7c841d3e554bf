using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Segmentation;

/// <summary>One digit found by <see cref="DigitSegmenter"/>: its box and which ink belongs to it.</summary>
/// <param name="Box">Bounding box in the segmented image.</param>
/// <param name="Group">Group id of its components (pixels of other groups inside the box are not its ink); -1 = all ink in the box.</param>
public readonly record struct DigitRegion(PixelRect Box, int Group);
