namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>How far a frame may have moved from the reference, and how sure the aligner must be before windows are cut.</summary>
public sealed record AlignmentOptions
{
    /// <summary>Default <see cref="SearchRadius"/>: a camera knocked or re-mounted on its bracket moves the face a few pixels, not a window width.</summary>
    public const int DefaultSearchRadius = 24;

    /// <summary>Default <see cref="MaxRotationDegrees"/>.</summary>
    public const double DefaultMaxRotationDegrees = 5;

    /// <summary>Default <see cref="MaxScaleChange"/>: 0, a camera on a bracket keeps its distance.</summary>
    public const double DefaultMaxScaleChange = 0;

    /// <summary>Default <see cref="MinScore"/>: normalised cross-correlation of a printed mark seen again through noise and glare stays above 0.8; another object scores below 0.5.</summary>
    public const double DefaultMinScore = 0.6;

    /// <summary>How far, in pixels, a reference mark (or the face) is searched from where it was on the reference.</summary>
    public int SearchRadius { get; init; } = DefaultSearchRadius;

    /// <summary>Largest rotation accepted, in degrees either way; a frame turned further is refused.</summary>
    public double MaxRotationDegrees { get; init; } = DefaultMaxRotationDegrees;

    /// <summary>Largest change of size accepted (0.05 = ±5%); 0 keeps the reference's scale and only finds shift and rotation.</summary>
    public double MaxScaleChange { get; init; } = DefaultMaxScaleChange;

    /// <summary>Alignment score (normalised cross-correlation, −1 … 1) below which the frame is refused rather than read.</summary>
    public double MinScore { get; init; } = DefaultMinScore;

    /// <summary>The first rule these options break, or null when they are usable.</summary>
    public string? Problem() =>
        SearchRadius is < 1 or > 200 ? $"SearchRadius {SearchRadius} must be 1 … 200 pixels"
        : MaxRotationDegrees is < 0 or > 20 || double.IsNaN(MaxRotationDegrees) ? $"MaxRotationDegrees {MaxRotationDegrees} must be 0 … 20"
        : MaxScaleChange is < 0 or > 0.3 || double.IsNaN(MaxScaleChange) ? $"MaxScaleChange {MaxScaleChange} must be 0 … 0.3"
        : MinScore is <= 0 or >= 1 || double.IsNaN(MinScore) ? $"MinScore {MinScore} must be between 0 and 1"
        : null;
}
