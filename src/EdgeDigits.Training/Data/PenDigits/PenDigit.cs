using EdgeDigits.Core.Inks;

namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>One real pen-written digit: its strokes as an <see cref="Core.Inks.Ink"/>, its label and who wrote it.</summary>
/// <param name="Ink">The strokes in tablet pixels (y pointing down), times in ms; its label is the digit.</param>
/// <param name="Digit">The digit written, 0-9.</param>
/// <param name="Writer">The writer's number (1-30 in the training file, 31-44 in the test file).</param>
/// <param name="Index">The digit's index in the writer's session (from the file's <c>.COMMENT</c>).</param>
public sealed record PenDigit(Ink Ink, int Digit, int Writer, int Index);
