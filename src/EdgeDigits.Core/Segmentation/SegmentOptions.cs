using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Segmentation;

/// <summary>Settings of <see cref="DigitSegmenter"/>.</summary>
public sealed record SegmentOptions
{
    /// <summary>The defaults (shared instance, so callers need not allocate one per frame).</summary>
    public static SegmentOptions Default { get; } = new();

    /// <summary>Components smaller than this many pixels are specks and are dropped.</summary>
    public int MinSpeckArea { get; init; } = 12;

    /// <summary>
    /// Components smaller than this fraction of the largest component are dropped too; with <see cref="DropFrameSpanning"/>
    /// the largest component that does not run from edge to edge (a scanner strip's area would drop a thin "1").
    /// </summary>
    public double RelativeSpeckArea { get; init; } = 0.03;

    /// <summary>Pieces whose x-ranges overlap by this fraction of the narrower piece are one digit.</summary>
    public double MergeOverlap { get; init; } = 0.3;

    /// <summary>
    /// The reference digit height is the band all pieces span (a lone 7-segment digit, no piece taller than half of it)
    /// only when the tallest piece is at least this fraction of the band; below it the band is a form's marks and lines.
    /// </summary>
    public double MinPieceOfBand { get; init; } = 0.35;

    /// <summary>
    /// Pieces stacked one above the other (x-ranges overlapping by <see cref="MergeOverlap"/>) are one digit only when the
    /// vertical gap between them is at most this fraction of the reference piece height: the detached bar of a 5 or a
    /// broken stroke lies close, a tick or cross drawn above or below a number does not.
    /// </summary>
    public double MaxStackedGap { get; init; } = 0.3;

    /// <summary>
    /// <see cref="PieceHeight"/> pieces join a neighbour only while the joined box is at most this many times the reference
    /// height: a mark under a digit does not make one tall digit with it.
    /// </summary>
    public double MaxJoinedHeight { get; init; } = 1.3;

    /// <summary>
    /// A group is cut into layers one above the other at every band of empty rows at least this fraction of the reference
    /// piece height (a digit joined with a stamp or tick drawn below or above it), when one of its layers is tall enough
    /// to be a digit
    /// (<see cref="MinRelativeHeight"/>); the recognizer reads the layers apart or the group whole, whichever its
    /// classifier reads better (<see cref="LayerAlternative"/>). 0 = never.
    /// </summary>
    public double LayerGap { get; init; } = 0.1;

    /// <summary>
    /// A group is cut where at least this fraction of the reference digit height of consecutive columns hold only a thin
    /// line along its bottom (<see cref="LineRunThickness"/>, <see cref="LineRunBand"/>): what line removal left of a
    /// writing line where the line is too faint to be long and solid, still touching the digits that stand on it. The parts
    /// beside the run are the group; the run is dropped (<see cref="DigitSegmenter.LineRuns"/>). 0 = never.
    /// </summary>
    public double LineRunLength { get; init; } = 0.4;

    /// <summary>A column of a group is line when its ink is at most this fraction of the reference digit height thick (and at least 1 pixel).</summary>
    public double LineRunThickness { get; init; } = 0.06;

    /// <summary>... and its ink starts no higher than this fraction of the group's height above the group's bottom (a thin bar on top is a 7's or 5's).</summary>
    public double LineRunBand { get; init; } = 0.25;

    /// <summary>Drop groups that run from one frame edge to the opposite one and are far taller (or wider) than the digits: scanner strips, table borders.</summary>
    public bool DropFrameSpanning { get; init; } = true;

    /// <summary>
    /// ... and only when the pieces cover at least this fraction of the band's rows: a 7-segment digit's segments stack
    /// with thin gaps (the middle bar covers the gap between the upper and lower verticals: rendered 7-segment numbers
    /// cover every row), a tick, cross or stamp above a handwritten number leaves an empty stretch between them (a stamp
    /// 1.7 digits tall above a number, 0.4 digit away, still covers 0.88 of the band). Chosen on forms of seeds 3-4
    /// (models/MODEL_CARD.md).
    /// </summary>
    public double MinBandCoverage { get; init; } = 0.95;

    /// <summary>Groups taller than this many times the median group height (a stamp, a frame) do not set the reference digit height.</summary>
    public double MaxHeightOverMedian { get; init; } = 1.8;

    /// <summary>Groups shorter than this fraction of the tallest are pieces that may join a neighbour.</summary>
    public double PieceHeight { get; init; } = 0.75;

    /// <summary>A piece joins a neighbour whose box is at most this fraction of the tallest digit away.</summary>
    public double MaxPieceGap { get; init; } = 0.1;

    /// <summary>Joined pieces may not get wider than this many times their height (or 0.6 of the tallest digit).</summary>
    public double MaxMergedAspect { get; init; } = 2.0;

    /// <summary>Groups shorter than this fraction of the tallest group are not digits (dots, dashes, noise).</summary>
    public double MinRelativeHeight { get; init; } = 0.5;

    /// <summary>A group wider than this many times its height holds touching digits and is split.</summary>
    public double SplitAspect { get; init; } = 1.3;

    /// <summary>Typical digit width as a fraction of its height, used to decide how many digits a wide group holds.</summary>
    public double DigitAspect { get; init; } = 0.7;

    /// <summary>Drop groups that touch the image border and are much smaller than the tallest digit (cut-off pieces).</summary>
    public bool DropBorderTouching { get; init; } = true;

    /// <summary>Most digits reported, counted from the left; regions beyond it (the rightmost) are dropped.</summary>
    public int MaxDigits { get; init; } = 16;

    /// <summary>Fixed per-digit boxes (meter configuration) in ink-image coordinates; when set, segmentation only masks ink per box.</summary>
    public PixelRect[]? FixedBoxes { get; init; }
}
