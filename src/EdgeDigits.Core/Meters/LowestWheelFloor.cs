namespace EdgeDigits.Core.Meters;

/// <summary>
/// How the least significant wheel counts: a meter's reading is the floor of its lowest wheel, as the meter's own face
/// means it and as other meter readers publish it (a wheel at 3.8 still counts 3; AI-on-the-edge-device publishes the
/// floor unless ExtendedResolution asks for the tenth). Just below a whole digit d the model cannot tell d − 0.1 from d
/// (its classes are tenths, and a wheel standing on d reads a little either side of it), so three named rules decide there:
/// <list type="bullet">
/// <item><see cref="Band"/> (hysteresis): a wheel that counted d in the previous reading keeps counting d while it reads
/// d − Band or more, so a wheel standing on d does not flicker between d − 1 and d;</item>
/// <item><see cref="Snap"/>: a wheel reading less than Snap below d stands on d (a wheel on d reads a hair either side of it);</item>
/// <item><see cref="Settle"/>: otherwise a wheel reading less than Settle below d is between d − 1 and d: it counts nothing
/// ('?'), and the reading waits for the next one, where the wheel has moved on (the meter never publishes a guess);</item>
/// <item><see cref="SettleReadings"/>: a wheel that stays there that many readings in a row stands still below d: it counts d − 1
/// (and keeps counting it while it stays).</item>
/// </list>
/// The first reading (no previous one) has nothing to wait against and counts d there.
/// </summary>
public sealed record LowestWheelFloor
{
    /// <summary>How far below a whole digit d (in digits) a wheel that counted d in the previous reading may read and still count d.</summary>
    public float Band { get; init; } = 0.15f;

    /// <summary>
    /// How far below a whole digit d a wheel may read and stand on d. 0.02 was chosen on the replayed sequence of seed 3 (the
    /// largest snap that counted no window of d − 0.1 as d there; seeds 1 and 2 are the figures' own and were not looked at).
    /// </summary>
    public float Snap { get; init; } = 0.02f;

    /// <summary>How far below a whole digit d a wheel that did not count d before is between d − 1 and d (one tenth class of the model); 0 = never.</summary>
    public float Settle { get; init; } = 0.1f;

    /// <summary>Readings in a row between d − 1 and d after which the wheel counts d − 1 (it stands still there).</summary>
    public int SettleReadings { get; init; } = 3;

    /// <summary>
    /// What a lowest wheel at <paramref name="position"/> (in [0,10)) counts, given what it counted in the previous reading
    /// (<paramref name="previous"/>; null: no previous reading).
    /// </summary>
    public LowestWheelCount Count(float position, LowestWheelCount? previous)
    {
        int floor = (int)MathF.Floor(position) % 10, next = (floor + 1) % 10;
        float roll = position - MathF.Floor(position), below = 1 - roll;
        if (previous?.Digit == next && below <= Band) return new LowestWheelCount(next, 0, Kept: true, 0);
        if (below < Snap) return new LowestWheelCount(next, 0, false, 0);
        if (below < Settle)
        {
            // The first reading has nothing to wait against: a wheel standing on d reads a little below it as often as above.
            if (previous is not { } p) return new LowestWheelCount(next, 0, false, 0);
            // Waiting below the same digit as the previous reading counts towards standing still.
            int waited = p.Waiting > 0 && p.WaitingAt == next ? p.Waiting + 1 : 1;
            return new LowestWheelCount(waited < SettleReadings ? null : floor, waited < SettleReadings ? 0 : roll, false, waited) { WaitingAt = next };
        }
        return new LowestWheelCount(floor, roll, false, 0);
    }
}

/// <summary>What the lowest wheel counted in one reading (<see cref="LowestWheelFloor.Count"/>).</summary>
/// <param name="Digit">The digit counted, or null while the wheel is between two digits (<see cref="LowestWheelFloor.Settle"/>).</param>
/// <param name="Roll">How far the wheel has rolled past <paramref name="Digit"/>, in [0,1).</param>
/// <param name="Kept">True when the previous reading's digit was kept by <see cref="LowestWheelFloor.Band"/>.</param>
/// <param name="Waiting">Readings in a row the wheel has been less than <see cref="LowestWheelFloor.Settle"/> below a digit after counting another (0 elsewhere).</param>
public readonly record struct LowestWheelCount(int? Digit, float Roll, bool Kept, int Waiting)
{
    /// <summary>The largest <see cref="Tenth"/>: the last tenth before the next digit.</summary>
    public const int MaxTenth = 9;

    /// <summary>
    /// The roll past <see cref="Digit"/> to a tenth (0 … <see cref="MaxTenth"/>), or null while the wheel counts nothing. It never
    /// reaches the next digit: a wheel at 3.96 that counts 3 (it stood below 4 for <see cref="LowestWheelFloor.SettleReadings"/>) is
    /// 3.9, never 4.0 nor 3.0, and a wheel kept at 4 (<see cref="Kept"/>, <see cref="LowestWheelFloor.Snap"/>) is 4.0; so the
    /// digit with its tenth (what meter mode publishes with <c>PublishTenth</c>) always agrees with the digit counted.
    /// </summary>
    public int? Tenth => Digit is null ? null : Math.Min((int)Math.Round(Roll * 10.0), MaxTenth);

    /// <summary>While <see cref="Waiting"/>: the digit the wheel is just below.</summary>
    public int WaitingAt { get; init; }
}
