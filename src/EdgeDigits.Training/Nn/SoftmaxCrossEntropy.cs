namespace EdgeDigits.Training.Nn;

/// <summary>Mean softmax cross-entropy over a batch, with optional label smoothing and a target spread over the label's neighbours.</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Returns the mean loss of <paramref name="logits"/> [n, classes] against <paramref name="labels"/>
    /// and writes its gradient (already divided by n) to <paramref name="gradient"/>; counts the
    /// correct arg-max predictions in <paramref name="correct"/>. The target of a sample is
    /// <c>(1 - smoothing)</c> on its label (or spread by <paramref name="spread"/>) plus <c>smoothing / classes</c> on every class.
    /// </summary>
    /// <param name="logits">Logits, [n, classes].</param>
    /// <param name="labels">Labels, one per sample.</param>
    /// <param name="classes">Classes per sample.</param>
    /// <param name="smoothing">Share of the target spread evenly over all classes (label smoothing), in [0, 1).</param>
    /// <param name="gradient">Receives the gradient of the mean loss, [n, classes].</param>
    /// <param name="correct">Samples whose arg-max is their label.</param>
    /// <param name="spread">
    /// Weights of the label's neighbours on a circle of classes (the last class next to the first), offsets
    /// <c>-r … r</c> for an odd length <c>2r + 1</c> ≤ <paramref name="classes"/>, summing to 1 (a meter wheel's tenths:
    /// <c>MeterTrainJob.TenthsSpread</c>); empty = all on the label (one-hot).
    /// </param>
    /// <exception cref="ArgumentException">Spans too short, or a spread of even length, longer than the classes or not summing to 1.</exception>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, float smoothing, Span<float> gradient, out int correct, ReadOnlySpan<float> spread = default)
    {
        var n = labels.Length;
        if (logits.Length < n * classes || gradient.Length < n * classes) throw new ArgumentException("logits/gradient shorter than n*classes");
        if (smoothing is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(smoothing));
        if (!spread.IsEmpty) CheckSpread(spread, classes);
        var radius = spread.Length / 2;
        double loss = 0;
        correct = 0;
        var off = smoothing / classes;
        for (var i = 0; i < n; i++)
        {
            var z = logits.Slice(i * classes, classes);
            var g = gradient.Slice(i * classes, classes);
            var label = labels[i];
            if ((uint)label >= (uint)classes) throw new ArgumentOutOfRangeException(nameof(labels), $"label {label} is outside 0..{classes - 1}");
            var max = z[0];
            var arg = 0;
            for (var c = 1; c < classes; c++) if (z[c] > max) { max = z[c]; arg = c; }
            if (arg == label) correct++;
            double sum = 0;
            for (var c = 0; c < classes; c++) sum += Math.Exp(z[c] - max);
            var logSum = Math.Log(sum) + max;
            for (var c = 0; c < classes; c++)
            {
                var logP = z[c] - logSum;
                var q = Target(c, label, classes, radius, spread) * (1 - smoothing) + off;
                loss -= q * logP;
                g[c] = (float)((Math.Exp(logP) - q) / n);
            }
        }
        return (float)(loss / Math.Max(1, n));
    }

    /// <summary>The share of a sample's target that the spread puts on class <paramref name="c"/> (one-hot when the spread is empty).</summary>
    private static float Target(int c, int label, int classes, int radius, ReadOnlySpan<float> spread)
    {
        if (spread.IsEmpty) return c == label ? 1 : 0;
        var k = ((c - label) % classes + classes) % classes;
        if (k > classes / 2) k -= classes;
        return Math.Abs(k) <= radius ? spread[k + radius] : 0;
    }

    /// <summary>Tolerance of a spread's sum around 1.</summary>
    private const float SpreadSumTolerance = 1e-4f;

    private static void CheckSpread(ReadOnlySpan<float> spread, int classes)
    {
        if (spread.Length % 2 == 0 || spread.Length > classes)
            throw new ArgumentException($"a target spread has an odd length of at most {classes} (offsets -r … r), got {spread.Length}", nameof(spread));
        float sum = 0;
        foreach (var w in spread)
        {
            if (!(w >= 0)) throw new ArgumentException($"a target spread's weights are ≥ 0, got {w}", nameof(spread));
            sum += w;
        }
        if (Math.Abs(sum - 1) > SpreadSumTolerance) throw new ArgumentException($"a target spread's weights sum to 1, got {sum}", nameof(spread));
    }
}
