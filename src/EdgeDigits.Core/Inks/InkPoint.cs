namespace EdgeDigits.Core.Inks;

/// <summary>One sampled pen position: panel pixels and the time in milliseconds.</summary>
/// <param name="X">Column in panel pixels.</param>
/// <param name="Y">Row in panel pixels.</param>
/// <param name="TimeMs">Milliseconds since the recording started.</param>
public readonly record struct InkPoint(float X, float Y, long TimeMs);
