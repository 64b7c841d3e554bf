using System.CommandLine;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Quantization;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits quantize</c>: static int8 QDQ quantization of an fp32 ONNX model.</summary>
public sealed class QuantizeCommand : Command
{
    /// <summary>The fp32 model.</summary>
    public Option<string> Input { get; } = new("--input") { Description = "fp32 ONNX model to quantize", Required = true };

    /// <summary>Where the QDQ model goes.</summary>
    public Option<string> Output { get; } = new("--output") { Description = "Path of the int8 QDQ model to write", Required = true };

    /// <summary>Calibration images.</summary>
    public Option<string> Calibration { get; } = new("--calibration")
    {
        Description = "Calibration data: an MNIST IDX folder (training split used) or a DIR/<label>/*.png folder dataset; for a meter wheel model a meter window folder; for an ink sequence model the UCI pen-digit folder",
        Required = true,
    };

    /// <summary>Number of calibration images.</summary>
    public Option<int> Samples { get; } = new("--samples") { Description = "Calibration images or inks (class-balanced sample)", DefaultValueFactory = _ => 500 };

    /// <summary>Pen writers calibrating an ink sequence model.</summary>
    public Option<string?> PenWriters { get; } = new("--pen-writers")
    {
        Description = "Ink sequence model only: pen writers whose digits calibrate it, e.g. 1-24 (default: the writers it was trained on, from its metadata)",
    };

    /// <summary>Range method.</summary>
    public Option<string> Method { get; } = new("--method") { Description = "Activation range method: minmax, percentile or entropy", DefaultValueFactory = _ => "minmax" };

    /// <summary>Per-channel weight scales.</summary>
    public Option<bool> PerChannel { get; } = new("--per-channel")
    {
        Description = "One weight scale per output channel (default true; '--per-channel false' for per-tensor)",
        DefaultValueFactory = _ => true,
    };

    /// <summary>Activation integer type.</summary>
    public Option<string> Activations { get; } = new("--activations")
    {
        Description = "Activation type: uint8 (fastest on x86) or int8 (ARM dot-product kernels)",
        DefaultValueFactory = _ => "uint8",
    };

    /// <summary>Stem convolution in float.</summary>
    public Option<bool> FloatStem { get; } = new("--float-stem")
    {
        Description = "Keep the first Conv (1-3 input channels) and its Relu/MaxPool in float, where ORT's int8 conv is slower than fp32 (default true)",
        DefaultValueFactory = _ => true,
    };

    /// <summary>Nodes kept in float besides the stem.</summary>
    public Option<string[]> FloatNodes { get; } = new("--float-nodes")
    {
        Description = "Names of nodes kept in float besides the stem (a per-layer choice to make from 'eval --profile'; a float tail, since ORT quantizes a float Conv between quantized tensors itself)",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Creates the command.</summary>
    public QuantizeCommand() : base("quantize", "Quantize an fp32 ONNX CNN to int8 (QDQ, per-channel symmetric weights, int32 bias, calibrated activations).")
    {
        Method.AcceptOnlyFromAmong("minmax", "percentile", "entropy");
        Activations.AcceptOnlyFromAmong("uint8", "int8");
        Samples.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0) r.AddError("--samples must be a positive number of images");
        });
        Add(Input);
        Add(Output);
        Add(Calibration);
        Add(Samples);
        Add(Method);
        Add(PerChannel);
        Add(Activations);
        Add(FloatStem);
        Add(FloatNodes);
        Add(PenWriters);
        PenWriters.Validators.Add(r => { if (r.GetValueOrDefault<string?>() is not null) WriterRangeOption.Validate(r); });
        SetAction(parse => Execute(
            parse.GetValue(Input)!, parse.GetValue(Output)!, parse.GetValue(Calibration)!, parse.GetValue(Samples),
            parse.GetValue(PenWriters) is { } w ? WriterRange.Parse(w) : null,
            new QuantizationOptions
            {
                Method = parse.GetValue(Method) switch { "percentile" => CalibrationMethod.Percentile, "entropy" => CalibrationMethod.Entropy, _ => CalibrationMethod.MinMax },
                PerChannel = parse.GetValue(PerChannel),
                Activations = parse.GetValue(Activations) == "int8" ? ActivationType.Int8 : ActivationType.UInt8,
                FloatStem = parse.GetValue(FloatStem),
                FloatNodes = (parse.GetValue(FloatNodes) ?? []).ToHashSet(),
            }));
    }

    private static int Execute(string input, string output, string calibration, int samples, WriterRange? penWriters, QuantizationOptions options) =>
        CommandRunner.Run("quantize", () =>
        {
            var result = ModelQuantizationService.QuantizeFile(input, output, calibration, samples, options, Console.Error, penWriters);
            var ops = OrtGraphInspector.OptimizedOpCounts(output);
            var integer = ops.Where(kv => OrtGraphInspector.IntegerOps.Contains(kv.Key)).Select(kv => $"{kv.Key} x{kv.Value}");
            Console.WriteLine($"quantize: wrote {output} ({new FileInfo(output).Length:N0} bytes; fp32 {new FileInfo(input).Length:N0} bytes)");
            Console.WriteLine($"quantize: {result.QuantizedNodes} nodes quantized; float: {(result.FloatOps.Count == 0 ? "none" : string.Join(", ", result.FloatOps.Select(kv => $"{kv.Key} x{kv.Value}")))}");
            Console.WriteLine($"quantize: ONNX Runtime integer kernels: {string.Join(", ", integer.DefaultIfEmpty("none"))}");
        });
}
