namespace EdgeDigits.Core.Meters;

/// <summary>
/// Reads a meter model's output over 100 classes, "0.0" … "9.9", as a wheel position. The classes
/// lie on a circle (9.9 is next to 0.0), so the position is the circular mean of the probabilities
/// around the most likely class, not an argmax: two neighbouring tenths sharing the mass give the
/// point between them.
/// </summary>
public sealed record TenthsDecoder
{
    /// <summary>Number of classes of a tenths model.</summary>
    public const int Classes = 100;

    /// <summary>How far (in digits) from a whole digit the wheel may stand and still show that digit; farther, it is rolling ('?').</summary>
    public float CleanTolerance { get; init; } = 0.25f;

    /// <summary>Classes on each side of the most likely one whose probability counts towards the position and the confidence.</summary>
    public int Radius { get; init; } = 3;

    /// <summary>How the confidence is measured (<see cref="TenthsConfidence"/>); the threshold is on that measure.</summary>
    public TenthsConfidence Confidence { get; init; } = TenthsConfidence.Mass;

    /// <summary>The metadata names of the confidence measures (<c>confidenceMeasure</c> in a meter model's <c>.json</c>), by measure.</summary>
    public static IReadOnlyDictionary<string, TenthsConfidence> ConfidenceNames { get; } = new Dictionary<string, TenthsConfidence>
    {
        ["mass"] = TenthsConfidence.Mass,
        ["rival"] = TenthsConfidence.Rival,
    };

    /// <summary>The metadata name of <paramref name="confidence"/> (<see cref="ConfidenceNames"/>).</summary>
    public static string NameOf(TenthsConfidence confidence) => ConfidenceNames.First(kv => kv.Value == confidence).Key;

    /// <summary>Confidence under which the digit is withheld ('?') even when the wheel seems to stand on it.</summary>
    public float ConfidenceThreshold { get; init; } = 0.5f;

    /// <summary>The class labels of a tenths model, "0.0" … "9.9", in output order.</summary>
    public static string[] ClassLabels { get; } = Enumerable.Range(0, Classes).Select(i => $"{i / 10}.{i % 10}").ToArray();

    /// <summary>Whether <paramref name="labels"/> are the labels of a tenths model.</summary>
    public static bool IsTenths(IReadOnlyList<string> labels) => labels.SequenceEqual(ClassLabels);

    /// <summary>Decodes one window's probabilities (100 values summing to about 1).</summary>
    /// <exception cref="ArgumentException">Not 100 probabilities.</exception>
    public RollingDigit Decode(ReadOnlySpan<float> probabilities)
    {
        if (probabilities.Length != Classes) throw new ArgumentException($"a tenths model gives {Classes} probabilities, got {probabilities.Length}", nameof(probabilities));
        int best = 0;
        for (int i = 1; i < Classes; i++) if (probabilities[i] > probabilities[best]) best = i;
        // Offsets from the best class, weighted: the mean offset is the position's correction.
        float mass = 0, moment = 0;
        for (int k = -Radius; k <= Radius; k++)
        {
            float p = probabilities[(best + k + Classes) % Classes];
            mass += p;
            moment += p * k;
        }
        float tenths = best + (mass > 0 ? moment / mass : 0);
        float value = ((tenths % Classes) + Classes) % Classes / 10f;
        var confidence = Confidence == TenthsConfidence.Rival ? AgainstRival(probabilities, best, mass) : mass;
        return new RollingDigit(value, DigitAt(value, confidence), Math.Clamp(confidence, 0, 1));
    }

    /// <summary>
    /// <see cref="TenthsConfidence.Rival"/>: <paramref name="mass"/> (around <paramref name="best"/>) against the largest
    /// mass of a window of 2 × <see cref="Radius"/> + 1 classes centred at least 2 × <see cref="Radius"/> + 1 classes away.
    /// </summary>
    private float AgainstRival(ReadOnlySpan<float> probabilities, int best, float mass)
    {
        int width = 2 * Radius + 1;
        // Running window sum around the circle: window[c] = sum of the classes c - Radius … c + Radius.
        float window = 0, rival = 0;
        for (int k = -Radius; k <= Radius; k++) window += probabilities[(k + Classes) % Classes];
        for (int c = 0; c < Classes; c++)
        {
            int apart = Math.Abs(c - best);
            if (Math.Min(apart, Classes - apart) >= width) rival = Math.Max(rival, window);
            window += probabilities[(c + Radius + 1) % Classes] - probabilities[(c - Radius + Classes) % Classes];
        }
        return mass + rival > 0 ? (mass - rival) / (mass + rival) : 0;
    }

    /// <summary>
    /// Combines readings of one wheel from a burst of frames: the circular mean of their positions, each weighted by
    /// its confidence (a glint on one frame counts less), and their mean confidence; the digit is decided on the
    /// combined position as for one frame. A wheel that moved during the burst comes out where it was on average.
    /// </summary>
    /// <exception cref="ArgumentException">No readings.</exception>
    public RollingDigit Combine(ReadOnlySpan<RollingDigit> readings)
    {
        if (readings.IsEmpty) throw new ArgumentException("no readings to combine", nameof(readings));
        if (readings.Length == 1) return readings[0];
        double x = 0, y = 0, confidence = 0;
        foreach (var r in readings)
        {
            var angle = r.Value / 10 * 2 * Math.PI;
            x += r.Confidence * Math.Cos(angle);
            y += r.Confidence * Math.Sin(angle);
            confidence += r.Confidence;
        }
        confidence /= readings.Length;
        var value = (float)((Math.Atan2(y, x) / (2 * Math.PI) * 10 + 10) % 10);
        if (x == 0 && y == 0) value = readings[0].Value;
        return new RollingDigit(value, DigitAt(value, (float)confidence), (float)confidence);
    }

    /// <summary>The digit a wheel at <paramref name="value"/> stands on, or null when it rolls or the model is unsure.</summary>
    private int? DigitAt(float value, float confidence)
    {
        float nearest = MathF.Round(value);
        return MathF.Abs(value - nearest) <= CleanTolerance && confidence >= ConfidenceThreshold ? (int)nearest % 10 : null;
    }
}
