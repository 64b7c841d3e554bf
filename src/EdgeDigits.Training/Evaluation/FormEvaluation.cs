using System.Globalization;
using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Evaluation;

/// <summary>What <c>edgedigits eval --forms N</c> composes.</summary>
public enum FormKind
{
    /// <summary>A number on a plain composed frame.</summary>
    Composed,

    /// <summary>A number on a cluttered form (<c>--clutter</c>).</summary>
    Cluttered,

    /// <summary>A page with one lone mark and no number (<c>--lone-marks</c>): the right reading is empty.</summary>
    LoneMark,
}

/// <summary>
/// How the classifier does on the digits themselves, apart from the segmentation: each written digit's crop among all
/// those the frame pipeline cuts (<see cref="CropExtractor"/>, alternatives included) that matches the composer's box
/// (<see cref="DeviceInputDigits.BestMatch"/>), classified alone.
/// </summary>
/// <param name="Written">Digits written.</param>
/// <param name="Cut">Digits some crop matches.</param>
/// <param name="Right">Digits whose matching crop reads as the digit at or above the model's confidence threshold.</param>
/// <param name="NumbersRight">Numbers all of whose digits are cut and right.</param>
/// <param name="Lengths">Numbers written per length (index 0: one digit).</param>
public sealed record PerDigitCeiling(int Written, int Cut, int Right, int NumbersRight, IReadOnlyList<int> Lengths)
{
    /// <summary>Right over cut: the classifier's per-digit accuracy on the pipeline's own crops.</summary>
    public double Accuracy => Cut == 0 ? 0 : (double)Right / Cut;

    /// <summary>The whole-string accuracy that <see cref="Accuracy"/> alone implies for these numbers' lengths (independent digits): the mean of p^length.</summary>
    public double ImpliedWholeString
    {
        get
        {
            double sum = 0;
            int n = 0;
            for (int l = 0; l < Lengths.Count; l++) { sum += Lengths[l] * Math.Pow(Accuracy, l + 1); n += Lengths[l]; }
            return n == 0 ? 0 : sum / n;
        }
    }
}

/// <summary>Whole-string accuracy of one model on composed frames, cluttered forms or lone marks.</summary>
/// <param name="Model">The model file.</param>
/// <param name="Data">Where the digits came from.</param>
/// <param name="Seed">Seed of the composition.</param>
/// <param name="Kind">What was composed.</param>
/// <param name="Count">Images read.</param>
/// <param name="Correct">Images whose reading is the whole number written (empty for a lone mark).</param>
/// <param name="Failures">The first misreadings, "#index truth read text".</param>
/// <param name="Ceiling">The per-digit figures of numbers (null for lone marks).</param>
public sealed record FormEvalReport(string Model, string Data, int Seed, FormKind Kind, int Count, int Correct, IReadOnlyList<string> Failures, PerDigitCeiling? Ceiling)
{
    /// <summary>Whole-string accuracy.</summary>
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;

    /// <summary>One paragraph of text.</summary>
    public string ToText()
    {
        var kind = Kind switch { FormKind.Cluttered => "cluttered forms", FormKind.LoneMark => "lone marks (right reading: empty)", _ => "composed frames" };
        var s = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(Model)}: {kind} from {Data} (seed {Seed}): whole-string {Correct}/{Count} = {Accuracy:P2}\n");
        if (Ceiling is { } c)
            s += string.Create(CultureInfo.InvariantCulture,
                $"  per digit on the pipeline's crops matched to the written boxes: {c.Cut}/{c.Written} cut, {c.Right}/{c.Cut} = {c.Accuracy:P2} right; implies {c.ImpliedWholeString:P2} whole-string; numbers all cut and right {c.NumbersRight}/{Count}\n");
        foreach (var f in Failures.Take(10)) s += "  " + f + "\n";
        return s;
    }

    /// <summary>The reports as a JSON array.</summary>
    public static string ToJsonText(IReadOnlyList<FormEvalReport> reports) =>
        JsonSerializer.Serialize(reports.Select(r => new
        {
            model = r.Model, data = r.Data, seed = r.Seed, clutter = r.Kind == FormKind.Cluttered, loneMarks = r.Kind == FormKind.LoneMark, count = r.Count, correct = r.Correct, accuracy = r.Accuracy,
            perDigit = r.Ceiling is { } c ? new { written = c.Written, cut = c.Cut, right = c.Right, accuracy = c.Accuracy, impliedWholeString = c.ImpliedWholeString, numbersAllCutAndRight = c.NumbersRight } : null,
            failures = r.Failures,
        }), new JsonSerializerOptions { WriteIndented = true }) + "\n";
}

/// <summary>
/// The work behind <c>edgedigits eval --forms N</c>: numbers of held-out digits composed into frames, or written on
/// cluttered forms (<see cref="ClutteredFormComposer"/>), or pages of one lone mark, read whole through the device's
/// <see cref="NumberReader"/>; for numbers, also the classifier alone on the digits' crops (<see cref="PerDigitCeiling"/>).
/// </summary>
public static class FormEvaluation
{
    /// <summary>Images between two progress lines.</summary>
    public const int ProgressEvery = 200;

    /// <summary>Misreadings listed (and written to the misread folder) per model.</summary>
    public const int MaxFailures = 100;

