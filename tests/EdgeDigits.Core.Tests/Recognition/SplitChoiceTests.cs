using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Core.Tests.Recognition;

public class SplitChoiceTests
{
    /// <summary>Log scores of every run, from probabilities given as [first][count - 1].</summary>
    private static float[] Scores(params float[][] byFirst)
    {
        int n = byFirst.Length;
        var s = new float[n * n];
        for (int first = 0; first < n; first++)
            for (int c = 0; c < byFirst[first].Length; c++) s[first * n + c] = MathF.Log(byFirst[first][c]);
        return s;
    }

    [Fact]
    public void Best_TwoClearDigitsAndAnUnsureWhole_Cuts()
    {
        // Pieces read 0.95 and 0.9; both as one crop read 0.6.
        Assert.Equal(0b1, SplitChoice.Best(Scores([0.95f, 0.6f], [0.9f]), 2));
    }

    [Fact]
    public void Best_WholeReadsBetterThanItsPieces_KeepsWhole()
    {
        // A 4 in two strokes: the bar reads 0.5, the stem 0.95 (a 1), the whole 0.9.
        Assert.Equal(0, SplitChoice.Best(Scores([0.5f, 0.9f], [0.95f]), 2));
    }

    [Fact]
    public void Best_ConfidentWholeAgainstTwoConfidentDigits_GeometricMeanDecides()
    {
        // The product would keep the whole (0.93 > 0.97 x 0.95 = 0.92); the mean per digit cuts (0.96 > 0.93).
        Assert.Equal(0b1, SplitChoice.Best(Scores([0.97f, 0.93f], [0.95f]), 2));
    }

    [Fact]
    public void Best_Tie_KeepsFewerCuts()
    {
        Assert.Equal(0, SplitChoice.Best(Scores([0.9f, 0.9f], [0.9f]), 2));
    }

    [Fact]
    public void Best_ThreePieces_CutsOnlyWhereItHelps()
    {
        // Pieces 0 and 1 are one digit (0.95 together, 0.4 and 0.5 apart); piece 2 is a digit of its own.
        var scores = Scores([0.4f, 0.95f, 0.3f], [0.5f, 0.2f], [0.9f]);
        Assert.Equal(0b10, SplitChoice.Best(scores, 3));
    }

    [Fact]
    public void Best_PiecesOutsideRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SplitChoice.Best(new float[81], 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => SplitChoice.Best(new float[1], 0));
        Assert.Throws<ArgumentException>(() => SplitChoice.Best(new float[3], 2));
    }
}
