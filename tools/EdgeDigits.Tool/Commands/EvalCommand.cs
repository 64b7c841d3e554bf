using System.CommandLine;
using EdgeDigits.Core.Models;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Evaluation;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits eval</c>: accuracy, per-class metrics, confusion matrix, latency; one model or two side by side.</summary>
public sealed class EvalCommand : Command
{
    /// <summary>Model(s) to evaluate.</summary>
    public Option<string[]> Models { get; } = new("--model")
    {
        Description = "ONNX model to evaluate; give it twice (fp32 then int8) to compare",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The data set.</summary>
    public Option<string?> Data { get; } = new("--data") { Description = "MNIST IDX folder (test pair used) or DIR/<label>/*.png folder dataset (or --pen instead)" };

    /// <summary>Real pen digits read by the device reader.</summary>
    public Option<string?> Pen { get; } = new("--pen") { Description = "Folder with the UCI pen-digit files: read real pen digits, and strings composed from them, through the device's NumberReader (instead of --data)" };

    /// <summary>Which pen writers are read.</summary>
    public Option<string> PenWriters { get; } = new("--pen-writers") { Description = "Pen writers to read, e.g. 25-30 (the writers train --pen leaves out by default)", DefaultValueFactory = _ => "25-30" };

    /// <summary>Composed strings.</summary>
    public Option<int> PenStrings { get; } = new("--pen-strings") { Description = "Strings of 2-6 digits composed from one writer's real digits, read whole", DefaultValueFactory = _ => 2000 };

    /// <summary>Where misread pen inks go.</summary>
    public Option<string?> PenMisread { get; } = new("--pen-misread") { Description = "Write the first misread pen inks here (ink JSON with the label, and a PNG) to look at or replay with edgedigits read" };

    /// <summary>Seed of the composed strings.</summary>
    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed of the composed pen strings and --forms images", DefaultValueFactory = _ => 1 };

    /// <summary>Composed frames or forms read whole.</summary>
    public Option<int> Forms { get; } = new("--forms") { Description = "Read N numbers of --data digits (MNIST test split, or a folder dataset such as USPS val) composed into frames, through the device's NumberReader; whole-string accuracy (0: classify crops instead)", DefaultValueFactory = _ => 0 };

    /// <summary>Forms with clutter.</summary>
    public Option<bool> Clutter { get; } = new("--clutter") { Description = "With --forms: write each number on a form with ruling lines, table borders, a scanner strip, stamps, ticks, crosses and dots" };

    /// <summary>Where misread forms go.</summary>
    public Option<string?> FormsMisread { get; } = new("--forms-misread") { Description = "With --forms: write the first misread images here (PNG named by truth and reading)" };

    /// <summary>JSON output.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print the JSON report (docs/eval-json.md) instead of text" };

    /// <summary>Figure folder.</summary>
    public Option<string?> Out { get; } = new("--out") { Description = "Folder for confusion heat maps, misclassified galleries (PNG) and report.json" };

    /// <summary>Batch size.</summary>
    public Option<int> Batch { get; } = new("--batch") { Description = "Inference batch size for the accuracy pass", DefaultValueFactory = _ => 64 };

    /// <summary>Threads.</summary>
    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads (1 approximates one device core)", DefaultValueFactory = _ => 1 };

    /// <summary>Non-digit crops.</summary>
    public Option<int> NotDigits { get; } = new("--not-digits") { Description = "Held-out 'not a digit' crops shown to each model (0 to skip)", DefaultValueFactory = _ => 600 };

    /// <summary>Meter families to evaluate a meter model on.</summary>
    public Option<string[]> Families { get; } = new("--families") { Description = "With a meter wheel model: evaluate only these meter families of --data (e.g. those held out in training; 'rare' = the small ones)", AllowMultipleArgumentsPerToken = true };

    /// <summary>Creates the command.</summary>
    public EvalCommand() : base("eval", "Evaluate one model, or two side by side (fp32 vs int8), on MNIST or a folder dataset, or through the device reader on real pen inks.")
    {
        Validators.Add(r =>
        {
            bool data = r.GetResult(Data) is not null, pen = r.GetResult(Pen) is not null;
            if (data == pen) r.AddError("give either --data (crops) or --pen (pen inks read by the device reader)");
            if (pen && r.GetResult(Out) is not null) r.AddError("--out writes crop figures for --data; with --pen use --pen-misread DIR");
            bool forms = r.GetValue(Forms) > 0;
            if (forms && pen) r.AddError("--forms composes --data digits; it does not take --pen");
            if (forms && r.GetResult(Out) is not null) r.AddError("--out writes crop figures; with --forms use --forms-misread DIR");
            if (!forms && (r.GetValue(Clutter) || r.GetResult(FormsMisread) is not null)) r.AddError("--clutter and --forms-misread need --forms N");
        });
        PenWriters.Validators.Add(WriterRangeOption.Validate);
        PenStrings.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--pen-strings must not be negative"); });
        Models.Validators.Add(r =>
        {
            var n = r.GetValueOrDefault<string[]>()?.Length ?? 0;
            if (n is < 1 or > 2) r.AddError("--model must be given once or twice");
        });
        Batch.Validators.Add(r => { if (r.GetValueOrDefault<int>() <= 0) r.AddError("--batch must be positive"); });
        Threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must not be negative"); });
        NotDigits.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--not-digits must not be negative"); });
        Forms.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--forms must not be negative"); });
        Add(Models);
        Add(Data);
        Add(Json);
        Add(Out);
        Add(Batch);
        Add(Threads);
        Add(NotDigits);
        Add(Families);
        Add(Pen);
        Add(PenWriters);
        Add(PenStrings);
        Add(Seed);
        Add(PenMisread);
        Add(Forms);
        Add(Clutter);
        Add(FormsMisread);
        SetAction(parse => CommandRunner.Run("eval", () =>
        {
            var models = parse.GetValue(Models)!;
            if (parse.GetValue(Pen) is { } pen)
            {
                var reports = PenEvaluation.Run(models, pen, WriterRange.Parse(parse.GetValue(PenWriters)!), parse.GetValue(PenStrings), parse.GetValue(Seed), Console.Error, parse.GetValue(PenMisread));
                Console.Out.Write(parse.GetValue(Json) ? PenEvalReport.ToJsonText(reports) : string.Concat(reports.Select(r => r.ToText())));
                return;
            }
            if (parse.GetValue(Forms) is > 0 and var forms)
            {
                var reports = FormEvaluation.Run(models, parse.GetValue(Data)!, forms, parse.GetValue(Seed), parse.GetValue(Clutter), Console.Error, parse.GetValue(FormsMisread));
                Console.Out.Write(parse.GetValue(Json) ? FormEvalReport.ToJsonText(reports) : string.Concat(reports.Select(r => r.ToText())));
                return;
            }
            if (models.Any(IsMeterModel))
            {
                if (!models.All(IsMeterModel)) throw new ArgumentException("--model: a meter wheel model and a digit model cannot be compared");
                var meter = MeterEvalService.Run(models, parse.GetValue(Data)!, parse.GetValue(Families) ?? [], parse.GetValue(Threads), parse.GetValue(Out), Console.Error);
                Console.Out.Write(parse.GetValue(Json) ? MeterEvalService.ToJson(meter) : MeterEvalService.ToText(meter));
                return;
            }
            if (parse.GetValue(Families) is { Length: > 0 }) throw new ArgumentException("--families applies to meter wheel models only");
            var report = EvalService.Run(parse.GetValue(Models)!, parse.GetValue(Data)!,
                new EvalOptions { BatchSize = parse.GetValue(Batch), Threads = parse.GetValue(Threads) },
                parse.GetValue(NotDigits), parse.GetValue(Out), Console.Error);
            Console.Out.Write(parse.GetValue(Json) ? report.ToJsonText() : report.ToText());
        }));
    }

    private static bool IsMeterModel(string path) =>
        File.Exists(path) && ModelMetadata.LoadFor(path).Kind == ModelMetadata.MeterTenthsKind;
}
