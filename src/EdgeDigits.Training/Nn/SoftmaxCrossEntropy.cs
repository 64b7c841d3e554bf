namespace EdgeDigits.Training.Nn;

/// <summary>Mean softmax cross-entropy over a batch, with optional label smoothing.</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Returns the mean loss of <paramref name="logits"/> [n, classes] against <paramref name="labels"/>
    /// and writes its gradient (already divided by n) to <paramref name="gradient"/>; counts the
    /// correct arg-max predictions in <paramref name="correct"/>.
    /// </summary>
    public static float Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classes, float smoothing, Span<float> gradient, out int correct)
    {
        var n = labels.Length;
        if (logits.Length < n * classes || gradient.Length < n * classes) throw new ArgumentException("logits/gradient shorter than n*classes");
        if (smoothing is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(smoothing));
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
                var q = (c == label ? 1 - smoothing : 0) + off;
                loss -= q * logP;
                g[c] = (float)((Math.Exp(logP) - q) / n);
            }
        }
        return (float)(loss / Math.Max(1, n));
    }
}
