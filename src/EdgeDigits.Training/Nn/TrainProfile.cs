using System.Diagnostics;

namespace EdgeDigits.Training.Nn;

/// <summary>
/// Where the time of a training run goes: per layer forward and backward, and the steps around
/// the network (batch loading, loss, optimizer). Filled by <see cref="Network"/> and the trainer
/// when one is attached; times are <see cref="Stopwatch"/> ticks summed over every batch.
/// </summary>
public sealed class TrainProfile
{
    /// <summary>Creates an empty profile for a network of <paramref name="layers"/> layers.</summary>
    public TrainProfile(int layers)
    {
        Forward = new long[layers];
        Backward = new long[layers];
    }

    /// <summary>Forward ticks per layer.</summary>
    public long[] Forward { get; }

    /// <summary>Backward ticks per layer.</summary>
    public long[] Backward { get; }

    /// <summary>Ticks spent loading (and augmenting) batches.</summary>
    public long Data { get; set; }

    /// <summary>Ticks spent in the loss and its gradient.</summary>
    public long Loss { get; set; }

    /// <summary>Ticks spent in optimizer steps.</summary>
    public long Optimizer { get; set; }

    /// <summary>Batches recorded.</summary>
    public int Batches { get; set; }

    /// <summary>Milliseconds of <paramref name="ticks"/>.</summary>
    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
