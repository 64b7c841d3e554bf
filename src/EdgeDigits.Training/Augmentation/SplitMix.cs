namespace EdgeDigits.Training.Augmentation;

/// <summary>
/// A tiny SplitMix64 random generator: cheap to create per sample from (seed, epoch, index), so
/// augmentation is reproducible whatever thread handles a sample.
/// </summary>
public struct SplitMix
{
    private ulong _state;

    /// <summary>Seeds the generator from several integers.</summary>
    public SplitMix(long a, long b = 0, long c = 0)
    {
        _state = (ulong)a * 0x9E3779B97F4A7C15UL ^ (ulong)b * 0xC2B2AE3D27D4EB4FUL ^ (ulong)c * 0x165667B19E3779F9UL;
        NextULong();
    }

    /// <summary>
    /// A 32-bit seed derived from several integers, the same in every process — unlike
    /// <see cref="HashCode.Combine{T1,T2}"/>, which is randomized per process.
    /// </summary>
    public static int Seed(long a, long b = 0, long c = 0) => (int)(new SplitMix(a, b, c).NextULong() >> 33);

    /// <summary>Next 64 random bits.</summary>
    public ulong NextULong()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0,1).</summary>
    public float NextFloat() => (NextULong() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [lo,hi).</summary>
    public float Uniform(float lo, float hi) => lo + (hi - lo) * NextFloat();

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(float p) => NextFloat() < p;

    /// <summary>Standard normal (Box–Muller).</summary>
    public float NextGaussian()
    {
        var u1 = 1f - NextFloat();
        var u2 = NextFloat();
        return MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(2f * MathF.PI * u2);
    }
}
