using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Trainer;
using EdgeDigits.Training.Synthetic;
using ModelMetadata = EdgeDigits.Core.Models.ModelMetadata;

namespace EdgeDigits.Training.Evaluation;

/// <summary>Settings of an evaluation run.</summary>
public sealed record EvalOptions
{
    /// <summary>Images per inference batch for the accuracy pass.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>ONNX Runtime intra-op threads (1 approximates one core of the device).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Single-image inferences timed for the batch-1 latency median.</summary>
    public int LatencySamples { get; init; } = 200;

    /// <summary>Folder for ONNX Runtime's per-operator profiles (<see cref="OrtOpProfile"/>) of each model at the batch size and at batch 1, or null.</summary>
    public string? ProfileDir { get; init; }

    /// <summary>Most misclassified samples shown in the gallery PNG.</summary>
    public int GalleryMax { get; init; } = 100;
}

/// <summary>Latency figures of one model (<see cref="InferenceTimer"/>: lower quartiles of runs timed one by one).</summary>
/// <param name="BatchSize">Batch size of the batched runs.</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="MsPerImage">Time of one batched run (lower quartile) per image.</param>
/// <param name="ImagesPerSecond">1000 / <paramref name="MsPerImage"/>.</param>
/// <param name="SingleImageMsMedian">Time of one batch-1 inference, lower quartile (what the device pays per digit; the name is kept for the JSON format).</param>
public sealed record LatencyStats(int BatchSize, int Threads, double MsPerImage, double ImagesPerSecond, double SingleImageMsMedian);

/// <summary>How often the model reads a "not a digit" crop as a digit.</summary>
/// <param name="Count">Held-out non-digit crops shown.</param>
/// <param name="Method">"reject-class+threshold" when the model has a reject class, else "threshold".</param>
/// <param name="ReadAsDigit">Crops given a digit class with confidence at or above the threshold.</param>
/// <param name="ReadAsDigitRate">ReadAsDigit / Count.</param>
/// <param name="ArgmaxDigitRate">Crops whose top class is a digit, whatever the confidence.</param>
/// <param name="ByKind">ReadAsDigitRate per <see cref="NotDigitKind"/>.</param>
public sealed record NotDigitStats(int Count, string Method, int ReadAsDigit, double ReadAsDigitRate, double ArgmaxDigitRate, IReadOnlyDictionary<string, double> ByKind);

/// <summary>A classical baseline evaluated like a model: its learner, features and training.</summary>
/// <param name="Learner">Learner name (knn, svm, tree, forest).</param>
/// <param name="Features">Feature name (pixels, pca, hog).</param>
/// <param name="Settings">The learner's fitted settings, e.g. "k=4, distance-weighted".</param>
/// <param name="TrainSources">Training data sets, as given.</param>
/// <param name="TrainCount">Training images.</param>
/// <param name="TrainSeconds">Wall time of feature fitting, extraction and training.</param>
public sealed record BaselineInfo(string Learner, string Features, string Settings, IReadOnlyList<string> TrainSources, int TrainCount, double TrainSeconds);

/// <summary>Accepted fraction and accuracy at the metadata's confidence threshold.</summary>
/// <param name="Value">The threshold.</param>
/// <param name="Accepted">Fraction of samples whose top class is a digit with confidence ≥ threshold.</param>
/// <param name="AcceptedAccuracy">Accuracy among accepted samples.</param>
public sealed record ThresholdStats(float Value, double Accepted, double AcceptedAccuracy)
{
    /// <summary>
    /// The figures at <paramref name="value"/>: a sample is accepted when its top class (<paramref name="modelPredicted"/>,
    /// in the model's class order) is not <paramref name="reject"/> (-1: none) and its confidence reaches the value.
    /// </summary>
    public static ThresholdStats Measure(float value, int[] truth, int[] predicted, int[] modelPredicted, float[] confidence, int reject)
    {
        var accepted = 0;
        var acceptedCorrect = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (modelPredicted[i] == reject || confidence[i] < value) continue;
            accepted++;
            if (predicted[i] == truth[i]) acceptedCorrect++;
        }
        return new ThresholdStats(value, truth.Length == 0 ? 0 : accepted / (double)truth.Length, accepted == 0 ? 0 : acceptedCorrect / (double)accepted);
    }
}

/// <summary>Everything measured for one model on one data set.</summary>
public sealed class ModelEvaluation
{
    /// <summary>Path of the model file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>File size in bytes.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>The metadata used (file or MNIST default).</summary>
    public required ModelMetadata Metadata { get; init; }

    /// <summary>Whether <see cref="Metadata"/> came from a file (false: MNIST default).</summary>
    public required bool MetadataFromFile { get; init; }

    /// <summary>Accuracy, per-class metrics and confusion matrix.</summary>
    public required ClassificationMetrics Metrics { get; init; }

    /// <summary>True class index (into <see cref="ClassificationMetrics.Classes"/>) of each sample.</summary>
    public required int[] Truth { get; init; }

    /// <summary>Predicted class index of each sample.</summary>
    public required int[] Predicted { get; init; }

    /// <summary>Top-class probability of each sample.</summary>
    public required float[] Confidence { get; init; }

    /// <summary>Figures at the confidence threshold.</summary>
    public required ThresholdStats Threshold { get; init; }

    /// <summary>Latency figures.</summary>
    public required LatencyStats Latency { get; init; }

    /// <summary>"Not a digit" figures, when non-digit crops were evaluated.</summary>
    public NotDigitStats? NotADigit { get; init; }

    /// <summary>What was trained, when this is a classical baseline rather than an ONNX model.</summary>
    public BaselineInfo? Baseline { get; init; }
}

