using EdgeDigits.Training.Trainer;
using EdgeDigits.Training.Onnx.Proto;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace EdgeDigits.Training.Quantization;

/// <summary>What calibration observed for one float tensor.</summary>
public sealed class TensorStatistics
{
    /// <summary>Smallest value seen.</summary>
    public float Min { get; set; } = float.PositiveInfinity;

    /// <summary>Largest value seen.</summary>
    public float Max { get; set; } = float.NegativeInfinity;

    /// <summary>Largest |x| seen.</summary>
    public float AbsMax => Math.Max(Math.Abs(Min), Math.Abs(Max));

    /// <summary>Counts of |x| in equal bins over [0, <see cref="AbsMax"/>], when a histogram method ran.</summary>
    public long[]? Histogram { get; set; }

    /// <summary>Shape of one observed batch (batch dimension included).</summary>
    public long[] Shape { get; set; } = [];
}

/// <summary>Runs calibration samples (images or inks) through ONNX Runtime with every float intermediate added as a graph output, collecting ranges.</summary>
internal static class Calibrator
{
    public static Dictionary<string, TensorStatistics> Collect(ModelProto prepared, IReadOnlyCollection<string> tensors, ModelInput input,
        CalibrationData data, QuantizationOptions options, TextWriter log)
    {
        if (!input.SampleShape.SequenceEqual(data.SampleShape))
            throw new InvalidDataException($"input '{input.Name}' takes [N,{string.Join(",", input.SampleShape)}], the calibration {data.Unit} are [N,{string.Join(",", data.SampleShape)}]");
        var model = prepared.Clone();
        var existing = model.Graph.Output.Select(o => o.Name).ToHashSet();
        var wanted = tensors.Where(t => t != input.Name).ToList();
        foreach (var t in wanted.Where(t => !existing.Contains(t))) model.Graph.Output.Add(OnnxTensors.FloatValueInfo(t));
        model.Graph.ValueInfo.Clear();
        var stats = wanted.ToDictionary(t => t, _ => new TensorStatistics());
        var inputStats = new TensorStatistics();
        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(model.ToByteArray(), so);
        var passes = options.Method == CalibrationMethod.MinMax ? 1 : 2;
        for (var pass = 0; pass < passes; pass++)
        {
            if (pass == 1)
            {
                foreach (var s in stats.Values.Append(inputStats)) s.Histogram = new long[options.HistogramBins];
            }
            RunBatches(session, input, data, options, wanted, (name, values, shape) =>
            {
                var s = name is null ? inputStats : stats[name];
                if (pass == 0) Accumulate(s, values, shape);
                else AddToHistogram(s, values);
            }, log, pass == 0 ? "calibrating ranges" : "calibrating histograms");
        }
        stats[input.Name] = inputStats;
        return stats;
    }

    private static void RunBatches(InferenceSession session, ModelInput input, CalibrationData data, QuantizationOptions options,
        List<string> outputs, Action<string?, ReadOnlySpan<float>, long[]> sink, TextWriter log, string label)
    {
        var batch = input.FixedBatch > 0 ? input.FixedBatch : Math.Max(1, options.BatchSize);
        var size = data.SampleSize;
        var buffer = new float[batch * size];
        long[] shape = [0, .. data.SampleShape.Select(d => (long)d)];
        var batches = (data.Count + batch - 1) / batch;
        if (input.FixedBatch > 0) batches = data.Count / batch;
        using var runOptions = new RunOptions();
        var bar = new ProgressBar(log);
        for (var b = 0; b < batches; b++)
        {
            var start = b * batch;
            var count = Math.Min(batch, data.Count - start);
            data.Fill(start, count, buffer);
            shape[0] = count;
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, count * size), shape);
            sink(null, buffer.AsSpan(0, count * size), [.. shape]);
            using var results = session.Run(runOptions, [input.Name], [value], outputs);
            for (var i = 0; i < outputs.Count; i++)
            {
                var info = results[i].GetTensorTypeAndShape();
                if (info.ElementDataType != Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float) continue;
                sink(outputs[i], results[i].GetTensorDataAsSpan<float>(), info.Shape);
            }
            bar.Report($"quantize: {label} {(b + 1) * 100 / batches,3}% ({Math.Min(data.Count, (b + 1) * batch)}/{data.Count} {data.Unit})", force: b == batches - 1);
        }
        bar.Finish();
    }

    private static void Accumulate(TensorStatistics s, ReadOnlySpan<float> values, long[] shape)
    {
        if (values.Length == 0) return;
        var min = System.Numerics.Tensors.TensorPrimitives.Min(values);
        var max = System.Numerics.Tensors.TensorPrimitives.Max(values);
        if (min < s.Min) s.Min = min;
        if (max > s.Max) s.Max = max;
        s.Shape = shape;
    }

    private static void AddToHistogram(TensorStatistics s, ReadOnlySpan<float> values)
    {
        var h = s.Histogram!;
        var absMax = s.AbsMax;
        if (absMax <= 0) { h[0] += values.Length; return; }
        var k = h.Length / absMax;
        foreach (var v in values)
        {
            // Exact zeros (half of every ReLU output) are always representable; counting them would let the
            // zero spike dominate the KL divergence and pull the entropy threshold far too low.
            if (v == 0f) continue;
            var i = (int)(MathF.Abs(v) * k);
            h[i >= h.Length ? h.Length - 1 : i]++;
        }
    }
}
