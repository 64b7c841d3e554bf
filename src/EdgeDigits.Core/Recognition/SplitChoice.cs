namespace EdgeDigits.Core.Recognition;

/// <summary>
/// Chooses how to cut an ink group whose pieces (left to right) may be one digit or several: every way to
/// cut them into runs of consecutive pieces is scored by the classifier's reading of each run's crop.
/// </summary>
internal static class SplitChoice
{
    /// <summary>Most pieces weighed (2^(pieces-1) ways to cut them).</summary>
    public const int MaxPieces = 8;

    /// <summary>
    /// Returns the best cut as a bit mask (bit i set: a cut between piece i and piece i+1; 0 keeps the group
    /// whole). <paramref name="logScores"/>[first * pieces + count - 1] is the log of the best digit probability
    /// of the crop of pieces first to first + count - 1. A way to cut scores the mean of its runs' log
    /// probabilities (the geometric mean of the probabilities): how well its digits read on average. The product
    /// would be the chance that every crop is the digit read, but it charges each extra digit a factor below 1,
    /// so it leans to the whole, and the classifier is often sure of a crop it has never been taught, such as two
    /// narrow digits squeezed into one box (a "44" read as a 4 at 0.99). On composed pen strings of writers 1-24
    /// (seeds 1-4) the mean merged 30-50% fewer digit pairs than the product, at nearly the same single-digit and
    /// traced-ink accuracy (src/EdgeDigits.Training/Data/PenDigits/README.md). Ties keep the fewer cuts.
    /// </summary>
    public static int Best(ReadOnlySpan<float> logScores, int pieces)
    {
        if (pieces < 1 || pieces > MaxPieces) throw new ArgumentOutOfRangeException(nameof(pieces), $"{pieces} pieces outside 1..{MaxPieces}");
        if (logScores.Length < pieces * pieces) throw new ArgumentException($"needs {pieces * pieces} scores, got {logScores.Length}", nameof(logScores));
        int best = 0;
        float bestScore = float.NegativeInfinity;
        for (int mask = 0; mask < 1 << (pieces - 1); mask++)
        {
            float sum = 0;
            int runs = 0;
            for (int start = 0, end = 1; end <= pieces; end++)
            {
                if (end < pieces && (mask >> (end - 1) & 1) == 0) continue;
                sum += logScores[start * pieces + end - start - 1];
                runs++;
                start = end;
            }
            float score = sum / runs;
            if (score > bestScore || (score == bestScore && CutCount(mask) < CutCount(best))) { bestScore = score; best = mask; }
        }
        return best;
    }

    private static int CutCount(int mask) => System.Numerics.BitOperations.PopCount((uint)mask);
}
