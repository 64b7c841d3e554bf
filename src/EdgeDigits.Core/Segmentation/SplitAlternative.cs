namespace EdgeDigits.Core.Segmentation;

/// <summary>A wide group that <see cref="DigitSegmenter"/> split into pieces, and the unsplit reading of it.</summary>
/// <param name="Whole">The group as one region.</param>
/// <param name="FirstPiece">Index in <see cref="DigitSegmenter.Regions"/> of its first piece (-1 when none survived).</param>
/// <param name="PieceCount">Number of consecutive pieces it was split into.</param>
public readonly record struct SplitAlternative(DigitRegion Whole, int FirstPiece, int PieceCount);
