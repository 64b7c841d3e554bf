using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EdgeDigits.Core.Models;

/// <summary>
/// The metadata file <c>models/&lt;name&gt;.json</c> that sits beside each ONNX model: what the
/// model expects as input, what its outputs mean, and how it was made and measured.
/// </summary>
/// <remarks>
/// A model without a metadata file follows the MNIST convention (<see cref="MnistDefault"/>):
/// input <c>[N,1,28,28]</c> float in [0,1], white digit on black, 10 logits.
/// </remarks>
public sealed class ModelMetadata
{
    /// <summary>Identifies this file format; readers refuse other values.</summary>
    public const string CurrentFormat = "edgedigits-model/1";

    /// <summary>The format tag, <see cref="CurrentFormat"/>.</summary>
    public string Format { get; set; } = CurrentFormat;

    /// <summary>Short model name, e.g. <c>digits</c>.</summary>
    public string Name { get; set; } = "digits";

    /// <summary>What the model reads: <see cref="DigitKind"/> (one MNIST-style crop, a digit or <c>none</c>), <see cref="MeterTenthsKind"/> (one whole meter digit window, the wheel position in tenths) or <see cref="InkSequenceKind"/> (one digit's strokes as a sequence of points).</summary>
    public string Kind { get; set; } = DigitKind;

    /// <summary>A handwriting / printed digit classifier fed MNIST-style crops (Core's <c>DigitNormalizer</c>).</summary>
    public const string DigitKind = "digit";

    /// <summary>A meter wheel model fed whole digit windows (Core's <c>MeterWindowNormalizer</c>), 100 classes "0.0" … "9.9".</summary>
    public const string MeterTenthsKind = "meter-tenths";

    /// <summary>
    /// An ink sequence model fed the strokes of one digit as points along the pen's path (Core's
    /// <c>InkSequenceFeatures</c>), input <c>[N,5,1,L]</c>; it reads inks beside a <see cref="DigitKind"/> model, never images.
    /// </summary>
    public const string InkSequenceKind = "ink-sequence";

    /// <summary>Name of the ONNX graph input.</summary>
    public string InputName { get; set; } = "input";

    /// <summary>Input shape, NCHW; -1 marks the dynamic batch dimension.</summary>
    public int[] InputShape { get; set; } = [-1, 1, 28, 28];

    /// <summary>Name of the ONNX graph output holding one score per class.</summary>
    public string OutputName { get; set; } = "logits";

    /// <summary>Whether the output holds raw <c>logits</c> or <c>probabilities</c> (softmax already applied).</summary>
    public string OutputKind { get; set; } = "logits";

    /// <summary>Pixel value for ink = <c>pixel/255 * Scale + Offset</c> after MNIST-style normalization (white ink on black).</summary>
    public float Scale { get; set; } = 1f;

    /// <summary>Added after scaling; see <see cref="Scale"/>.</summary>
    public float Offset { get; set; }

