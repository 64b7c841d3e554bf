using EdgeDigits.Core;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Evaluation;

/// <summary>The work behind <c>edgedigits eval</c>: load data, evaluate each model, write figures.</summary>
public static class EvalService
{
    /// <summary>Default seed of the held-out "not a digit" crops (test split of <see cref="NotDigitGenerator"/>).</summary>
    public const int NotDigitSeed = 20261124;

    /// <summary>Images the batched profile runs cover (the batch-1 profile runs 5 x <see cref="EvalOptions.LatencySamples"/> times).</summary>
    public const int ProfiledImages = 12800;

    /// <summary>Evaluates <paramref name="models"/> on <paramref name="dataPath"/>; figures go to <paramref name="outDir"/> when given.</summary>
    /// <param name="models">One or two model paths (fp32 first, then int8, for the comparison).</param>
    /// <param name="dataPath">MNIST IDX folder (test split) or folder dataset.</param>
    /// <param name="options">Batch size, threads, latency samples.</param>
    /// <param name="notDigitSamples">Held-out non-digit crops to show each model (0 to skip).</param>
    /// <param name="outDir">Folder for PNG figures and report.json, or null.</param>
    /// <param name="progress">Progress lines (stderr in the CLI).</param>
    /// <exception cref="FileNotFoundException">A model is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">The data folder is missing.</exception>
    /// <exception cref="InvalidDataException">Bad model, metadata or data.</exception>
    public static EvalReport Run(IReadOnlyList<string> models, string dataPath, EvalOptions options, int notDigitSamples, string? outDir, TextWriter progress)
    {
        foreach (var m in models)
            if (!File.Exists(m)) throw new FileNotFoundException($"{m}: model file not found", m);
        var data = DatasetLoader.Load(dataPath, MnistSplit.Test);
        if (data.Count == 0) throw new InvalidDataException($"{dataPath}: no images");
        DigitSet? none = null;
        NotDigitKind[]? kinds = null;
        if (notDigitSamples > 0)
        {
            try
            {
                (none, kinds) = new NotDigitGenerator().GenerateWithKinds(notDigitSamples, SyntheticSplit.Test, NotDigitSeed);
            }
            // The crops are drawn in parallel with system fonts: without them (no fonts-dseg, say) the figure is skipped, the eval goes on.
            catch (Exception ex) when (Core.WorkerExceptions.FirstCause(ex) is InvalidOperationException or InvalidDataException)
            {
                progress.WriteLine($"eval: skipping the 'not a digit' figure: {Core.WorkerExceptions.FirstCause(ex).Message}");
            }
        }
        var evaluator = new ModelEvaluator(options, progress);
        // Timed together first, in alternating rounds, so the int8/fp32 ratio does not depend on when each ran.
        var timings = InferenceTimer.Measure(models, data, options, progress);
        var profiles = new List<OpProfile>();
        if (options.ProfileDir is { } profileDir)
            foreach (var m in models)
            {
                progress.WriteLine($"eval: ORT profile of {Path.GetFileName(m)} (batch {options.BatchSize} and 1)");
                profiles.Add(OrtOpProfile.Record(m, data, options.BatchSize, ProfiledImages / options.BatchSize + 1, options.Threads, profileDir));
                profiles.Add(OrtOpProfile.Record(m, data, 1, options.LatencySamples * 5, options.Threads, profileDir));
            }
        // The profiler's whole microseconds and per-node overhead hide where a batch-1 run goes; the layer cuts show it.
        var layerCuts = options.ProfileDir is null ? [] : models.Select(m =>
        {
            progress.WriteLine($"eval: batch-1 time of {Path.GetFileName(m)} cut after each layer");
            return LayerCutTimer.Measure(m, data, options.LatencySamples * 2, options.Threads);
        }).ToList();
        var results = models.Select((m, i) => evaluator.Evaluate(m, data, none, kinds, timings[i])).ToList();
        return Report(dataPath, data, results, outDir, options.GalleryMax, none is null ? null : NotDigitSeed, profiles, layerCuts);
    }

    /// <summary>"mnist-test", "mnist-train" (only when the test pair is absent) or "folder": what <paramref name="dataPath"/> is.</summary>
    public static string DataKind(string dataPath) =>
        Mnist.Exists(dataPath, MnistSplit.Test) ? "mnist-test" : Mnist.Exists(dataPath, MnistSplit.Train) ? "mnist-train" : "folder";

    /// <summary>
    /// The report of <paramref name="results"/> on <paramref name="data"/>; with <paramref name="outDir"/>, also each
    /// evaluation's confusion heat map and misclassified gallery (named after its model) and report.json there.
    /// </summary>
    public static EvalReport Report(string dataPath, DigitSet data, IReadOnlyList<ModelEvaluation> results, string? outDir, int galleryMax, int? notDigitSeed, IReadOnlyList<OpProfile>? opProfiles = null, IReadOnlyList<LayerCutProfile>? layerCuts = null)
    {
        var kind = DataKind(dataPath);
        var figures = new List<(string?, string?)>();
        if (outDir is not null) Directory.CreateDirectory(outDir);
        foreach (var e in results)
        {
            if (outDir is null)
            {
                figures.Add((null, null));
                continue;
            }
            var m = e.ModelPath;
            var stem = Path.GetFileNameWithoutExtension(m);
            var confusion = Path.Combine(outDir, $"{stem}-confusion.png");
            var gallery = Path.Combine(outDir, $"{stem}-misclassified.png");
            EvalFigures.ConfusionHeatmap(e.Metrics, $"{Path.GetFileName(m)} on {Path.GetFileName(Path.TrimEndingDirectorySeparator(dataPath))} ({kind})", confusion);
            EvalFigures.MisclassifiedGallery(data, e, Path.GetFileName(m), gallery, galleryMax);
            figures.Add((confusion, gallery));
        }
        var report = new EvalReport
        {
            DataPath = dataPath,
            DataKind = kind,
            DataClasses = data.ClassNames,
            Models = results,
            Figures = figures,
            NotDigitSeed = notDigitSeed,
            OpProfiles = opProfiles ?? [],
            LayerCuts = layerCuts ?? [],
        };
        if (outDir is not null)
        {
            var json = Path.Combine(outDir, "report.json");
            AtomicFile.WriteAllText(json, report.ToJsonText());
        }
        return report;
    }
}
