namespace EdgeDigits.Training.Quantization;

/// <summary>Chooses a clipping threshold from a histogram of |x| (percentile and KL-divergence methods).</summary>
public static class RangeEstimation
{
    /// <summary>The smallest threshold below which <paramref name="percentile"/> % of the counted |x| values fall.</summary>
    /// <param name="histogram">Counts of |x| in equal bins over [0, <paramref name="absMax"/>].</param>
    /// <param name="absMax">Upper edge of the last bin.</param>
    /// <param name="percentile">Percentage in (0, 100].</param>
    public static float PercentileThreshold(ReadOnlySpan<long> histogram, float absMax, double percentile)
    {
        if (histogram.Length == 0 || absMax <= 0) return absMax;
        long total = 0;
        foreach (var c in histogram) total += c;
        if (total == 0) return absMax;
        var target = total * (percentile / 100.0);
        long cum = 0;
        var width = absMax / histogram.Length;
        for (var i = 0; i < histogram.Length; i++)
        {
            cum += histogram[i];
            if (cum >= target) return (i + 1) * width;
        }
        return absMax;
    }

    /// <summary>
    /// The threshold minimizing KL(P||Q), where P is the histogram clipped at the threshold (outliers
    /// folded into the last bin) and Q is P squeezed into <paramref name="levels"/> quantization levels
    /// and expanded back (the calibration used by TensorRT and ONNX Runtime's entropy calibrator).
    /// </summary>
    public static float EntropyThreshold(ReadOnlySpan<long> histogram, float absMax, int levels = 128)
    {
        var n = histogram.Length;
        if (n == 0 || absMax <= 0) return absMax;
        var width = absMax / n;
        long total = 0;
        foreach (var c in histogram) total += c;
        if (total == 0 || n <= levels) return absMax;
        var bestKl = double.PositiveInfinity;
        var best = n;
        var p = new double[n];
        var q = new double[n];
        for (var i = levels; i <= n; i++)
        {
            for (var j = 0; j < i; j++) p[j] = histogram[j];
            double outliers = 0;
            for (var j = i; j < n; j++) outliers += histogram[j];
            p[i - 1] += outliers;
            // Squeeze bins 0..i-1 into `levels` buckets; each bucket's mass is spread evenly over its non-empty bins.
            Array.Clear(q, 0, i);
            var binsPerLevel = (double)i / levels;
            for (var l = 0; l < levels; l++)
            {
                var start = (int)Math.Floor(l * binsPerLevel);
                var end = l == levels - 1 ? i : (int)Math.Floor((l + 1) * binsPerLevel);
                double mass = 0;
                var nonEmpty = 0;
                for (var j = start; j < end; j++)
                {
                    mass += histogram[j];
                    if (histogram[j] != 0) nonEmpty++;
                }
                if (nonEmpty == 0) continue;
                var share = mass / nonEmpty;
                for (var j = start; j < end; j++) if (histogram[j] != 0) q[j] = share;
            }
            var kl = Kl(p.AsSpan(0, i), q.AsSpan(0, i));
            if (kl < bestKl)
            {
                bestKl = kl;
                best = i;
            }
        }
        return best * width;
    }

    private static double Kl(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double sp = 0, sq = 0;
        for (var i = 0; i < p.Length; i++) { sp += p[i]; sq += q[i]; }
        if (sp == 0 || sq == 0) return double.PositiveInfinity;
        double kl = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == 0) continue;
            var pi = p[i] / sp;
            // A float value the quantized histogram cannot represent: a large but finite penalty.
            var qi = q[i] == 0 ? 1e-12 : q[i] / sq;
            kl += pi * Math.Log(pi / qi);
        }
        return kl;
    }
}
