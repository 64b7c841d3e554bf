using EdgeDigits.Core.Models;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.PenDigits;

namespace EdgeDigits.Training.Quantization;

/// <summary>The work behind <c>edgedigits quantize</c>: file in, calibration data, file out (atomically).</summary>
public static class ModelQuantizationService
{
    /// <summary>Quantizes <paramref name="inputPath"/> into <paramref name="outputPath"/> with calibration images from <paramref name="calibrationPath"/>.</summary>
    /// <param name="inputPath">fp32 ONNX model.</param>
    /// <param name="outputPath">Where the QDQ model is written (temporary file, then rename; nothing on failure).</param>
    /// <param name="calibrationPath">MNIST IDX folder (training split preferred) or folder dataset; for a meter wheel model, a meter window folder <c>DIR/&lt;d.t&gt;/*.jpg</c>;
    /// for an ink sequence model, the UCI pen-digit folder.</param>
    /// <param name="samples">Number of calibration images or inks (class-balanced sample).</param>
    /// <param name="options">Method, per-channel, activation type.</param>
    /// <param name="log">Progress and warnings.</param>
    /// <param name="penWriters">For an ink sequence model: the writers whose digits calibrate it; null = the writers it was
    /// trained on, as its metadata records them (<c>training.data.trainWriters</c>), so no held-out writer is ever seen.</param>
    /// <exception cref="FileNotFoundException">The model is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">The calibration folder is missing.</exception>
    /// <exception cref="InvalidDataException">Bad model or calibration data; the message names the file.</exception>
    public static QuantizationResult QuantizeFile(string inputPath, string outputPath, string calibrationPath, int samples, QuantizationOptions options, TextWriter log,
        WriterRange? penWriters = null)
    {
        if (samples <= 0) throw new ArgumentOutOfRangeException(nameof(samples), "--samples must be positive");
        var model = OnnxModelFile.Load(inputPath);
        var metadata = ModelMetadata.LoadFor(inputPath);
        if (penWriters is not null && metadata.Kind != ModelMetadata.InkSequenceKind)
            throw new ArgumentException($"--pen-writers applies to an ink sequence model; {inputPath} is a '{metadata.Kind}' model");
        CalibrationData calibration;
        if (metadata.Kind == ModelMetadata.InkSequenceKind)
        {
            // The ink sequence model is calibrated on real pen inks read by the device's feature builder, never on images.
            penWriters ??= TrainWriters(metadata, inputPath);
            calibration = CalibrationData.PenDigits(calibrationPath, penWriters, samples, metadata.InputShape[3], CalibrationSeed);
        }
        else
        {
            // A meter wheel model is calibrated on meter windows normalized as the device normalizes them, not on MNIST-style crops.
            var data = metadata.Kind == ModelMetadata.MeterTenthsKind
                ? Data.Meters.MeterDigitSet.Load(calibrationPath).Windows
                : DatasetLoader.Load(calibrationPath, MnistSplit.Train);
            if (data.Count == 0) throw new InvalidDataException($"{calibrationPath}: calibration set is empty");
            calibration = CalibrationData.Images(DatasetLoader.Sample(data, samples, CalibrationSeed), metadata);
        }
        var result = new QdqQuantizer(options, log).Quantize(model, calibration, inputPath);
        OnnxModelFile.Save(result.Model, outputPath);
        RecordCalibration(inputPath, outputPath, calibrationPath, calibration.Count, options, result.FloatStem, penWriters);
        return result;
    }

    /// <summary>Seed of the class-balanced calibration sample.</summary>
    public const int CalibrationSeed = 12345;

    /// <summary>The writers an ink sequence model was trained on, from its metadata.</summary>
    private static WriterRange TrainWriters(ModelMetadata metadata, string inputPath)
    {
        var text = metadata.Training?["data"]?["trainWriters"]?.GetValue<string>();
        if (string.IsNullOrEmpty(text))
            throw new InvalidDataException($"{ModelMetadata.PathFor(inputPath)}: the metadata does not record the writers the ink model was trained on (training.data.trainWriters); give --pen-writers");
        try { return WriterRange.Parse(text); }
        catch (ArgumentException ex) { throw new InvalidDataException($"{ModelMetadata.PathFor(inputPath)}: training.data.trainWriters: {ex.Message}"); }
    }

    /// <summary>
    /// Records the quantization settings in the metadata of the output (<c>x-int8.onnx</c> shares
    /// <c>x.json</c> with <c>x-fp32.onnx</c>); a model without metadata gets none.
    /// </summary>
    private static void RecordCalibration(string inputPath, string outputPath, string calibrationPath, int samples, QuantizationOptions options, string? floatStem, WriterRange? penWriters)
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
        if (penWriters is not null) calibration["penWriters"] = penWriters.ToString();
        meta.Calibration = calibration;
        meta.Save(target);
    }
}
