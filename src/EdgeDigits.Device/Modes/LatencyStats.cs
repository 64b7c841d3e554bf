namespace EdgeDigits.Device.Modes;

/// <summary>Keeps the last N latencies (ms) and reports percentiles; thread-safe.</summary>
public sealed class LatencyStats
{
    private readonly double[] _ring;
    private long _count;
    private readonly object _gate = new();

    /// <summary>Creates a window of <paramref name="capacity"/> samples.</summary>
    public LatencyStats(int capacity = 10_000) => _ring = new double[capacity];

    /// <summary>Samples recorded since start (not only those in the window).</summary>
    public long Count { get { lock (_gate) return _count; } }

    /// <summary>Adds one sample.</summary>
    public void Add(double ms)
    {
        lock (_gate) _ring[_count++ % _ring.Length] = ms;
    }

    /// <summary>The <paramref name="p"/>-th percentile (0..100) of the window, nearest-rank; NaN when empty.</summary>
    public double Percentile(double p)
    {
        double[] copy;
        lock (_gate) copy = _ring[..(int)Math.Min(_count, _ring.Length)];
        return NearestRank(copy, p);
    }

    /// <summary>The <paramref name="p"/>-th percentile (0..100) of <paramref name="samples"/>, nearest-rank; NaN when empty.</summary>
    public static double NearestRank(IEnumerable<double> samples, double p)
    {
        var sorted = samples.ToArray();
        if (sorted.Length == 0) return double.NaN;
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
