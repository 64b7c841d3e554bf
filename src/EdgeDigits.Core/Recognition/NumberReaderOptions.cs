using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Segmentation;

namespace EdgeDigits.Core.Recognition;

/// <summary>Settings of <see cref="NumberReader"/>.</summary>
public sealed record NumberReaderOptions
{
    /// <summary>
    /// The default <see cref="TestTimeCrops"/>: 5 cuts moved by 1 pixel, chosen on forms of seeds 3-6 (cluttered 3,799 -> 3,815
    /// of 4,000 numbers, composed 3,914 -> 3,917; on seeds 3-4, 3 cuts or half a pixel gained less; models/MODEL_CARD.md).
    /// Declared before <see cref="Default"/>, whose initializer reads it.
    /// </summary>
    public static MeterTestTimeCrops DefaultTestTimeCrops { get; } = new(5, 1f);

    /// <summary>The defaults (shared instance).</summary>
    public static NumberReaderOptions Default { get; } = new();

    /// <summary>Frame preprocessing (ROI, warp, polarity, threshold, deskew).</summary>
    public PreprocessOptions Preprocess { get; init; } = PreprocessOptions.Default;

    /// <summary>Frame segmentation (merging, splitting, fixed boxes).</summary>
    public SegmentOptions Segment { get; init; } = SegmentOptions.Default;

    /// <summary>Which candidates of a frame are the number (the rest are clutter).</summary>
    public NumberRowOptions Row { get; init; } = NumberRowOptions.Default;

    /// <summary>
    /// A frame's group stacked in layers (<see cref="SegmentOptions.LayerGap"/>) is read whole only when the whole's log
    /// best-digit probability beats the mean log best-class probability of its layers (the reject class counting for a
    /// mark) by more than this; otherwise its layers are read apart and a mark among them is dropped as "not a digit".
    /// </summary>
    public float LayerMargin { get; init; } = DefaultLayerMargin;

    /// <summary>The default <see cref="LayerMargin"/>: chosen on cluttered forms of seed 3 (models/MODEL_CARD.md).</summary>
    public const float DefaultLayerMargin = 0f;

    /// <summary>
    /// Test-time averaging of a frame's crops: each 28x28 crop is also read moved by ±<see cref="MeterTestTimeCrops.Shift"/>
    /// pixels sideways (3 cuts) and up and down (5), in the same batched run, and the class probabilities are averaged (the
    /// meter reader's <see cref="MeterTestTimeCrops"/>). <see cref="MeterTestTimeCrops.None"/> reads each crop once.
    /// </summary>
    public MeterTestTimeCrops TestTimeCrops { get; init; } = DefaultTestTimeCrops;


    /// <summary>
    /// The ink sequence model's share of an ink digit's probabilities when one is given (<see cref="NumberReader"/>):
    /// each digit gets (1 - w) of the image model's probability plus w of the sequence model's, the latter scaled to
    /// the mass the image model leaves to digits, so the image model's "not a digit" share, and the '?' rule on it, stay.
    /// 0 = the image model alone, 1 = the sequence model alone for the digits. Chosen on validation writers (models/MODEL_CARD.md).
    /// </summary>
    public float SequenceWeight { get; init; } = DefaultSequenceWeight;

    /// <summary>The default <see cref="SequenceWeight"/>: the plain average of the two models.</summary>
    public const float DefaultSequenceWeight = 0.5f;
}
