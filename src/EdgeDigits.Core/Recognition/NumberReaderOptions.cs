using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Segmentation;

namespace EdgeDigits.Core.Recognition;

/// <summary>Settings of <see cref="NumberReader"/>.</summary>
public sealed record NumberReaderOptions
{
    /// <summary>The defaults (shared instance).</summary>
    public static NumberReaderOptions Default { get; } = new();

    /// <summary>Frame preprocessing (ROI, warp, polarity, threshold, deskew).</summary>
    public PreprocessOptions Preprocess { get; init; } = PreprocessOptions.Default;

    /// <summary>Frame segmentation (merging, splitting, fixed boxes).</summary>
    public SegmentOptions Segment { get; init; } = SegmentOptions.Default;

    /// <summary>Which candidates of a frame are the number (the rest are clutter).</summary>
    public NumberRowOptions Row { get; init; } = NumberRowOptions.Default;
}
