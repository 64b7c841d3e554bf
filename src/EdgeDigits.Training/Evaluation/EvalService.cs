using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Evaluation;

/// <summary>The work behind <c>edgedigits eval</c>: load data, evaluate each model, write figures.</summary>
public static class EvalService
{
    /// <summary>Default seed of the held-out "not a digit" crops (test split of <see cref="NotDigitGenerator"/>).</summary>
    public const int NotDigitSeed = 20261124;

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
        var kind = Mnist.Exists(dataPath, MnistSplit.Test) ? "mnist-test" : Mnist.Exists(dataPath, MnistSplit.Train) ? "mnist-train" : "folder";
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
        var results = new List<ModelEvaluation>();
        var figures = new List<(string?, string?)>();
        if (outDir is not null) Directory.CreateDirectory(outDir);
        foreach (var m in models)
        {
            var e = evaluator.Evaluate(m, data, none, kinds);
            results.Add(e);
            if (outDir is null)
            {
                figures.Add((null, null));
                continue;
            }
            var stem = Path.GetFileNameWithoutExtension(m);
            var confusion = Path.Combine(outDir, $"{stem}-confusion.png");
            var gallery = Path.Combine(outDir, $"{stem}-misclassified.png");
            EvalFigures.ConfusionHeatmap(e.Metrics, $"{Path.GetFileName(m)} on {Path.GetFileName(Path.TrimEndingDirectorySeparator(dataPath))} ({kind})", confusion);
            EvalFigures.MisclassifiedGallery(data, e, Path.GetFileName(m), gallery, options.GalleryMax);
            figures.Add((confusion, gallery));
        }
        var report = new EvalReport
        {
            DataPath = dataPath,
            DataKind = kind,
            DataClasses = data.ClassNames,
            Models = results,
            Figures = figures,
            NotDigitSeed = none is null ? null : NotDigitSeed,
        };
        if (outDir is not null)
        {
            var json = Path.Combine(outDir, "report.json");
            File.WriteAllText(json + ".tmp", report.ToJsonText());
            File.Move(json + ".tmp", json, overwrite: true);
        }
        return report;
    }
}
