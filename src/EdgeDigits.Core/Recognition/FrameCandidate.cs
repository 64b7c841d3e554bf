using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Recognition;

/// <summary>What became of a candidate crop of a frame (<c>read --debug-dir</c> lists each with its fate).</summary>
public enum CandidateFate
{
    /// <summary>Read as a digit of the number.</summary>
    Kept,

    /// <summary>The model's reject class said "not a digit" with confidence.</summary>
    NotADigit,

    /// <summary>Outside the row of candidates that reads best as a number (<see cref="NumberRowOptions"/>).</summary>
    OutsideNumberRow,

    /// <summary>One reading of a group in doubt (whole, or cut into pieces) that lost to another (<see cref="SplitChoice"/>).</summary>
    CutNotTaken,

    /// <summary>
    /// A group stacked in layers read whole, which lost to its layers read apart (a digit and a mark above or below it;
    /// <see cref="NumberReaderOptions.LayerMargin"/>).
    /// </summary>
    WholeNotTaken,

    /// <summary>A layer of a stacked group whose whole read better than its layers apart (<see cref="NumberReaderOptions.LayerMargin"/>).</summary>
    LayerNotTaken,
}

/// <summary>One candidate crop of the last frame read and what the reader made of it.</summary>
/// <param name="Crop">Index of its crop (<see cref="NumberReader.Crop"/>).</param>
/// <param name="Box">Its box in source coordinates.</param>
/// <param name="ClassIndex">The model's best class.</param>
/// <param name="Confidence">That class's probability.</param>
/// <param name="NoneProbability">Probability of the reject class (0 for a model without one).</param>
/// <param name="Fate">Kept, or why not.</param>
public readonly record struct FrameCandidate(int Crop, PixelRect Box, int ClassIndex, float Confidence, float NoneProbability, CandidateFate Fate);
