using System.Globalization;
using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Evaluation;

/// <summary>Whole-string accuracy of one model on composed frames or cluttered forms.</summary>
/// <param name="Model">The model file.</param>
/// <param name="Data">Where the digits came from.</param>
/// <param name="Seed">Seed of the composition.</param>
/// <param name="Clutter">Cluttered forms (true) or plain composed frames.</param>
/// <param name="Count">Images read.</param>
/// <param name="Correct">Images whose reading is the whole number written.</param>
/// <param name="Failures">The first misreadings, "#index truth read text".</param>
public sealed record FormEvalReport(string Model, string Data, int Seed, bool Clutter, int Count, int Correct, IReadOnlyList<string> Failures)
{
    /// <summary>Whole-string accuracy.</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>One paragraph of text.</summary>
    public string ToText()
    {
        var kind = Clutter ? "cluttered forms" : "composed frames";
        var s = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(Model)}: {kind} from {Data} (seed {Seed}): whole-string {Correct}/{Count} = {Accuracy:P2}\n");
        foreach (var f in Failures.Take(10)) s += "  " + f + "\n";
        return s;
    }

    /// <summary>The reports as a JSON array.</summary>
    public static string ToJsonText(IReadOnlyList<FormEvalReport> reports) =>
        JsonSerializer.Serialize(reports.Select(r => new { model = r.Model, data = r.Data, seed = r.Seed, clutter = r.Clutter, count = r.Count, correct = r.Correct, accuracy = r.Accuracy, failures = r.Failures }),
            new JsonSerializerOptions { WriteIndented = true }) + "\n";
}

/// <summary>
/// The work behind <c>edgedigits eval --forms N</c>: numbers of held-out digits composed into frames, or written on
/// cluttered forms (<see cref="ClutteredFormComposer"/>), read whole through the device's <see cref="NumberReader"/>.
/// </summary>
public static class FormEvaluation
{
    /// <summary>Images between two progress lines.</summary>
    public const int ProgressEvery = 200;

    /// <summary>Misreadings listed (and written to the misread folder) per model.</summary>
    public const int MaxFailures = 100;

    /// <summary>Reads <paramref name="count"/> composed images of digits from <paramref name="dataPath"/> with each model.</summary>
    /// <exception cref="FileNotFoundException">A model is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">The data folder is missing.</exception>
    /// <exception cref="InvalidDataException">The data folder holds no digits.</exception>
    /// <param name="models">The image models, each read on the same images.</param>
    /// <param name="dataPath">MNIST folder (test split) or folder dataset of the digits.</param>
    /// <param name="count">Images per model.</param>
    /// <param name="seed">Seed of the composition.</param>
    /// <param name="clutter">Cluttered forms instead of plain composed frames.</param>
    /// <param name="progress">Progress lines.</param>
    /// <param name="misreadDir">Folder for the first misread images, or null.</param>
    /// <param name="testTimeCrops">The reader's test-time averaging (<see cref="NumberReaderOptions.TestTimeCrops"/>), or null for the default.</param>
    public static IReadOnlyList<FormEvalReport> Run(IReadOnlyList<string> models, string dataPath, int count, int seed, bool clutter, TextWriter progress, string? misreadDir = null,
        EdgeDigits.Core.Meters.MeterTestTimeCrops? testTimeCrops = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        foreach (var m in models)
            if (!File.Exists(m)) throw new FileNotFoundException($"{m}: model file not found", m);
        var digits = DatasetLoader.Load(dataPath, MnistSplit.Test);
        if (digits.Count == 0) throw new InvalidDataException($"{dataPath}: no digits");
        progress.WriteLine($"eval: composing {count} {(clutter ? "cluttered forms" : "frames")} from {digits.Count} digits of {dataPath} (seed {seed})");
        var reports = new List<FormEvalReport>();
        foreach (var model in models)
        {
            using var classifier = new DigitClassifier(model);
            var reader = new NumberReader(classifier, testTimeCrops is null ? null : new NumberReaderOptions { TestTimeCrops = testTimeCrops });
            var result = new Reading();
            var rng = new Random(seed);
            var failures = new List<string>();
            int ok = 0;
            var dir = misreadDir is null ? null : models.Count == 1 ? misreadDir : Path.Combine(misreadDir, Path.GetFileNameWithoutExtension(model));
            if (dir is not null) Directory.CreateDirectory(dir);
            for (int k = 0; k < count; k++)
            {
                var form = ClutteredFormComposer.Next(digits, rng, clutter);
                reader.ReadInto(form.Image, result);
                var text = result.Text;
                if (text == form.Truth) ok++;
                else if (failures.Count < MaxFailures)
                {
                    failures.Add($"#{k} {form.Truth} read {text}");
                    if (dir is not null) GrayImageCodec.SavePng(form.Image, Path.Combine(dir, $"form-{k:D5}-{form.Truth}-read-{text.Replace('?', 'q')}.png"));
                }
                if ((k + 1) % ProgressEvery == 0 || k + 1 == count) progress.WriteLine($"eval: {Path.GetFileName(model)}: {k + 1}/{count} read, {ok} whole");
            }
            reports.Add(new FormEvalReport(model, dataPath, seed, clutter, count, ok, failures));
        }
        return reports;
    }
}
