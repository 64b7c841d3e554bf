namespace EdgeDigits.Core.Meters;

/// <summary>How far a meter window's cut is moved, in model-input pixels (1 = 1/28 of the window); <c>default</c> = not moved.</summary>
/// <param name="X">Rightwards.</param>
/// <param name="Y">Downwards (a wheel's roll direction: 2.8 input pixels are about one tenth of a digit).</param>
public readonly record struct CropShift(float X, float Y);
