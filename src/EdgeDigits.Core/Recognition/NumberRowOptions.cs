namespace EdgeDigits.Core.Recognition;

/// <summary>
/// Settings of the number-row rule of <see cref="NumberReader"/>: candidates of a frame that sit side by side on one
/// line, of similar height, form a row; the row whose candidates read best as digits is the number, the others
/// (ticks, crosses, stamps, a word of print elsewhere on a form) are left out.
/// </summary>
public sealed record NumberRowOptions
{
    /// <summary>The defaults (shared instance).</summary>
    public static NumberRowOptions Default { get; } = new();

    /// <summary>Keep every candidate (one number per frame is not assumed).</summary>
    public static NumberRowOptions Off { get; } = new() { Enabled = false };

    /// <summary>Choose one row at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Two neighbours share a row when their boxes overlap vertically by this fraction of the shorter one.</summary>
    public double MinVerticalOverlap { get; init; } = 0.4;

    /// <summary>... and the taller is at most this many times as tall as the shorter (handwriting varies; a dot does not qualify).</summary>
    public double MaxHeightRatio { get; init; } = 2.2;

    /// <summary>... and the gap between them is at most this many times the taller one's height.</summary>
    public double MaxGap { get; init; } = 1.5;
}
