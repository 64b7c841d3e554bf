namespace EdgeDigits.Core.Meters;

/// <summary>
/// What one meter digit window shows: the position of its counter wheel in tenths of a digit,
/// and, when the wheel stands on a digit, that digit. A wheel caught between two values has no
/// digit here (<see cref="Digit"/> is null, shown as '?'); the digit to its right, the previous
/// value or the next frames settle it.
/// </summary>
/// <param name="Value">Wheel position in [0,10): 3.4 is a 3 rolled 40% of the way to 4.</param>
/// <param name="Digit">The digit the wheel stands on, or null when it is rolling or the model is unsure.</param>
/// <param name="Confidence">Probability mass of the model's output near <paramref name="Value"/>, in [0,1].</param>
public readonly record struct RollingDigit(float Value, int? Digit, float Confidence)
{
    /// <summary>How far the wheel has rolled past <see cref="Lower"/>, in [0,1).</summary>
    public float Roll => Value - MathF.Floor(Value);

    /// <summary>The digit the wheel is leaving (the integer part of <see cref="Value"/>).</summary>
    public int Lower => (int)MathF.Floor(Value) % 10;

    /// <summary>The digit the wheel is rolling to.</summary>
    public int Upper => (Lower + 1) % 10;

    /// <summary>The position to a tenth on the wheel's circle, as the training folders name it ("3.4"; 9.97 is "0.0", not "10.0").</summary>
    public string Position
    {
        get
        {
            int tenths = (int)MathF.Round(Value * 10) % 100;
            return $"{tenths / 10}.{tenths % 10}";
        }
    }

    /// <summary>The text shown for this window: the digit, or '?'.</summary>
    public char Text => Digit is { } d ? (char)('0' + d) : '?';
}
