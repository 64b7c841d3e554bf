using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Evaluation;

namespace EdgeDigits.Training.Tests.Evaluation;

public sealed class FormEvaluationTests
{
    private static string Model => Path.Combine(RepoPaths.Models, "digits-int8.onnx");

    [Fact]
    public void ImpliedWholeString_IsTheMeanOfPerDigitAccuracyToEachLength()
    {
        // 9 of 10 digits right; one number of 1 digit, three of 2, none of 3: (0.9 + 3 x 0.81) / 4.
        var c = new PerDigitCeiling(Written: 10, Cut: 10, Right: 9, NumbersRight: 2, Lengths: [1, 3, 0]);
        Assert.Equal(0.9, c.Accuracy, 12);
        Assert.Equal((0.9 + 3 * 0.81) / 4, c.ImpliedWholeString, 12);
        Assert.Equal(0, new PerDigitCeiling(0, 0, 0, 0, [0, 0]).ImpliedWholeString);
    }

    [Fact]
    public void Run_ComposedFrames_CountsEveryWrittenDigitOnce()
    {
        var r = Assert.Single(FormEvaluation.Run([Model], RepoPaths.Mnist, 20, seed: 3, FormKind.Composed, TextWriter.Null));
        var c = r.Ceiling!;
        Assert.Equal(20, c.Lengths.Sum());
        Assert.Equal(c.Lengths.Select((n, l) => n * (l + 1)).Sum(), c.Written);
        Assert.InRange(c.Cut, c.Written - 2, c.Written);
        Assert.InRange(c.Accuracy, 0.95, 1.0);
        Assert.InRange(c.NumbersRight, 0, 20);
        Assert.Contains("per digit on the pipeline's crops", r.ToText());
    }

    [Fact]
    public void Run_LoneMarks_RightReadingIsEmptyAndNoDigitFigures()
    {
        var r = Assert.Single(FormEvaluation.Run([Model], RepoPaths.Mnist, 30, seed: 3, FormKind.LoneMark, TextWriter.Null));
        Assert.Null(r.Ceiling);
        Assert.Equal(30, r.Count);
        Assert.Equal(30 - r.Correct, r.Failures.Count);
        // A failure names the mark and what was read instead of nothing.
        Assert.All(r.Failures, f => Assert.Matches(@"^#\d+ (Stamp|Tick|Cross|Dot|Stroke) read .+$", f));
        Assert.Contains("lone marks (right reading: empty)", r.ToText());
    }
}
