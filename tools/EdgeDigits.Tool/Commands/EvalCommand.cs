using System.CommandLine;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Baselines;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Evaluation;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits eval</c>: accuracy, per-class metrics, confusion matrix, latency; one model or two side by side.</summary>
public sealed class EvalCommand : Command
{
    /// <summary>Model(s) to evaluate.</summary>
    public Option<string[]> Models { get; } = new("--model")
    {
        Description = "ONNX model to evaluate; give it twice (fp32 then int8) to compare (with --baseline: the CNN shown beside it, default models/digits-int8.onnx)",
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
    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed of the composed pen strings and --forms images, and of the baseline's trees and training sample", DefaultValueFactory = _ => 1 };

    /// <summary>Composed frames or forms read whole.</summary>
    public Option<int> Forms { get; } = new("--forms") { Description = "Read N numbers of --data digits (MNIST test split, or a folder dataset such as USPS val) composed into frames, through the device's NumberReader; whole-string accuracy (0: classify crops instead)", DefaultValueFactory = _ => 0 };

    /// <summary>Lone marks instead of numbers.</summary>
    public Option<bool> LoneMarks { get; } = new("--lone-marks") { Description = "With --forms: compose N pages of one lone mark and no number (stamp rings, broken and double rings, ticks, crosses, dots, short strokes); the right reading is empty" };

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

    /// <summary>ORT profile folder.</summary>
    public Option<string?> Profile { get; } = new("--profile") { Description = "Folder for ONNX Runtime's per-operator profile of each model (batch --batch and 1); the per-node summary is printed, and each model's batch-1 time cut after each layer" };

    /// <summary>Meter families to choose a meter model's decoder settings on.</summary>
    public Option<string[]> ChooseOn { get; } = new("--choose-on") { Description = "With a meter wheel model and --families: choose the decoder's clean tolerance and threshold on these other meter families instead of taking the metadata's (a test family never chooses its own settings)", AllowMultipleArgumentsPerToken = true };

    /// <summary>Test-time cuts per meter window.</summary>
    public Option<int?> Crops { get; } = new("--crops") { Description = "With a meter wheel model: read each window as 1, 3 or 5 cuts moved by --crop-shift input pixels and average their probabilities (test-time averaging; default: the model metadata's testTimeCrops, else 1); with --forms: each digit crop likewise (default: NumberReaderOptions.TestTimeCrops, 5 cuts of 1 pixel; 1 = each crop read once)" };

    /// <summary>How a meter model's decoder measures confidence.</summary>
    public Option<string?> Confidence { get; } = new("--confidence") { Description = $"With a meter wheel model: how the decoder measures confidence ({string.Join(" | ", TenthsDecoder.ConfidenceNames.Keys)}; default: the model metadata's confidenceMeasure, else mass); the threshold applies to that measure" };

    /// <summary>Move of the extra test-time cuts.</summary>
    public Option<float> CropShift { get; } = new("--crop-shift") { Description = "With --crops: how far the extra cuts move, in model-input pixels (1 = 1/28 of the window)", DefaultValueFactory = _ => MeterTestTimeCrops.DefaultShift };

    /// <summary>Meter families to evaluate a meter model on.</summary>
    public Option<string[]> Families { get; } = new("--families") { Description = "With a meter wheel model: evaluate only these meter families of --data (e.g. those held out in training; 'rare' = the small ones)", AllowMultipleArgumentsPerToken = true };

    /// <summary>A classical learner trained and evaluated beside the CNN.</summary>
    public Option<string?> Baseline { get; } = new("--baseline") { Description = $"Train a classical learner ({string.Join("|", BaselineRegistry.Learners)}) and evaluate it beside the CNN" };

    /// <summary>The baseline's features.</summary>
    public Option<string?> Features { get; } = new("--features") { Description = $"Features of the baseline ({string.Join("|", BaselineRegistry.Features)}); default: pca for knn and svm, pixels for tree and forest" };

    /// <summary>Extra training sets of the baseline.</summary>
    public Option<string[]> Train { get; } = new("--train") { Description = "Folder datasets (DIR/<label>/*.png) or MNIST folders the baseline also trains on", AllowMultipleArgumentsPerToken = true };

    /// <summary>The MNIST training split of the baseline.</summary>
    public Option<string?> TrainMnist { get; } = new("--train-mnist") { Description = "MNIST folder whose training split the baseline trains on (default: --data when it is one, else data/mnist; 'none': --train only)" };

    /// <summary>Neighbours of the kNN baseline.</summary>
    public Option<int> K { get; } = new("--k") { Description = "Neighbours of the knn baseline", DefaultValueFactory = _ => KnnClassifier.DefaultK };

    /// <summary>Cap on the baseline's training images.</summary>
    public Option<int?> TrainLimit { get; } = new("--train-limit") { Description = "Train the baseline on at most N images (a class-balanced sample)" };

    /// <summary>--ink-model.</summary>
    public Option<string?> InkModel { get; } = new("--ink-model") { Description = "With --pen: an ink sequence model (kind ink-sequence) read beside each --model, their digit probabilities blended" };

    /// <summary>--sequence-weight.</summary>
    public Option<float> SequenceWeight { get; } = new("--sequence-weight") { Description = "With --ink-model: the sequence model's share of the blend (0 = image model alone, 1 = sequence model alone for the digits)", DefaultValueFactory = _ => NumberReaderOptions.DefaultSequenceWeight };

    /// <summary>Creates the command.</summary>
    public EvalCommand() : base("eval", "Evaluate one model, or two side by side (fp32 vs int8), on MNIST or a folder dataset, or through the device reader on real pen inks.")
    {
        Validators.Add(r =>
        {
            bool data = r.GetResult(Data) is not null, pen = r.GetResult(Pen) is not null;
            if (data == pen) r.AddError("give either --data (crops) or --pen (pen inks read by the device reader)");
            if (pen && r.GetResult(Out) is not null) r.AddError("--out writes crop figures for --data; with --pen use --pen-misread DIR");
            var baseline = r.GetResult(Baseline) is not null;
            if (!baseline && r.GetResult(Models) is null) r.AddError("give --model (or --baseline)");
            if (baseline && pen) r.AddError("--baseline evaluates crops (--data), not pen inks");
            if (!baseline && new Option[] { Features, Train, TrainMnist, K, TrainLimit }.Any(o => r.GetResult(o) is { Implicit: false }))
                r.AddError("--features, --train, --train-mnist, --k and --train-limit apply to --baseline only");
            bool forms = r.GetValue(Forms) > 0;
            if (forms && pen) r.AddError("--forms composes --data digits; it does not take --pen");
            if (forms && r.GetResult(Out) is not null) r.AddError("--out writes crop figures; with --forms use --forms-misread DIR");
            if (!forms && (r.GetValue(Clutter) || r.GetValue(LoneMarks) || r.GetResult(FormsMisread) is not null)) r.AddError("--clutter, --lone-marks and --forms-misread need --forms N");
            if (r.GetValue(Clutter) && r.GetValue(LoneMarks)) r.AddError("--clutter and --lone-marks are two kinds of page: give one");
            if (forms && baseline) r.AddError("--baseline evaluates crops of --data; it does not take --forms");
            bool ink = r.GetResult(InkModel) is not null;
            if (ink && !pen) r.AddError("--ink-model reads pen inks: it needs --pen");
            if (!ink && r.GetResult(SequenceWeight) is { Implicit: false }) r.AddError("--sequence-weight needs --ink-model");
        });
        PenWriters.Validators.Add(WriterRangeOption.Validate);
        PenStrings.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--pen-strings must not be negative"); });
        Models.Validators.Add(r =>
        {
            var n = r.GetValueOrDefault<string[]>()?.Length ?? 0;
            if (n is < 1 or > 2) r.AddError("--model must be given once or twice");
        });
        Baseline.Validators.Add(r => OneOf(r, "--baseline", "baseline", BaselineRegistry.Learners));
        Features.Validators.Add(r => OneOf(r, "--features", "features", BaselineRegistry.Features));
        K.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--k must be at least 1"); });
        TrainLimit.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 2) r.AddError("--train-limit must be at least 2"); });
        Batch.Validators.Add(r => { if (r.GetValueOrDefault<int>() <= 0) r.AddError("--batch must be positive"); });
        Threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must not be negative"); });
        NotDigits.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--not-digits must not be negative"); });
        Forms.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--forms must not be negative"); });
        Crops.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is { } k && !MeterTestTimeCrops.AllowedCounts.Contains(k)) r.AddError($"--crops must be {string.Join(", ", MeterTestTimeCrops.AllowedCounts)} (got {k})"); });
        CropShift.Validators.Add(r => { if (r.GetValueOrDefault<float>() is not (> 0 and <= MeterTestTimeCrops.MaxShift)) r.AddError($"--crop-shift must be within (0, {MeterTestTimeCrops.MaxShift}] input pixels"); });
        Confidence.Validators.Add(r => { if (r.GetValueOrDefault<string?>() is { } c && !TenthsDecoder.ConfidenceNames.ContainsKey(c)) r.AddError($"--confidence must be {string.Join(" or ", TenthsDecoder.ConfidenceNames.Keys)} (got '{c}')"); });
        SequenceWeight.Validators.Add(r => { if (r.GetValueOrDefault<float>() is not (>= 0 and <= 1)) r.AddError("--sequence-weight must be within [0,1]"); });
        Add(Models);
        Add(Data);
        Add(Json);
        Add(Out);
        Add(Batch);
        Add(Threads);
        Add(NotDigits);
        Add(Profile);
        Add(Families);
        Add(ChooseOn);
        Add(Crops);
        Add(Confidence);
        Add(CropShift);
        Add(Pen);
        Add(PenWriters);
        Add(PenStrings);
        Add(Seed);
        Add(PenMisread);
        Add(InkModel);
        Add(SequenceWeight);
        Add(Baseline);
        Add(Features);
        Add(Train);
        Add(TrainMnist);
        Add(K);
        Add(TrainLimit);
        Add(Forms);
        Add(Clutter);
        Add(LoneMarks);
        Add(FormsMisread);
        SetAction(parse => CommandRunner.Run("eval", () =>
        {
            if (parse.GetValue(Baseline) is { } learner)
            {
                var baseline = RunBaseline(parse, learner);
                Console.Out.Write(parse.GetValue(Json) ? baseline.ToJsonText() : baseline.ToText());
                return;
            }
            var models = parse.GetValue(Models)!;
            if (models.FirstOrDefault(IsInkSequenceModel) is { } seq)
                throw new ArgumentException($"--model {seq}: an '{ModelMetadata.InkSequenceKind}' model reads ink strokes beside an image model: evaluate it with --pen DIR --ink-model {seq}");
            if (parse.GetValue(Pen) is { } pen)
            {
                var reports = PenEvaluation.Run(models, pen, WriterRange.Parse(parse.GetValue(PenWriters)!), parse.GetValue(PenStrings), parse.GetValue(Seed), Console.Error, parse.GetValue(PenMisread),
                    parse.GetValue(InkModel), parse.GetValue(SequenceWeight));
                Console.Out.Write(parse.GetValue(Json) ? PenEvalReport.ToJsonText(reports) : string.Concat(reports.Select(r => r.ToText())));
                return;
            }
            if (parse.GetValue(Forms) is > 0 and var forms)
            {
                var reports = FormEvaluation.Run(models, parse.GetValue(Data)!, forms, parse.GetValue(Seed),
                    parse.GetValue(LoneMarks) ? FormKind.LoneMark : parse.GetValue(Clutter) ? FormKind.Cluttered : FormKind.Composed, Console.Error, parse.GetValue(FormsMisread),
                    parse.GetValue(Crops) is { } cuts ? new MeterTestTimeCrops(cuts, parse.GetValue(CropShift)) : null);
                Console.Out.Write(parse.GetValue(Json) ? FormEvalReport.ToJsonText(reports) : string.Concat(reports.Select(r => r.ToText())));
                return;
            }
            if (models.Any(IsMeterModel))
            {
                if (!models.All(IsMeterModel)) throw new ArgumentException("--model: a meter wheel model and a digit model cannot be compared");
                var meter = MeterEvalService.Run(models, parse.GetValue(Data)!, parse.GetValue(Families) ?? [], parse.GetValue(Threads), parse.GetValue(Out), Console.Error, parse.GetValue(ChooseOn) ?? [],
                    parse.GetValue(Crops) is { } k ? new MeterTestTimeCrops(k, parse.GetValue(CropShift)) : null,
                    parse.GetValue(Confidence) is { } c ? TenthsDecoder.ConfidenceNames[c] : null);
                Console.Out.Write(parse.GetValue(Json) ? MeterEvalService.ToJson(meter) : MeterEvalService.ToText(meter));
                return;
            }
            if (parse.GetValue(Families) is { Length: > 0 }) throw new ArgumentException("--families applies to meter wheel models only");
            if (parse.GetValue(ChooseOn) is { Length: > 0 }) throw new ArgumentException("--choose-on applies to meter wheel models only");
            if (parse.GetValue(Crops) is not null) throw new ArgumentException("--crops applies to meter wheel models and --forms only");
            if (parse.GetValue(Confidence) is not null) throw new ArgumentException("--confidence applies to meter wheel models only");
            var report = EvalService.Run(parse.GetValue(Models)!, parse.GetValue(Data)!,
                new EvalOptions { BatchSize = parse.GetValue(Batch), Threads = parse.GetValue(Threads), ProfileDir = parse.GetValue(Profile) },
                parse.GetValue(NotDigits), parse.GetValue(Out), Console.Error);
            Console.Out.Write(parse.GetValue(Json) ? report.ToJsonText() : report.ToText());
        }));
    }

    private EvalReport RunBaseline(ParseResult parse, string learner)
    {
        var data = parse.GetValue(Data)!;
        var mnist = parse.GetValue(TrainMnist) ?? (EvalService.DataKind(data) == "folder" ? Path.Combine("data", "mnist") : data);
        var sources = (mnist == "none" ? [] : new[] { mnist }).Concat(parse.GetValue(Train) ?? []).ToArray();
        if (parse.GetValue(Models) is { Length: > 1 }) throw new ArgumentException("--model: give one CNN to show beside the baseline");
        var given = parse.GetValue(Models) is { Length: 1 } m ? m[0] : null;
        var cnn = given ?? ShippedCnn;
        if (given is null && !File.Exists(cnn))
        {
            Console.Error.WriteLine($"eval: {cnn} not found; the baseline is shown alone (name the CNN with --model)");
            cnn = null;
        }
        var options = new BaselineOptions
        {
            Learner = learner,
            Features = parse.GetValue(Features),
            K = parse.GetValue(K),
            TrainLimit = parse.GetValue(TrainLimit),
            Seed = parse.GetValue(Seed),
        };
        return BaselineService.Run(options, sources, data, cnn, new EvalOptions { BatchSize = parse.GetValue(Batch), Threads = parse.GetValue(Threads) },
            parse.GetValue(Out), Console.Error);
    }

    private static readonly string ShippedCnn = Path.Combine("models", "digits-int8.onnx");

    private static void OneOf(System.CommandLine.Parsing.OptionResult r, string option, string what, IReadOnlyList<string> names)
    {
        if (r.GetValueOrDefault<string?>() is { } v && !names.Contains(v))
            r.AddError($"{option}: unknown {what} '{v}' (expected one of {string.Join(", ", names)})");
    }

    private static bool IsInkSequenceModel(string path) =>
        File.Exists(path) && ModelMetadata.LoadFor(path).Kind == ModelMetadata.InkSequenceKind;

    private static bool IsMeterModel(string path) =>
        File.Exists(path) && ModelMetadata.LoadFor(path).Kind == ModelMetadata.MeterTenthsKind;
}
