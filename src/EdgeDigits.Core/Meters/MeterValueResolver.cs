namespace EdgeDigits.Core.Meters;

/// <summary>The settled reading of a meter's digit windows.</summary>
/// <param name="Text">The digits, most significant first; '?' where a wheel could not be settled.</param>
/// <param name="Value">The reading with the last wheel's roll to a tenth as a fraction (e.g. 1234.6; the floor of it is <paramref name="Text"/>; the fraction is <see cref="Tenth"/>), or null when a digit is '?'.</param>
/// <param name="SettledFromContext">Positions (0-based, left to right) whose digit was settled from the wheel to their right rather than read as clean.</param>
public sealed record MeterValue(string Text, double? Value, IReadOnlyList<int> SettledFromContext)
{
    /// <summary>What the lowest wheel counted (<see cref="LowestWheelFloor"/>), or null when it was not read with confidence.</summary>
    public LowestWheelCount? Lowest { get; init; }

    /// <summary>
    /// The lowest wheel's roll past the digit it counted, to a tenth (<see cref="LowestWheelCount.Tenth"/>: 0 … 9, so with the
    /// digits it never disagrees), or null when the lowest wheel counted nothing. Known also when a higher wheel is '?'.
    /// </summary>
    public int? Tenth => Lowest?.Tenth;
}

/// <summary>
/// Settles a row of counter wheels into one number the way the counter's gears work: a wheel only moves while the
/// wheel to its right passes from 9 to 0, so a wheel caught between d and d+1 still counts d until the wheel to its
/// right has come round to 0. From the right-hand wheel's settled position the gear model predicts how far a wheel
/// should have rolled; the wheel counts the digit its position minus that roll is nearest to. The least significant
/// wheel counts the floor of its position (<see cref="LowestWheel"/>: 3.8 counts 3, as the meter means it; just below a whole
/// digit it is '?' until it settles) and gives the value its fraction, so the value stays continuous across a carry even
/// when a reading is a little off. Windows whose position the model could not read with confidence stay '?'.
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

    /// <summary>How the least significant wheel counts: the floor of its position, with a hysteresis band and a wait just below a digit.</summary>
    public LowestWheelFloor LowestWheel { get; init; } = new();

    /// <summary>
    /// Settles <paramref name="wheels"/> (most significant first); <paramref name="previous"/> is the previous reading of the same
    /// meter (null: none), from which the lowest wheel keeps its digit (<see cref="LowestWheelFloor.Band"/>) or counts how long it has waited.
    /// </summary>
    public MeterValue Resolve(ReadOnlySpan<RollingDigit> wheels, MeterValue? previous = null)
    {
        if (wheels.Length == 0) return new MeterValue("", null, []);
        Span<char> text = stackalloc char[wheels.Length];
        var settled = new List<int>();
        var unknown = false;
        float right = 0;
        LowestWheelCount? lowest = null;
        for (int i = wheels.Length - 1; i >= 0; i--)
        {
            var w = wheels[i];
            if (w.Confidence < MinimumConfidence)
            {
                // An unread lowest wheel counted nothing: the next reading waits against it rather than start afresh.
                if (i == wheels.Length - 1) lowest = new LowestWheelCount(null, 0, false, 0);
                text[i] = '?';
                unknown = true;
                right = w.Value;
                continue;
            }
            int digit;
            if (i == wheels.Length - 1)
            {
                // The last wheel counts the floor of its position; the next wheel to the left sees it where it was counted
                // (0.1 kept at 0 has carried, 9.95 waiting below 0 has not).
                var count = LowestWheel.Count(w.Value, previous is { Text.Length: var n } && n == wheels.Length ? previous.Lowest : null);
                lowest = count;
                if (count.Digit is not { } d)
                {
                    text[i] = '?';
                    unknown = true;
                    right = w.Value;
                    continue;
                }
                digit = d;
                right = digit + count.Roll;
            }
            else
            {
                float expectedRoll = Math.Clamp((right - CarryStart) / (10 - CarryStart), 0, 1);
                digit = (((int)MathF.Round(w.Value - expectedRoll)) % 10 + 10) % 10;
                if (w.Digit != digit) settled.Add(i);
                // The next wheel to the left sees this one where it was settled: on its digit when it stands on it.
                right = w.Digit == digit ? digit : w.Value;
            }
            text[i] = (char)('0' + digit);
        }
        settled.Reverse();
        var s = new string(text);
        double? value = null;
        if (!unknown)
        {
            // To a tenth, never up to the next whole digit (LowestWheelCount.Tenth): 0.97 past 3 is 3.9. Whole tenths divided by
            // ten, so 1234.6 is the double nearest to 1234.6, not 1234 + 0.6.
            value = (double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) * 10 + lowest!.Value.Tenth!.Value) / 10;
        }
        return new MeterValue(s, value, settled) { Lowest = lowest };
    }
}