    /// <summary>The label of each output index, e.g. "0".."9", and optionally a reject class.</summary>
    public string[] Classes { get; set; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The label of the "not a digit" class, or null when the model has none.</summary>
    public string? RejectClass { get; set; }

    /// <summary>Softmax confidence below which a digit is reported as uncertain (<c>?</c>); chosen on held-out data.</summary>
    public float ConfidenceThreshold { get; set; } = 0.5f;

    /// <summary>For a <see cref="MeterTenthsKind"/> model: how far (in digits) from a whole digit a wheel may stand and still show it (<c>TenthsDecoder.CleanTolerance</c>); chosen on held-out meters.</summary>
    public float? CleanTolerance { get; set; }

    /// <summary>For a <see cref="MeterTenthsKind"/> model: how the confidence is measured (<c>TenthsDecoder.ConfidenceNames</c>: <c>mass</c> or <c>rival</c>); absent = <c>mass</c>.</summary>
    public string? ConfidenceMeasure { get; set; }

    /// <summary>For a <see cref="MeterTenthsKind"/> model: how many moved cuts of each window are read and averaged on the device (<c>MeterTestTimeCrops</c>: 1, 3 or 5); absent = 1.</summary>
    public int? TestTimeCrops { get; set; }

    /// <summary>Data sets, recipe (architecture, optimizer, schedule, augmentation, seed) and training time.</summary>
    public JsonObject? Training { get; set; }

    /// <summary>Quantization settings and the calibration data used, for int8 models.</summary>
    public JsonObject? Calibration { get; set; }

    /// <summary>Measured figures: accuracy per test set, size, multiply-accumulates, latency.</summary>
    public JsonObject? Metrics { get; set; }

    /// <summary>The metadata assumed for a model that has no metadata file.</summary>
    public static ModelMetadata MnistDefault => new();

    /// <summary>The path of the metadata file for <paramref name="modelPath"/>: <c>x-int8.onnx</c> and <c>x-fp32.onnx</c> share <c>x.json</c>, otherwise the extension is swapped.</summary>
    public static string PathFor(string modelPath)
    {
        var dir = Path.GetDirectoryName(modelPath) ?? "";
        var stem = Path.GetFileNameWithoutExtension(modelPath);
        var own = Path.Combine(dir, stem + ".json");
        if (File.Exists(own)) return own;
        foreach (var suffix in new[] { "-int8", "-fp32", "-uint8", "-fp16" })
        {
            if (stem.EndsWith(suffix, StringComparison.Ordinal))
                return Path.Combine(dir, stem[..^suffix.Length] + ".json");
        }
        return own;
    }

    /// <summary>Reads the metadata beside <paramref name="modelPath"/>, or returns <see cref="MnistDefault"/> when there is none.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not valid metadata; the message names the file.</exception>
    public static ModelMetadata LoadFor(string modelPath)
    {
        var path = PathFor(modelPath);
        return File.Exists(path) ? Load(path) : MnistDefault;
    }

    /// <summary>Reads and validates a metadata file.</summary>
    /// <exception cref="InvalidDataException">The file is not valid metadata; the message names the file and the problem.</exception>
    public static ModelMetadata Load(string path)
    {
        ModelMetadata? meta;
        try
        {
            meta = JsonSerializer.Deserialize(File.ReadAllText(path), ModelMetadataJsonContext.Default.ModelMetadata);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid model metadata JSON ({ex.Message})", ex);
        }
        if (meta is null) throw new InvalidDataException($"{path}: empty model metadata");
        meta.Validate(path);
        return meta;
    }

    /// <summary>Checks the fields for consistency.</summary>
    /// <exception cref="InvalidDataException">A field is missing or inconsistent; the message names <paramref name="source"/>.</exception>
    public void Validate(string source)
    {
        if (Format != CurrentFormat) throw new InvalidDataException($"{source}: format '{Format}' is not '{CurrentFormat}'");
        if (Kind == InkSequenceKind)
        {
            if (InputShape is not { Length: 4 } || InputShape[1] != Inks.InkSequenceFeatures.Channels || InputShape[2] != 1 || InputShape[3] < 2)
                throw new InvalidDataException($"{source}: an '{InkSequenceKind}' model's inputShape must be [N,{Inks.InkSequenceFeatures.Channels},1,L] with L >= 2");
        }
        else if (InputShape is not { Length: 4 } || InputShape[1] != 1 || InputShape[2] <= 0 || InputShape[3] <= 0)
            throw new InvalidDataException($"{source}: inputShape must be [N,1,H,W]");
        if (Classes is not { Length: >= 2 }) throw new InvalidDataException($"{source}: classes must list at least two labels");
        if (RejectClass is not null && Array.IndexOf(Classes, RejectClass) < 0)
            throw new InvalidDataException($"{source}: rejectClass '{RejectClass}' is not one of the classes");
        if (OutputKind is not ("logits" or "probabilities"))
            throw new InvalidDataException($"{source}: outputKind must be 'logits' or 'probabilities'");
        if (Kind is not (DigitKind or MeterTenthsKind or InkSequenceKind))
            throw new InvalidDataException($"{source}: kind must be '{DigitKind}', '{MeterTenthsKind}' or '{InkSequenceKind}' (got '{Kind}')");
        if (Kind == MeterTenthsKind && !Meters.TenthsDecoder.IsTenths(Classes))
            throw new InvalidDataException($"{source}: a '{MeterTenthsKind}' model must have the 100 classes \"0.0\" … \"9.9\"");
        if (ConfidenceThreshold is < 0 or > 1)
            throw new InvalidDataException($"{source}: confidenceThreshold must be within [0,1]");
        if (ConfidenceMeasure is { } measure && (Kind != MeterTenthsKind || !Meters.TenthsDecoder.ConfidenceNames.ContainsKey(measure)))
            throw new InvalidDataException($"{source}: confidenceMeasure applies to '{MeterTenthsKind}' models and must be {string.Join(" or ", Meters.TenthsDecoder.ConfidenceNames.Keys)} (got '{measure}')");
        if (TestTimeCrops is { } crops && (Kind != MeterTenthsKind || !Meters.MeterTestTimeCrops.AllowedCounts.Contains(crops)))
            throw new InvalidDataException($"{source}: testTimeCrops applies to '{MeterTenthsKind}' models and must be {string.Join(", ", Meters.MeterTestTimeCrops.AllowedCounts)} (got {crops})");
    }

    /// <summary>Writes the metadata as indented JSON, atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        Validate(path);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, ModelMetadataJsonContext.Default.ModelMetadata) + "\n");
    }

    /// <summary>The serializer settings used for metadata files (camelCase, indented, nulls omitted), source-generated so a trimmed build reads them.</summary>
    public static JsonSerializerOptions JsonOptions => ModelMetadataJsonContext.Default.Options;
}

/// <summary>Compile-time JSON code for <see cref="ModelMetadata"/>: the trimmed board build has no reflection-based serializer.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ModelMetadata))]
internal sealed partial class ModelMetadataJsonContext : JsonSerializerContext;
