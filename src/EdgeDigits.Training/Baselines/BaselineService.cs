using System.Diagnostics;
using EdgeDigits.Core.Models;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Evaluation;

namespace EdgeDigits.Training.Baselines;

/// <summary>
/// The work behind <c>edgedigits eval --baseline</c>: train a classical learner on MNIST-train and any folder
/// datasets, evaluate it on the eval data exactly as <see cref="ModelEvaluator"/> evaluates an ONNX model
/// (same metrics, figures and report), beside the shipped CNN.
/// </summary>
public static class BaselineService
{
    /// <summary>Trains the baseline and evaluates it, then <paramref name="cnnModel"/> (when given), on <paramref name="dataPath"/>.</summary>
    /// <param name="options">Learner, features, k, training limit, seed.</param>
    /// <param name="trainSources">Training sets: MNIST IDX folders (train split) or folder datasets.</param>
    /// <param name="dataPath">Evaluation data: MNIST IDX folder (test split) or folder dataset.</param>
    /// <param name="cnnModel">The ONNX model shown side by side, or null.</param>
    /// <param name="evalOptions">Batch size, threads and latency samples of the CNN, gallery size.</param>
    /// <param name="outDir">Folder for PNG figures and report.json, or null.</param>
    /// <param name="progress">Progress lines (stderr in the CLI).</param>
    /// <exception cref="ArgumentException">Unknown learner or features, no training set, one class, k too large.</exception>
    /// <exception cref="DirectoryNotFoundException">A data folder is missing.</exception>
    /// <exception cref="FileNotFoundException">The CNN model is missing.</exception>
    /// <exception cref="InvalidDataException">Unreadable data (wrong image size, bad labels) or no images.</exception>
    public static EvalReport Run(BaselineOptions options, IReadOnlyList<string> trainSources, string dataPath, string? cnnModel, EvalOptions evalOptions, string? outDir, TextWriter progress)
    {
        var featureName = options.Features ?? BaselineRegistry.DefaultFeatures(options.Learner);
        var learner = BaselineRegistry.CreateLearner(options.Learner, options);
        var features = BaselineRegistry.CreateFeatures(featureName);
        if (trainSources.Count == 0) throw new ArgumentException("baseline: no training data (give --train DIR, or keep the MNIST training set)");
        if (cnnModel is not null && !File.Exists(cnnModel)) throw new FileNotFoundException($"{cnnModel}: model file not found", cnnModel);
        var train = DigitSet.Concat(trainSources.Select(s => DatasetLoader.Load(s, MnistSplit.Train)).ToArray());
        if (options.TrainLimit is { } limit) train = DatasetLoader.Sample(train, limit, options.Seed);
        learner.CheckTrainingSize(train.Count);
        var data = DatasetLoader.Load(dataPath, MnistSplit.Test);
        if (data.Count == 0) throw new InvalidDataException($"{dataPath}: no images");
        progress.WriteLine($"baseline: {learner.Name} on {featureName} features, {train.Count} training images from {string.Join(", ", trainSources)}");

        var sw = Stopwatch.StartNew();
        features.Fit(train, progress);
        var x = features.ExtractAll(train);
        learner.Fit(x, train.Labels, train.ClassNames.Length, progress);
        var trainSeconds = sw.Elapsed.TotalSeconds;
        progress.WriteLine($"baseline: trained in {trainSeconds:F1} s ({learner.Settings})");

        var info = new BaselineInfo(learner.Name, featureName, learner.Settings, trainSources.ToArray(), train.Count, trainSeconds);
        var results = new List<ModelEvaluation> { Evaluate(learner, features, train.ClassNames, info, data, evalOptions, progress) };
        if (cnnModel is not null) results.Add(new ModelEvaluator(evalOptions, progress).Evaluate(cnnModel, data));
        return EvalService.Report(dataPath, data, results, outDir, evalOptions.GalleryMax, notDigitSeed: null);
    }

    /// <summary>
    /// Classifies every image of <paramref name="data"/> in batches on one thread and times it like an ONNX model
    /// (<see cref="InferenceTimer"/>): the lower quartile of the full batches, each timed on its own, and of
    /// single-image runs, features included (a device pays them).
    /// </summary>
    public static ModelEvaluation Evaluate(BaselineLearner learner, FeatureExtractor features, string[] trainClasses, BaselineInfo info, DigitSet data, EvalOptions evalOptions, TextWriter progress)
    {
        var classes = trainClasses.ToList();
        foreach (var c in data.ClassNames) if (!classes.Contains(c)) classes.Add(c);
        var dataMap = data.ClassNames.Select(c => classes.IndexOf(c)).ToArray();
        var n = data.Count;
        var truth = new int[n];
        var predicted = new int[n];
        var confidence = new float[n];
        var f = new float[features.Dimension];
        var scores = new float[learner.ClassCount];
        var name = $"{info.Learner}-{info.Features}";
        // The accuracy pass in batches, timed like the CNN's batch figure (features included).
        var batch = Math.Max(1, evalOptions.BatchSize);
        var fb = new float[batch * features.Dimension];
        var sb = new float[batch * learner.ClassCount];
        var best = new int[batch];
        var bar = new Trainer.ProgressBar(progress);
        var batchMs = new List<double>();
        for (var start = 0; start < n; start += batch)
        {
            var rows = Math.Min(batch, n - start);
            var t0 = Stopwatch.GetTimestamp();
            for (var r = 0; r < rows; r++) features.Extract(data.Image(start + r), fb.AsSpan(r * features.Dimension, features.Dimension));
            learner.PredictBatch(fb, rows, sb, best);
            if (rows == batch || batchMs.Count == 0) batchMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds / rows);
            for (var r = 0; r < rows; r++)
            {
                predicted[start + r] = best[r];
                confidence[start + r] = sb[r * learner.ClassCount + best[r]];
                truth[start + r] = dataMap[data.Labels[start + r]];
            }
            bar.Report($"eval: {name}: {start + rows}/{n} images ({(start + rows) * 100 / n}%)", force: start + rows == n);
        }
        bar.Finish();
        var msPerImage = InferenceTimer.LowerQuartile(batchMs);
        var single = new double[Math.Min(evalOptions.LatencySamples, n)];
        for (var i = 0; i < single.Length; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            features.Extract(data.Image(i), f);
            learner.Predict(f, scores);
            single[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        var meta = new ModelMetadata { Name = name, Classes = trainClasses.ToArray() };
        return new ModelEvaluation
        {
            ModelPath = name,
            SizeBytes = learner.ParameterBytes + features.ParameterBytes,
            Metadata = meta,
            MetadataFromFile = false,
            Metrics = new ClassificationMetrics(classes, truth, predicted),
            Truth = truth,
            Predicted = predicted,
            Confidence = confidence,
            Threshold = ThresholdStats.Measure(meta.ConfidenceThreshold, truth, predicted, predicted, confidence, reject: -1),
            Latency = new LatencyStats(batch, 1, msPerImage, 1000 / Math.Max(1e-9, msPerImage), InferenceTimer.LowerQuartile(single)),
            Baseline = info,
        };
    }
}
