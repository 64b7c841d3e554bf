namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>Zero-mean normalised cross-correlation of a template against image patches: 1 = the same picture up to brightness and contrast.</summary>
internal static class PatchCorrelation
{
    /// <summary>Template below this standard deviation (grey levels) is treated as flat.</summary>
    public const double FlatDeviation = 1.0;

    /// <summary>Copies the <paramref name="width"/> x <paramref name="height"/> patch at (<paramref name="x"/>, <paramref name="y"/>) minus its mean into <paramref name="template"/>; returns the template's norm (√Σt²).</summary>
    public static double MakeTemplate(ReadOnlySpan<byte> image, int stride, int x, int y, int width, int height, Span<float> template)
    {
        double sum = 0;
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++) sum += template[r * width + c] = image[(y + r) * stride + x + c];
        float mean = (float)(sum / (width * height));
        double norm = 0;
        for (int i = 0; i < width * height; i++)
        {
            template[i] -= mean;
            norm += template[i] * template[i];
        }
        return Math.Sqrt(norm);
    }

    /// <summary>Correlation of the zero-mean <paramref name="template"/> (norm <paramref name="templateNorm"/>) with the patch at (<paramref name="x"/>, <paramref name="y"/>); 0 for a flat patch.</summary>
    public static double Score(ReadOnlySpan<byte> image, int stride, int x, int y, ReadOnlySpan<float> template, int width, int height, double templateNorm)
    {
        float cross = 0, sum = 0, squares = 0;
        for (int r = 0; r < height; r++)
        {
            var row = image.Slice((y + r) * stride + x, width);
            var t = template.Slice(r * width, width);
            for (int c = 0; c < width; c++)
            {
                float v = row[c];
                cross += t[c] * v;
                sum += v;
                squares += v * v;
            }
        }
        int n = width * height;
        double variance = squares - (double)sum * sum / n;
        if (variance < FlatDeviation * FlatDeviation * n || templateNorm <= 0) return 0;
        return cross / (templateNorm * Math.Sqrt(variance));
    }

    /// <summary>Offset of a parabola's peak through three samples, in −0.5 … 0.5 (sub-pixel refinement).</summary>
    public static double ParabolaPeak(double left, double centre, double right)
    {
        if (!double.IsFinite(left) || !double.IsFinite(right)) return 0;
        double d = left - 2 * centre + right;
        return d < 0 ? Math.Clamp(0.5 * (left - right) / d, -0.5, 0.5) : 0;
    }
}
