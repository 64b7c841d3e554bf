namespace EdgeDigits.Core.Meters;

/// <summary>The settled reading of a meter's digit windows.</summary>
/// <param name="Text">The digits, most significant first; '?' where a wheel could not be settled.</param>
/// <param name="Value">The reading with the last wheel's roll as a fraction (e.g. 1234.6), or null when a digit is '?'.</param>
/// <param name="SettledFromContext">Positions (0-based, left to right) whose digit was settled from the wheel to their right rather than read as clean.</param>
public sealed record MeterValue(string Text, double? Value, IReadOnlyList<int> SettledFromContext);

/// <summary>
/// Settles a row of counter wheels into one number the way the counter's gears work: a wheel only moves while the
/// wheel to its right passes from 9 to 0, so a wheel caught between d and d+1 still counts d until the wheel to its
/// right has come round to 0. From the right-hand wheel's settled position the gear model predicts how far a wheel
/// should have rolled; the wheel counts the digit its position minus that roll is nearest to. The least significant
/// wheel counts the digit it stands on, or, while it rolls, the digit it is leaving and gives the value its fraction,
/// so the value stays continuous across a carry even when a reading is a little off. Windows whose position the model could not read with confidence stay '?'.
/// </summary>
public sealed record MeterValueResolver
{
    /// <summary>
    /// The right-hand wheel's position at which the carry is taken to start; the expected roll then grows linearly to a
    /// whole digit at 10. Counters carry over the last 1 to 2 digits of the right-hand wheel; 8.5 lies between, so
    /// either kind stays within half a digit of the prediction.
    /// </summary>
    public float CarryStart { get; init; } = 8.5f;

    /// <summary>Lowest confidence of a window's position that is used; below it the digit is '?'.</summary>
    public float MinimumConfidence { get; init; } = 0.3f;

    /// <summary>Settles <paramref name="wheels"/> (most significant first).</summary>
    public MeterValue Resolve(ReadOnlySpan<RollingDigit> wheels)
    {
        if (wheels.Length == 0) return new MeterValue("", null, []);
        Span<char> text = stackalloc char[wheels.Length];
        var settled = new List<int>();
        var unknown = false;
        float right = 0, fraction = 0;
        for (int i = wheels.Length - 1; i >= 0; i--)
        {
            var w = wheels[i];
            if (w.Confidence < MinimumConfidence)
            {
                text[i] = '?';
                unknown = true;
                right = w.Value;
                continue;
            }
            int digit;
            if (i == wheels.Length - 1)
            {
                // The last wheel: the digit it stands on when it stands on one, else the digit it is leaving and its roll.
                digit = w.Digit ?? w.Lower;
                fraction = w.Digit is null ? w.Roll : 0;
            }
            else
            {
                float expectedRoll = Math.Clamp((right - CarryStart) / (10 - CarryStart), 0, 1);
                digit = (((int)MathF.Round(w.Value - expectedRoll)) % 10 + 10) % 10;
            }
            if (w.Digit != digit) settled.Add(i);
            text[i] = (char)('0' + digit);
            // The next wheel to the left sees this one where it was settled: on its digit when it stands on it.
            right = w.Digit == digit ? digit : w.Value;
        }
        settled.Reverse();
        var s = new string(text);
        double? value = null;
        if (!unknown)
        {
            value = double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) + Math.Round(fraction, 1);
        }
        return new MeterValue(s, value, settled);
    }
}
