using System.Text.Json.Nodes;

namespace EdgeDigits.Training.Evaluation;

/// <summary>
/// How the device reader did on a set of labelled inks: read right, marked unsure (a '?' in the text,
/// which the device shows instead of guessing), or read wrong with confidence.
/// </summary>
/// <param name="Count">Inks read.</param>
/// <param name="Correct">Inks whose reading equals the label.</param>
/// <param name="Unsure">Inks read wrong with at least one digit marked '?'.</param>
/// <param name="Wrong">Inks read wrong with no '?': a confident wrong answer.</param>
/// <param name="LengthMismatch">Inks whose reading has a different number of digits than the label (grouping splits or merges).</param>
public sealed record PenReadFigures(int Count, int Correct, int Unsure, int Wrong, int LengthMismatch)
{
    /// <summary>No inks read yet.</summary>
    public static PenReadFigures Empty { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Correct / count.</summary>
    public double Accuracy => Rate(Correct);

    /// <summary>Unsure / count.</summary>
    public double UnsureRate => Rate(Unsure);

    /// <summary>Wrong / count.</summary>
    public double WrongRate => Rate(Wrong);

    /// <summary>Tallies one reading <paramref name="text"/> of an ink labelled <paramref name="label"/>.</summary>
    public PenReadFigures Add(string text, string label)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(label);
        bool correct = text == label, unsure = !correct && text.Contains('?', StringComparison.Ordinal);
        return new PenReadFigures(Count + 1, Correct + (correct ? 1 : 0), Unsure + (unsure ? 1 : 0), Wrong + (!correct && !unsure ? 1 : 0),
            LengthMismatch + (text.Length != label.Length ? 1 : 0));
    }

    /// <summary>The figures as JSON (counts and rates rounded to 5 decimals).</summary>
    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["correct"] = Correct,
        ["unsure"] = Unsure,
        ["wrong"] = Wrong,
        ["lengthMismatch"] = LengthMismatch,
        ["accuracy"] = Math.Round(Accuracy, 5),
        ["unsureRate"] = Math.Round(UnsureRate, 5),
        ["wrongRate"] = Math.Round(WrongRate, 5),
    };

    private double Rate(int n) => Count == 0 ? 0 : (double)n / Count;
}
