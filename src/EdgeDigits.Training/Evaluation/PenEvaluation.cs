using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Data.PenDigits;

namespace EdgeDigits.Training.Evaluation;

/// <summary>
/// The work behind <c>edgedigits eval --pen</c>: real pen digits of held-out writers, and strings composed
/// from them (<see cref="PenStringComposer"/>), read through the device's own <see cref="NumberReader"/>.
/// </summary>
public static class PenEvaluation
{
    /// <summary>Inks between two progress lines.</summary>
    public const int ProgressEvery = 1000;

    /// <summary>Most misread inks written to the misread folder per model.</summary>
    public const int MaxMisreadFiles = 200;

    /// <summary>Reads the pen digits of <paramref name="writers"/> in <paramref name="penDir"/> and <paramref name="strings"/> composed strings with each model.</summary>
    /// <param name="models">Model files, each read on its own.</param>
    /// <param name="penDir">Folder with the UCI pen-digit files.</param>
    /// <param name="writers">The writers to read.</param>
    /// <param name="strings">Composed strings to read.</param>
    /// <param name="seed">Seed of the composed strings.</param>
    /// <param name="progress">Progress lines (stderr in the CLI).</param>
    /// <param name="misreadDir">When given, the first misread inks go here as ink JSON (with their label) and a panel PNG.</param>
    /// <param name="inkModel">An ink sequence model read beside each model (<see cref="NumberReader"/>), or null.</param>
    /// <param name="sequenceWeight">With <paramref name="inkModel"/>: its share of the blend (<see cref="NumberReaderOptions.SequenceWeight"/>).</param>
    /// <exception cref="FileNotFoundException">A model or the pen files are missing.</exception>
    /// <exception cref="DirectoryNotFoundException">The pen folder is missing.</exception>
    /// <exception cref="InvalidDataException">Bad pen files, or no digits by those writers.</exception>
    /// <exception cref="ModelLoadException">A model cannot be used.</exception>
    /// <exception cref="ArgumentException">A model of the wrong kind (an ink sequence model as --model, an image model as the ink model).</exception>
    public static IReadOnlyList<PenEvalReport> Run(IReadOnlyList<string> models, string penDir, WriterRange writers, int strings, int seed, TextWriter progress, string? misreadDir = null,
        string? inkModel = null, float sequenceWeight = NumberReaderOptions.DefaultSequenceWeight)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfNegative(strings);
        foreach (var m in models)
            if (!File.Exists(m)) throw new FileNotFoundException($"{m}: model file not found", m);
        if (inkModel is not null && !File.Exists(inkModel)) throw new FileNotFoundException($"{inkModel}: ink model file not found", inkModel);
        var digits = PenDigitCrops.OfWriters(PenDigitsFiles.Load(penDir), writers, penDir);
        progress.WriteLine($"eval: {digits.Count} pen digits of writers {writers}; composing {strings} strings (seed {seed})");
        var inks = new List<(Ink Ink, bool Touching)>(strings);
        for (int i = 0; i < strings; i++) inks.Add((PenStringComposer.Compose(digits, seed, i, out bool touching), touching));
        var reports = new List<PenEvalReport>();
        foreach (var model in models)
        {
            using var classifier = new DigitClassifier(model);
            using var sequence = inkModel is null ? null : new DigitClassifier(inkModel);
            var reader = new NumberReader(classifier, new NumberReaderOptions { SequenceWeight = sequenceWeight }, sequence);
            var result = new Reading();
            var singles = PenReadFigures.Empty;
            var byDigit = new SortedDictionary<int, PenReadFigures>();
            var byWriter = new SortedDictionary<int, PenReadFigures>();
            int misread = 0;
            var modelDir = misreadDir is null ? null : models.Count == 1 ? misreadDir : Path.Combine(misreadDir, Path.GetFileNameWithoutExtension(model));
            if (modelDir is not null) Directory.CreateDirectory(modelDir);
            void Keep(Ink ink, string kind, int index, string text)
            {
                if (modelDir is null || text == ink.Label || misread >= MaxMisreadFiles) return;
                misread++;
                var stem = Path.Combine(modelDir, $"{kind}-{index:D5}-{ink.Label}-read-{text.Replace('?', 'q')}");
                ink.Save(stem + ".json");
                GrayImageCodec.SavePng(new InkRasterizer().RasterizePanel(ink), stem + ".png");
            }
            int total = digits.Count + inks.Count, done = 0;
            for (int i = 0; i < digits.Count; i++)
            {
                var d = digits[i];
                reader.ReadInto(d.Ink, result);
                Keep(d.Ink, $"w{d.Writer}", d.Index, result.Text);
                singles = singles.Add(result.Text, d.Ink.Label!);
                byDigit[d.Digit] = byDigit.GetValueOrDefault(d.Digit, PenReadFigures.Empty).Add(result.Text, d.Ink.Label!);
                byWriter[d.Writer] = byWriter.GetValueOrDefault(d.Writer, PenReadFigures.Empty).Add(result.Text, d.Ink.Label!);
                Progress(progress, model, ++done, total);
            }
            var composed = PenReadFigures.Empty;
            var touchingFigures = composed;
            var byLength = new SortedDictionary<int, PenReadFigures>();
            for (int i = 0; i < inks.Count; i++)
            {
                var (ink, touching) = inks[i];
                reader.ReadInto(ink, result);
                Keep(ink, touching ? "touching" : "string", i, result.Text);
                composed = composed.Add(result.Text, ink.Label!);
                if (touching) touchingFigures = touchingFigures.Add(result.Text, ink.Label!);
                byLength[ink.Label!.Length] = byLength.GetValueOrDefault(ink.Label!.Length, PenReadFigures.Empty).Add(result.Text, ink.Label!);
                Progress(progress, model, ++done, total);
            }
            reports.Add(new PenEvalReport(model, penDir, writers.ToString(), seed, singles, composed, touchingFigures)
            {
                InkModel = inkModel,
                SequenceWeight = inkModel is null ? null : sequenceWeight,
                SinglesByDigit = byDigit.ToDictionary(kv => kv.Key, kv => kv.Value),
                SinglesByWriter = byWriter.ToDictionary(kv => kv.Key, kv => kv.Value),
                StringsByLength = byLength.ToDictionary(kv => kv.Key, kv => kv.Value),
            });
        }
        return reports;
    }

    private static void Progress(TextWriter progress, string model, int done, int total)
    {
        if (done % ProgressEvery == 0 || done == total) progress.WriteLine($"eval: {Path.GetFileName(model)}: {done}/{total} inks read");
    }
}
