namespace EdgeDigits.Core.Meters;

/// <summary>
/// Test-time averaging for the meter wheel model: each window is read as <see cref="Count"/> slightly moved cuts
/// (<see cref="Shifts"/>) in the same batched run, and their class probabilities are averaged before the
/// <see cref="TenthsDecoder"/>. One cut (<see cref="None"/>) is the plain read. The cuts are the window itself, then
/// moved sideways by ±<see cref="Shift"/> (a sideways move leaves the roll alone), then up and down by ±<see cref="Shift"/>
/// (the two moves of the roll cancel in the average).
/// </summary>
public sealed class MeterTestTimeCrops
{
    /// <summary>Cut counts allowed: the window alone, with its two sideways neighbours, and with the vertical ones too.</summary>
    public static IReadOnlyList<int> AllowedCounts { get; } = [1, 3, 5];

    /// <summary>Default move of the extra cuts, in model-input pixels (within the ±0.8 px shifts the model was trained on).</summary>
    public const float DefaultShift = 0.5f;

    /// <summary>Largest move allowed, in model-input pixels: farther, the vertical cuts move the roll by more than a tenth.</summary>
    public const float MaxShift = 2f;

    /// <summary>The plain read: one cut, not moved.</summary>
    public static MeterTestTimeCrops None { get; } = new(1);

    /// <summary>Creates the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not 1, 3 or 5, or <paramref name="shift"/> is not within (0, <see cref="MaxShift"/>].</exception>
    public MeterTestTimeCrops(int count, float shift = DefaultShift)
    {
        if (!AllowedCounts.Contains(count))
            throw new ArgumentOutOfRangeException(nameof(count), count, $"test-time crops must be {string.Join(", ", AllowedCounts)} (got {count})");
        if (!(shift > 0 && shift <= MaxShift))
            throw new ArgumentOutOfRangeException(nameof(shift), shift, $"test-time crop shift must be within (0, {MaxShift}] model-input pixels (got {shift})");
        Count = count;
        Shift = shift;
        CropShift[] all = [default, new(-shift, 0), new(shift, 0), new(0, -shift), new(0, shift)];
        _shifts = all[..count];
    }

    /// <summary>Cuts per window.</summary>
    public int Count { get; }

    /// <summary>Move of the extra cuts, in model-input pixels.</summary>
    public float Shift { get; }

    /// <summary>The moves of the <see cref="Count"/> cuts, the unmoved window first.</summary>
    public ReadOnlySpan<CropShift> Shifts => _shifts;

    private readonly CropShift[] _shifts;

    /// <summary>
    /// Averages the probabilities of <paramref name="windows"/> windows read as <see cref="Count"/> cuts each, window-major
    /// (window i's cut k at row i·Count + k of <paramref name="probabilities"/>, <paramref name="classes"/> values per row),
    /// into one row per window in <paramref name="destination"/>. Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void Average(ReadOnlySpan<float> probabilities, int windows, int classes, Span<float> destination)
    {
        if (probabilities.Length < windows * Count * classes) throw new ArgumentException($"{probabilities.Length} probabilities for {windows} windows x {Count} cuts x {classes} classes", nameof(probabilities));
        if (destination.Length < windows * classes) throw new ArgumentException($"destination holds {destination.Length} values, needs {windows * classes}", nameof(destination));
        for (int i = 0; i < windows; i++)
        {
            var row = destination.Slice(i * classes, classes);
            probabilities.Slice(i * Count * classes, classes).CopyTo(row);
            for (int k = 1; k < Count; k++)
                System.Numerics.Tensors.TensorPrimitives.Add(row, probabilities.Slice((i * Count + k) * classes, classes), row);
            if (Count > 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, 1f / Count, row);
        }
    }
}
