using EdgeDigits.Core.Preprocessing;

namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>
/// Where a frame lies relative to the reference image, how sure the aligner is, and — when the frame must not be read —
/// why, e.g. <c>reference mark 2 not found: score 0.41 &lt; 0.60</c>.
/// </summary>
/// <param name="Transform">Reference coordinates to frame coordinates (identity when refused before matching).</param>
/// <param name="Score">Alignment score in −1 … 1 (normalised cross-correlation; for marks the weaker mark's).</param>
/// <param name="Reason">Why the frame is refused, or null when it is aligned.</param>
public sealed record AlignmentResult(FrameTransform Transform, double Score, string? Reason)
{
    /// <summary>True when the windows may be cut with <see cref="Transform"/>.</summary>
    public bool Aligned => Reason is null;

    /// <summary>Centres of the reference marks as found on the frame (empty for the marker-free aligner), in mark order.</summary>
    public IReadOnlyList<PointF> MarksFound { get; init; } = [];

    /// <summary>A refusal before any matching (wrong frame size, …).</summary>
    public static AlignmentResult Refused(string reason) => new(FrameTransform.Identity, 0, reason);
}
