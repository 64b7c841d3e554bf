namespace EdgeDigits.Training.Quantization;

/// <summary>How activation ranges are chosen from calibration data.</summary>
public enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum.</summary>
    MinMax,

    /// <summary>A high percentile of |x| (default 99.999%), ignoring rare outliers.</summary>
    Percentile,

    /// <summary>The clipping threshold that minimizes the KL divergence between the float and quantized histograms.</summary>
    Entropy,
}

/// <summary>The integer type of quantized activations.</summary>
public enum ActivationType
{
    /// <summary>Unsigned 8-bit with a zero point (ONNX Runtime's fastest x86 path).</summary>
    UInt8,

    /// <summary>Signed 8-bit with a zero point (preferred on ARM NEON dot-product kernels).</summary>
    Int8,
}

/// <summary>Settings of a static QDQ quantization run.</summary>
public sealed record QuantizationOptions
{
    /// <summary>How activation ranges are derived from calibration data.</summary>
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>One weight scale per output channel (true) or one per tensor (false).</summary>
    public bool PerChannel { get; init; } = true;

    /// <summary>Integer type of activations; weights are always symmetric int8.</summary>
    public ActivationType Activations { get; init; } = ActivationType.UInt8;

    /// <summary>
    /// Keep the stem — the first Conv, reading the image with at most 3 channels, and its activation and
    /// MaxPool — in float (default): there ORT's int8 conv is slower than fp32 (Quantization/README.md).
    /// </summary>
    public bool FloatStem { get; init; } = true;

    /// <summary>
    /// Nodes kept in float besides the stem, by name (an unnamed node by its first output): a per-layer int8/fp32
    /// choice to make from measurement (<c>edgedigits eval --profile</c>). A float Conv/Gemm between quantized
    /// tensors is quantized by ONNX Runtime itself, so what stays float in practice is a tail of the network.
    /// </summary>
    public IReadOnlySet<string> FloatNodes { get; init; } = new HashSet<string>();

    /// <summary>Percentile of |x| kept by <see cref="CalibrationMethod.Percentile"/>.</summary>
    public double Percentile { get; init; } = 99.999;

    /// <summary>Histogram bins used by the percentile and entropy methods.</summary>
    public int HistogramBins { get; init; } = 2048;

    /// <summary>Images per calibration batch (ignored when the model has a fixed batch size).</summary>
    public int BatchSize { get; init; } = 32;
}
