namespace EdgeDigits.Core.Recognition;

/// <summary>Settings of <see cref="DigitClassifier"/>.</summary>
public sealed record DigitClassifierOptions
{
    /// <summary>ONNX Runtime intra-op threads (1 = one core, the benchmark setting; 0 = ORT's default).</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Most crops classified in one run; buffers are pre-allocated for this many.</summary>
    public int MaxBatch { get; init; } = 16;

    /// <summary>Overrides the metadata's confidence threshold when set.</summary>
    public float? ConfidenceThreshold { get; init; }
}