    /// <summary>Reads <paramref name="count"/> composed images of digits from <paramref name="dataPath"/> (or lone marks) with each model.</summary>
    /// <exception cref="FileNotFoundException">A model is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">The data folder is missing.</exception>
    /// <exception cref="InvalidDataException">The data folder holds no digits.</exception>
    /// <param name="models">The image models, each read on the same images.</param>
    /// <param name="dataPath">MNIST folder (test split) or folder dataset of the digits.</param>
    /// <param name="count">Images per model.</param>
    /// <param name="seed">Seed of the composition.</param>
    /// <param name="kind">Composed frames, cluttered forms or lone-mark pages.</param>
    /// <param name="progress">Progress lines.</param>
    /// <param name="misreadDir">Folder for the first misread images, or null.</param>
    /// <param name="testTimeCrops">The reader's test-time averaging (<see cref="NumberReaderOptions.TestTimeCrops"/>), or null for the default.</param>
    public static IReadOnlyList<FormEvalReport> Run(IReadOnlyList<string> models, string dataPath, int count, int seed, FormKind kind, TextWriter progress, string? misreadDir = null,
        EdgeDigits.Core.Meters.MeterTestTimeCrops? testTimeCrops = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        foreach (var m in models)
            if (!File.Exists(m)) throw new FileNotFoundException($"{m}: model file not found", m);
        var digits = DatasetLoader.Load(dataPath, MnistSplit.Test);
        if (digits.Count == 0) throw new InvalidDataException($"{dataPath}: no digits");
        if (!Enum.IsDefined(kind)) throw new ArgumentOutOfRangeException(nameof(kind));
        progress.WriteLine($"eval: composing {count} {kind switch { FormKind.Cluttered => "cluttered forms", FormKind.LoneMark => "lone marks", _ => "frames" }} from {digits.Count} digits of {dataPath} (seed {seed})");
        var reports = new List<FormEvalReport>();
        foreach (var model in models)
        {
            using var classifier = new DigitClassifier(model);
            var reader = new NumberReader(classifier, testTimeCrops is null ? null : new NumberReaderOptions { TestTimeCrops = testTimeCrops });
            var extractor = new CropExtractor();
            var result = new Reading();
            var rng = new Random(seed);
            var failures = new List<string>();
            int ok = 0, written = 0, cut = 0, right = 0, numbersRight = 0;
            var lengths = new int[ClutteredFormComposer.MaxDigits];
            var dir = misreadDir is null ? null : models.Count == 1 ? misreadDir : Path.Combine(misreadDir, Path.GetFileNameWithoutExtension(model));
            if (dir is not null) Directory.CreateDirectory(dir);
            for (int k = 0; k < count; k++)
            {
                var form = kind == FormKind.LoneMark ? ClutteredFormComposer.LoneMark(rng) : ClutteredFormComposer.Next(digits, rng, kind == FormKind.Cluttered);
                reader.ReadInto(form.Image, result);
                var text = result.Text;
                if (text == form.Truth) ok++;
                else if (failures.Count < MaxFailures)
                {
                    var what = form.Truth.Length > 0 ? form.Truth : string.Join("+", form.Clutter.Select(m => m.Kind));
                    failures.Add($"#{k} {what} read {text}");
                    if (dir is not null) GrayImageCodec.SavePng(form.Image, Path.Combine(dir, $"form-{k:D5}-{(form.Truth.Length > 0 ? form.Truth : "mark")}-read-{text.Replace('?', 'q')}.png"));
                }
                if (form.Truth.Length > 0)
                {
                    lengths[form.Truth.Length - 1]++;
                    int r = RightDigits(extractor, classifier, form, out int c);
                    written += form.Truth.Length;
                    cut += c;
                    right += r;
                    if (r == form.Truth.Length) numbersRight++;
                }
                if ((k + 1) % ProgressEvery == 0 || k + 1 == count) progress.WriteLine($"eval: {Path.GetFileName(model)}: {k + 1}/{count} read, {ok} whole");
            }
            var ceiling = kind == FormKind.LoneMark ? null : new PerDigitCeiling(written, cut, right, numbersRight, lengths);
            reports.Add(new FormEvalReport(model, dataPath, seed, kind, count, ok, failures, ceiling));
        }
        return reports;
    }

    /// <summary>Digits of <paramref name="form"/> some pipeline crop matches (<paramref name="cut"/>) and that crop's class is the digit at or above the confidence threshold (returned).</summary>
    private static int RightDigits(CropExtractor extractor, DigitClassifier classifier, ComposedForm form, out int cut)
    {
        int n = extractor.Extract(form.Image, NumberReaderOptions.Default);
        var bestIou = new double[form.DigitBoxes.Count];
        var bestCrop = new int[form.DigitBoxes.Count];
        Array.Fill(bestCrop, -1);
        for (int c = 0; c < n; c++)
        {
            var box = extractor.CropBox(c);
            int d = DeviceInputDigits.BestMatch(box, form.DigitBoxes);
            if (d < 0) continue;
            double iou = DeviceInputDigits.Iou(box, form.DigitBoxes[d]);
            if (iou > bestIou[d]) { bestIou[d] = iou; bestCrop[d] = c; }
        }
        int right = 0;
        cut = 0;
        for (int d = 0; d < bestCrop.Length; d++)
        {
            if (bestCrop[d] < 0) continue;
            cut++;
            var (cls, confidence) = classifier.ClassifyOne(extractor.Crop(bestCrop[d]));
            if (cls == form.Truth[d] - '0' && confidence >= classifier.ConfidenceThreshold) right++;
        }
        return right;
    }
}
