using EdgeDigits.Core.Models;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Quantization;

/// <summary>The work behind <c>edgedigits quantize</c>: file in, calibration data, file out (atomically).</summary>
public static class ModelQuantizationService
{
    /// <summary>Quantizes <paramref name="inputPath"/> into <paramref name="outputPath"/> with calibration images from <paramref name="calibrationPath"/>.</summary>
    /// <param name="inputPath">fp32 ONNX model.</param>
    /// <param name="outputPath">Where the QDQ model is written (temporary file, then rename; nothing on failure).</param>
    /// <param name="calibrationPath">MNIST IDX folder (training split preferred) or folder dataset; for a meter wheel model, a meter window folder <c>DIR/&lt;d.t&gt;/*.jpg</c>.</param>
    /// <param name="samples">Number of calibration images (class-balanced sample).</param>
    /// <param name="options">Method, per-channel, activation type.</param>
    /// <param name="log">Progress and warnings.</param>
    /// <exception cref="FileNotFoundException">The model is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">The calibration folder is missing.</exception>
    /// <exception cref="InvalidDataException">Bad model or calibration data; the message names the file.</exception>
    public static QuantizationResult QuantizeFile(string inputPath, string outputPath, string calibrationPath, int samples, QuantizationOptions options, TextWriter log)
    {
        if (samples <= 0) throw new ArgumentOutOfRangeException(nameof(samples), "--samples must be positive");
        var model = OnnxModelFile.Load(inputPath);
        var metadata = ModelMetadata.LoadFor(inputPath);
        // A meter wheel model is calibrated on meter windows normalized as the device normalizes them, not on MNIST-style crops.
        var data = metadata.Kind == ModelMetadata.MeterTenthsKind
            ? Data.Meters.MeterDigitSet.Load(calibrationPath).Windows
            : DatasetLoader.Load(calibrationPath, MnistSplit.Train);
        if (data.Count == 0) throw new InvalidDataException($"{calibrationPath}: calibration set is empty");
        var calibration = DatasetLoader.Sample(data, samples, seed: 12345);
        var result = new QdqQuantizer(options, log).Quantize(model, calibration, metadata, inputPath);
        OnnxModelFile.Save(result.Model, outputPath);
        RecordCalibration(inputPath, outputPath, calibrationPath, calibration.Count, options, result.FloatStem);
        return result;
    }

    /// <summary>
    /// Records the quantization settings in the metadata of the output (<c>x-int8.onnx</c> shares
    /// <c>x.json</c> with <c>x-fp32.onnx</c>); a model without metadata gets none.
    /// </summary>
    private static void RecordCalibration(string inputPath, string outputPath, string calibrationPath, int samples, QuantizationOptions options, string? floatStem)
    {
        var source = ModelMetadata.PathFor(inputPath);
        if (!File.Exists(source)) return;
        var target = ModelMetadata.PathFor(outputPath);
        var meta = ModelMetadata.Load(File.Exists(target) ? target : source);
        var calibration = new System.Text.Json.Nodes.JsonObject
        {
            ["format"] = "qdq",
            ["method"] = options.Method.ToString().ToLowerInvariant(),
            ["samples"] = samples,
            ["data"] = calibrationPath,
            ["weights"] = options.PerChannel ? "int8 symmetric per-channel" : "int8 symmetric per-tensor",
            ["activations"] = options.Activations.ToString().ToLowerInvariant(),
            ["bias"] = "int32",
            ["floatStem"] = floatStem,
            ["fp32Model"] = Path.GetFileName(inputPath),
        };
        if (options.FloatNodes.Count > 0)
            calibration["floatNodes"] = new System.Text.Json.Nodes.JsonArray(options.FloatNodes.Order(StringComparer.Ordinal).Select(n => (System.Text.Json.Nodes.JsonNode?)n).ToArray());
        meta.Calibration = calibration;
        meta.Save(target);
    }
}
