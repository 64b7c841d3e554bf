using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Preprocessing;

/// <summary>Which way round ink and background are.</summary>
public enum InkPolarity
{
    /// <summary>Decide per frame: the majority of pixels is background.</summary>
    Auto,
    /// <summary>Dark ink on light paper.</summary>
    DarkOnLight,
    /// <summary>Light digits on a dark background (backlit LCD, LED display).</summary>
    LightOnDark,
}

/// <summary>How the flattened ink image is binarized.</summary>
public enum ThresholdMethod
{
    /// <summary>Otsu's global threshold on the background-flattened image (flattening makes it effectively local).</summary>
    Otsu,
    /// <summary>Sauvola's local threshold on the polarity-corrected image.</summary>
    Sauvola,
}

/// <summary>Settings of <see cref="FramePreprocessor"/>.</summary>
public sealed record PreprocessOptions
{
    /// <summary>The defaults (shared instance, so callers need not allocate one per frame).</summary>
    public static PreprocessOptions Default { get; } = new();

    /// <summary>Rectangle of the frame to read, or null for the whole frame.</summary>
    public PixelRect? Roi { get; init; }

    /// <summary>Four source corners (TL, TR, BR, BL) to straighten with a perspective warp, or null. Takes precedence over <see cref="Roi"/>.</summary>
    public PointF[]? Quad { get; init; }

    /// <summary>Width of the straightened <see cref="Quad"/>; 0 = the quad's mean top/bottom edge length.</summary>
    public int QuadWidth { get; init; }

    /// <summary>Height of the straightened <see cref="Quad"/>; 0 = the quad's mean left/right edge length.</summary>
    public int QuadHeight { get; init; }

    /// <summary>Ink polarity; <see cref="InkPolarity.Auto"/> detects it per frame.</summary>
    public InkPolarity Polarity { get; init; } = InkPolarity.Auto;

    /// <summary>Binarization method.</summary>
    public ThresholdMethod Threshold { get; init; } = ThresholdMethod.Otsu;

    /// <summary>Tile size of the background estimate in pixels; 0 = an eighth of the shorter side (at least 16).</summary>
    public int BackgroundBlock { get; init; }

    /// <summary>Minimum ink-over-background contrast (0-255) for a pixel to count as ink, whatever the threshold says.</summary>
    public byte MinContrast { get; init; } = 40;

    /// <summary>Removal of ruling lines, table borders and scanner strips after thresholding.</summary>
    public LineRemovalOptions Lines { get; init; } = LineRemovalOptions.Default;

    /// <summary>Straighten a slanted line of digits (small angles only).</summary>
    public bool Deskew { get; init; } = true;

    /// <summary>Largest skew corrected, in degrees; a steeper line is left as it is.</summary>
    public double MaxDeskewDegrees { get; init; } = 15;

    /// <summary>Skews below this many degrees are not worth a resample.</summary>
    public double MinDeskewDegrees { get; init; } = 1.5;
}
