namespace EdgeDigits.Core.Segmentation;

/// <summary>A wide group that <see cref="DigitSegmenter"/> split into pieces, and the other readings of it.</summary>
/// <param name="Whole">The group as one region.</param>
/// <param name="FirstPiece">Index in <see cref="DigitSegmenter.Regions"/> of its first piece (-1 when none survived).</param>
/// <param name="PieceCount">Number of consecutive pieces it was split into.</param>
/// <param name="FirstRun">
/// Index in <see cref="DigitSegmenter.Runs"/> of the first region of two or more consecutive pieces short of the whole
/// (by first piece, then length), so every way to cut the group can be read; -1 when the group has no such runs
/// (two pieces) or a piece held no ink.
/// </param>
public readonly record struct SplitAlternative(DigitRegion Whole, int FirstPiece, int PieceCount, int FirstRun = -1)
{
    /// <summary>Number of runs of <paramref name="pieces"/> pieces that are neither one piece nor the whole group.</summary>
    public static int RunCount(int pieces) => pieces < 3 ? 0 : pieces * (pieces + 1) / 2 - pieces - 1;

    /// <summary>
    /// Offset from <see cref="FirstRun"/> of the run of <paramref name="count"/> pieces from piece <paramref name="first"/>
    /// (2 &lt;= count, and not the whole group), of a group of <paramref name="pieces"/> pieces.
    /// </summary>
    public static int RunOffset(int pieces, int first, int count)
    {
        int offset = 0;
        for (int f = 0; f < first; f++) offset += f == 0 ? pieces - 2 : pieces - f - 1;
        return offset + count - 2;
    }
}
