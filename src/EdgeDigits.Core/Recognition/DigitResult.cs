using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Recognition;

/// <summary>One recognized digit of a <see cref="Reading"/>.</summary>
/// <param name="Character">The digit shown in the text: the class label, or <c>?</c> when uncertain.</param>
/// <param name="ClassIndex">Index of the best class.</param>
/// <param name="Label">Label of the best class (the guess, even when uncertain).</param>
/// <param name="Confidence">Softmax probability of the best class.</param>
/// <param name="Box">Box in source coordinates (frame pixels, or ink panel pixels).</param>
/// <param name="Uncertain">True when <paramref name="Confidence"/> is under the model's threshold.</param>
public readonly record struct DigitResult(char Character, int ClassIndex, string Label, float Confidence, PixelRect Box, bool Uncertain);
