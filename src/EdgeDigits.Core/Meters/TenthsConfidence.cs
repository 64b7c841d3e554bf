namespace EdgeDigits.Core.Meters;

/// <summary>How <see cref="TenthsDecoder"/> turns a window's probabilities into the confidence of its reading.</summary>
public enum TenthsConfidence
{
    /// <summary>The probability mass within <see cref="TenthsDecoder.Radius"/> classes of the most likely one: every class elsewhere counts against the reading.</summary>
    Mass,

    /// <summary>
    /// The decoded position against its strongest rival: <c>(m - r) / (m + r)</c>, where m is the mass around the most
    /// likely class (as <see cref="Mass"/>) and r the largest mass of a window of the same width that does not overlap
    /// it. 0 = another position is as likely, 1 = no other position has any mass; mass spread thinly over the rest
    /// of the wheel, which names no other digit, does not count against the reading.
    /// </summary>
    Rival,
}
