using Microsoft.ML.OnnxRuntime;

namespace EdgeDigits.Core.Recognition;

/// <summary>
/// The one place where ONNX Runtime sessions that classify crops get their options: the device's
/// <see cref="DigitClassifier"/>, the PC tool's evaluation and its timing all open models through it,
/// so a measured speed is the speed the device gets.
/// </summary>
public static class InferenceSessionOptions
{
    /// <summary>
    /// Graph optimization used for inference. <c>ORT_ENABLE_ALL</c> is needed for int8 speed: only at this
    /// level does ORT's layout transformer run QLinearConv, MaxPool and the pooling on NHWC integer tensors
    /// (no transposes between layers) and the fp32 convolutions in its blocked NCHWc layout.
    /// </summary>
    public const GraphOptimizationLevel OptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Options for a classification session with <paramref name="intraOpThreads"/> intra-op threads
    /// (1 = no thread pool, one core; 0 = ORT's default of one thread per physical core). The caller owns
    /// and disposes the result.
    /// </summary>
    /// <remarks>
    /// Sequential execution and one inter-op thread: the graphs are a single chain. Everything else is
    /// ORT's default on purpose: memory pattern and the CPU arena (with fixed shapes a run allocates nothing
    /// new; turning either off measured slower), prepacked weights (turning them off made int8 3.7x slower),
    /// thread spinning (<c>session.intra_op.allow_spinning</c> off made no difference at 1 thread, where there
    /// is no pool, and none that stood out of the noise at 2 threads on the shared 2-core machine). Also measured
    /// without gain at batch 1: a fixed batch dimension (<c>AddFreeDimensionOverrideByName</c>) and 2 intra-op threads.
    /// Measurements: models/MODEL_CARD.md, "Where the int8 time goes".
    /// </remarks>
    public static SessionOptions Create(int intraOpThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intraOpThreads);
        return new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = OptimizationLevel,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
    }
}