/// <summary>Evaluates ONNX digit models on a <see cref="DigitSet"/>.</summary>
public sealed class ModelEvaluator(EvalOptions options, TextWriter progress)
{
    /// <summary>
    /// Runs <paramref name="modelPath"/> over <paramref name="data"/> (and optional held-out non-digit crops). The latency
    /// figures are <paramref name="timing"/> when given (several models timed together), else timed here alone.
    /// </summary>
    /// <exception cref="FileNotFoundException">The model is missing.</exception>
    /// <exception cref="InvalidDataException">The model or its metadata do not fit (input size, class count), or a data class is unknown to the model.</exception>
    public ModelEvaluation Evaluate(string modelPath, DigitSet data, DigitSet? notDigits = null, NotDigitKind[]? kinds = null, ModelTiming? timing = null)
    {
        if (data.Count == 0) throw new InvalidDataException("evaluation data set is empty");
        var metaPath = ModelMetadata.PathFor(modelPath);
        var fromFile = File.Exists(metaPath);
        var meta = ModelMetadata.LoadFor(modelPath);
        var classes = meta.Classes.ToList();
        foreach (var c in data.ClassNames) if (!classes.Contains(c)) classes.Add(c);
        foreach (var c in data.ClassNames.Where(c => !meta.Classes.Contains(c) && data.ClassCounts()[Array.IndexOf(data.ClassNames, c)] > 0))
        {
            if (c != DigitSet.NoneClass)
                throw new InvalidDataException($"data class '{c}' is not one of the model's classes ({string.Join(",", meta.Classes)})");
        }
        var dataMap = data.ClassNames.Select(c => classes.IndexOf(c)).ToArray();
        var modelMap = meta.Classes.Select(c => classes.IndexOf(c)).ToArray();
        var reject = meta.RejectClass is null ? -1 : Array.IndexOf(meta.Classes, meta.RejectClass);

        // The device's own classifier: eval accepts exactly the models the device loads.
        using var runner = OpenClassifier(modelPath, meta);
        var k = runner.ClassCount;
        var name = Path.GetFileName(modelPath);
        var batch = runner.MaxBatch;
        var probs = new float[batch * k];
        var truth = new int[data.Count];
        var predicted = new int[data.Count];
        var modelPred = new int[data.Count];
        var confidence = new float[data.Count];
        var bar = new ProgressBar(progress);
        for (var start = 0; start < data.Count; start += batch)
        {
            var n = Math.Min(batch, data.Count - start);
            runner.Classify(Images(data, start, n), probs);
            for (var i = 0; i < n; i++)
            {
                var (best, p) = ArgMax(probs.AsSpan(i * k, k));
                modelPred[start + i] = best;
                predicted[start + i] = modelMap[best];
                confidence[start + i] = p;
                truth[start + i] = dataMap[data.Labels[start + i]];
            }
            bar.Report($"eval: {name}: {start + n}/{data.Count} images ({(start + n) * 100 / data.Count}%)", force: start + n == data.Count);
        }
        bar.Finish();
        timing ??= InferenceTimer.Measure([modelPath], data, options, progress)[0];
        var latency = new LatencyStats(timing.BatchSize, timing.Threads, timing.BatchMsPerImage, 1000 / Math.Max(1e-9, timing.BatchMsPerImage), timing.SingleImageMs);

        var threshold = ThresholdStats.Measure(meta.ConfidenceThreshold, truth, predicted, modelPred, confidence, reject);

        NotDigitStats? none = null;
        if (notDigits is { Count: > 0 })
        {
            var nd = new float[notDigits.Count * k];
            runner.Classify(notDigits.Pixels, nd);
            var read = new bool[notDigits.Count];
            var argDigit = 0;
            for (var i = 0; i < notDigits.Count; i++)
            {
                var (best, p) = ArgMax(nd.AsSpan(i * k, k));
                if (best != reject) argDigit++;
                read[i] = best != reject && p >= meta.ConfidenceThreshold;
            }
            var byKind = new SortedDictionary<string, double>(StringComparer.Ordinal);
            if (kinds is not null)
                foreach (var g in Enumerable.Range(0, notDigits.Count).GroupBy(i => kinds[i].ToString()))
                    byKind[g.Key] = g.Count(i => read[i]) / (double)g.Count();
            var readCount = read.Count(r => r);
            none = new NotDigitStats(notDigits.Count, reject >= 0 ? "reject-class+threshold" : "threshold", readCount, readCount / (double)notDigits.Count,
                argDigit / (double)notDigits.Count, byKind);
        }

        return new ModelEvaluation
        {
            ModelPath = modelPath,
            SizeBytes = new FileInfo(modelPath).Length,
            Metadata = meta,
            MetadataFromFile = fromFile,
            Metrics = new ClassificationMetrics(classes, truth, predicted),
            Truth = truth,
            Predicted = predicted,
            Confidence = confidence,
            Threshold = threshold,
            Latency = latency,
            NotADigit = none,
        };
    }

    private static (int Index, float Value) ArgMax(ReadOnlySpan<float> v)
    {
        var best = 0;
        for (var i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return (best, v[best]);
    }

    private static ReadOnlySpan<byte> Images(DigitSet set, int start, int count) => set.Pixels.AsSpan(start * DigitSet.ImageSize, count * DigitSet.ImageSize);

    private DigitClassifier OpenClassifier(string modelPath, ModelMetadata meta)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: model file not found", modelPath);
        try
        {
            return new DigitClassifier(modelPath, meta, new DigitClassifierOptions { IntraOpThreads = options.Threads, MaxBatch = Math.Max(1, options.BatchSize) });
        }
        catch (ModelLoadException ex) { throw new InvalidDataException(ex.Message, ex); }
    }
}
