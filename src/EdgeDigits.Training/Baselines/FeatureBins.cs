namespace EdgeDigits.Training.Baselines;

/// <summary>
/// Per-feature split thresholds (up to <see cref="MaxBins"/> bins, at quantiles of the training values, midway
/// between neighbouring values) and the training rows as bin indices, column by column: what lets a tree
/// find a node's best split from one histogram per feature instead of sorting.
/// </summary>
internal sealed class FeatureBins
{
    /// <summary>Most bins per feature (a byte per value; 64 levels lose nothing visible on 0..255 pixels).</summary>
    public const int MaxBins = 64;

    private const int SampleRows = 20000;

    private FeatureBins(float[][] thresholds, byte[] binned, int rows)
    {
        Thresholds = thresholds;
        Binned = binned;
        Rows = rows;
    }

    /// <summary>Ascending thresholds per feature: bin b holds values at or below Thresholds[f][b] (and above the one before).</summary>
    public float[][] Thresholds { get; }

    /// <summary>Bin of row i, feature f at [f * Rows + i].</summary>
    public byte[] Binned { get; }

    /// <summary>Rows binned.</summary>
    public int Rows { get; }

    /// <summary>Thresholds from (a sample of) <paramref name="x"/>, and every row binned.</summary>
    public static FeatureBins Fit(FeatureMatrix x)
    {
        int n = x.Rows, d = x.Dimension;
        var s = Math.Min(SampleRows, n);
        var thresholds = new float[d][];
        var binned = new byte[(long)n * d];
        Parallel.For(0, d, f =>
        {
            var values = new float[s];
            for (var i = 0; i < s; i++) values[i] = x.Data[(long)(i * (n / (double)s)) * d + f];
            Array.Sort(values);
            var distinct = new List<float>();
            foreach (var v in values) if (distinct.Count == 0 || v != distinct[^1]) distinct.Add(v);
            var cuts = new List<float>();
            if (distinct.Count <= MaxBins)
            {
                for (var j = 0; j + 1 < distinct.Count; j++) cuts.Add((distinct[j] + distinct[j + 1]) / 2);
            }
            else
            {
                for (var b = 1; b < MaxBins; b++)
                {
                    var v = values[b * s / MaxBins - 1];
                    var next = distinct.BinarySearch(v) + 1;
                    if (next >= distinct.Count) break;
                    var cut = (v + distinct[next]) / 2;
                    if (cuts.Count == 0 || cut > cuts[^1]) cuts.Add(cut);
                }
            }
            var t = cuts.ToArray();
            thresholds[f] = t;
            for (var i = 0; i < n; i++) binned[(long)f * n + i] = (byte)BinOf(t, x.Data[(long)i * d + f]);
        });
        return new FeatureBins(thresholds, binned, n);
    }

    /// <summary>The bin of <paramref name="value"/>: how many thresholds lie below it.</summary>
    public static int BinOf(float[] thresholds, float value)
    {
        int lo = 0, hi = thresholds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (thresholds[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
