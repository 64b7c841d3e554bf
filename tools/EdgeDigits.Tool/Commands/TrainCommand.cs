using System.CommandLine;
using EdgeDigits.Core.Meters;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Nn;
using EdgeDigits.Training.Synthetic;
using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits train</c>: train (or cross-validate, or fine-tune) the digit CNN and export it to ONNX.</summary>
public sealed class TrainCommand : Command
{
    private static readonly TrainOptions Defaults = new();

    /// <summary>Folder with the MNIST IDX files.</summary>
    public Option<string> Data { get; } = new("--data") { Description = "Folder with the MNIST IDX files", DefaultValueFactory = _ => Path.Combine("data", "mnist") };

    /// <summary>Folder datasets joined to MNIST.</summary>
    public Option<string[]> Extra { get; } = new("--extra") { Description = "Folder dataset DIR/<label>/*.png, or a folder of labeled inks DIR/*.json (the kiosk's ink corrections), joined to MNIST (repeatable); labels 0-9 and 'none'. With --sequence: folders of labeled inks only, their digits joined to the pen digits. With --meter: folders of meter windows DIR/<d.t>/*.jpg (the page's meter corrections), added to the training windows", AllowMultipleArgumentsPerToken = false };

    /// <summary>Synthetic printed/7-segment digits.</summary>
    public Option<int> Synthetic { get; } = new("--synthetic") { Description = "Add this many synthetic printed and 7-segment digits (training fonts); with --meter, synthetic meter windows (rolling counters and LCDs)", DefaultValueFactory = _ => 0 };

    /// <summary>Synthetic not-a-digit crops.</summary>
    public Option<int> None { get; } = new("--none") { Description = "Add this many synthetic 'not a digit' crops as an 11th class 'none'", DefaultValueFactory = _ => 0 };

    /// <summary>Ink crops traced from MNIST training digits.</summary>
    public Option<int> Ink { get; } = new("--ink") { Description = "Add this many crops of inks traced from MNIST training digits and rasterized as the device reads an ink", DefaultValueFactory = _ => 0 };

    /// <summary>Frame-pipeline crops of composed MNIST training digits.</summary>
    public Option<int> Pipeline { get; } = new("--pipeline") { Description = "Add this many crops cut by the frame pipeline from images composed of MNIST training digits", DefaultValueFactory = _ => 0 };

    /// <summary>Real pen digits.</summary>
    public Option<string?> Pen { get; } = new("--pen") { Description = "Folder with the UCI pen-digit files (edgedigits data fetch pendigits): add their digits, rendered as the device reads an ink" };

    /// <summary>Which pen writers train.</summary>
    public Option<string> PenWriters { get; } = new("--pen-writers") { Description = "Pen writers used for training, e.g. 1-24 or 1,3,5-7 (keep the rest for eval --pen)", DefaultValueFactory = _ => TrainJob.DefaultPenWriters };

    /// <summary>Crops per pen digit.</summary>
    public Option<int> PenCopies { get; } = new("--pen-copies") { Description = "Crops per pen digit: the first as written, the others with stroke jitter (affine, slant, point jitter, resampling)", DefaultValueFactory = _ => 1 };

    /// <summary>MNIST images replayed with extra data.</summary>
    public Option<int?> Replay { get; } = new("--replay") { Description = "MNIST training images mixed in with --extra data so the model does not forget MNIST (default: all)" };

    /// <summary>Use only the first N MNIST images.</summary>
    public Option<int?> Limit { get; } = new("--limit") { Description = "Use only the first N MNIST training images (quick runs)" };

    /// <summary>Passes over the data.</summary>
    public Option<int> Epochs { get; } = new("--epochs") { Description = "Passes over the training data", DefaultValueFactory = _ => Defaults.Epochs };

    /// <summary>Batch size.</summary>
    public Option<int> Batch { get; } = new("--batch") { Description = "Samples per optimizer step", DefaultValueFactory = _ => Defaults.BatchSize };

    /// <summary>Peak learning rate.</summary>
    public Option<float> Lr { get; } = new("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => Defaults.LearningRate };

    /// <summary>Optimizer.</summary>
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adamw, adam or sgd (momentum 0.9, Nesterov)", DefaultValueFactory = _ => Defaults.Optimizer };

    /// <summary>Schedule.</summary>
    public Option<string> Schedule { get; } = new("--schedule") { Description = "Learning-rate schedule: onecycle, cosine or constant", DefaultValueFactory = _ => Defaults.Schedule };

    /// <summary>Architecture string.</summary>
    public Option<string> Arch { get; } = new("--arch") { Description = "Architecture: cN (3x3 conv+BN+ReLU), p (maxpool), a (avgpool), gap, fc", DefaultValueFactory = _ => Defaults.Architecture };

    /// <summary>Channel multiplier.</summary>
    public Option<float> Width { get; } = new("--width") { Description = "Channel multiplier for every convolution", DefaultValueFactory = _ => Defaults.Width };

    /// <summary>Dropout.</summary>
    public Option<float> Dropout { get; } = new("--dropout") { Description = "Dropout rate before the classifier", DefaultValueFactory = _ => Defaults.Dropout };

    /// <summary>Weight decay.</summary>
    public Option<float> WeightDecay { get; } = new("--weight-decay") { Description = "Weight decay (decoupled for adamw)", DefaultValueFactory = _ => Defaults.WeightDecay };

    /// <summary>Label smoothing.</summary>
    public Option<float> LabelSmoothing { get; } = new("--label-smoothing") { Description = "Label smoothing of the targets", DefaultValueFactory = _ => Defaults.LabelSmoothing };

    /// <summary>Augmentation strength.</summary>
    public Option<float> Augment { get; } = new("--augment") { Description = "Augmentation strength (0 = off, 1 = default)", DefaultValueFactory = _ => Defaults.Augment };

    /// <summary>Paper/scanner/camera augmentation probability.</summary>
    public Option<float> DomainAugment { get; } = new("--domain-augment") { Description = "Probability that a training crop also gets paper/scanner/camera effects (pen width, binarisation, low resolution, ruled line, uneven light, paper texture, JPEG); with --meter, the camera pass (low resolution, uneven light, JPEG, the cut moved sideways); 0 = off", DefaultValueFactory = _ => Defaults.DomainAugment };

    /// <summary>Seed.</summary>
    public Option<int> Seed { get; } = new("--seed") { Description = "Random seed (same seed and thread count give identical weights)", DefaultValueFactory = _ => Defaults.Seed };

    /// <summary>Threads.</summary>
    public Option<int> Threads { get; } = new("--threads") { Description = "Worker threads", DefaultValueFactory = _ => Defaults.Threads };

    /// <summary>Validation split.</summary>
    public Option<double> ValSplit { get; } = new("--val-split") { Description = "Fraction of the training data held out for validation (stratified)", DefaultValueFactory = _ => 0.0 };

    /// <summary>Folds.</summary>
    public Option<int> Folds { get; } = new("--folds") { Description = "K-fold cross-validation: report mean ± sd of the validation accuracy (no model written)", DefaultValueFactory = _ => 0 };

    /// <summary>Checkpoint folder.</summary>
    public Option<string?> CheckpointDir { get; } = new("--checkpoint") { Description = "Folder for last.ckpt, written after every epoch" };

    /// <summary>Resume.</summary>
    public Option<string?> Resume { get; } = new("--resume") { Description = "Continue from a checkpoint file or folder (its last.ckpt)" };

    /// <summary>Initial weights.</summary>
    public Option<string?> Init { get; } = new("--init") { Description = "Start from a checkpoint or an fp32 ONNX model of the same architecture (fine-tuning)" };

    /// <summary>Real meter digit windows: train the meter wheel model instead of the digit CNN.</summary>
    public Option<string?> Meter { get; } = new("--meter") { Description = "Train the meter wheel model (tenths, 100 classes) on meter windows DIR/<d.t>/*.jpg (edgedigits data fetch meterdigits) instead of the digit CNN" };

    /// <summary>Meter families held out as the test.</summary>
    public Option<string[]> HoldOut { get; } = new("--holdout") { Description = "With --meter: meter families held out as the test (e.g. main_dig rare): scored, never trained on, never used to choose settings", AllowMultipleArgumentsPerToken = true };

    /// <summary>Meter series held out to choose the decoder settings on.</summary>
    public Option<string[]> Validate { get; } = new("--validate") { Description = "With --meter: meter series of the training families (e.g. dig4) or whole families (e.g. rare) held out of training to choose the decoder's clean tolerance and confidence threshold on (the most clean windows read right with at most 0.5% shown wrong)", AllowMultipleArgumentsPerToken = true };

    /// <summary>The decoder's clean tolerance, when no validation series choose it.</summary>
    public Option<float?> CleanTolerance { get; } = new("--clean-tolerance") { Description = "With --meter and without --validate: the decoder's clean tolerance to write (e.g. the one a validation run chose); default 0.25" };

    /// <summary>The decoder's confidence threshold, when no validation series choose it.</summary>
    public Option<float?> ConfidenceThreshold { get; } = new("--confidence-threshold") { Description = "With --meter and without --validate: the decoder's confidence threshold to write (e.g. the one a validation run chose); default 0.5" };

    /// <summary>A validation run whose decoder settings the model takes over.</summary>
    public Option<string?> DecoderFrom { get; } = new("--decoder-from") { Description = "With --meter: take the decoder settings (and figures) chosen by a validation run from its metadata FILE.json, read when training ends (the shipped model retrained on all windows)" };

    /// <summary>Share of LCD windows among the synthetic meter windows.</summary>
    public Option<double> LcdFraction { get; } = new("--lcd-fraction") { Description = "With --meter: share of LCD digits among the synthetic windows (0 … 1)", DefaultValueFactory = _ => MeterWindowSynth.DefaultLcdFraction };

    /// <summary>Strongest ghost of the synthetic LCDs' unlit segments.</summary>
    public Option<double> LcdGhost { get; } = new("--lcd-ghost") { Description = "With --meter: strongest contrast of a synthetic LCD's unlit segments, as a fraction of the lit ones' (0.03 … <1)", DefaultValueFactory = _ => MeterWindowSynth.DefaultMaxGhost };

    /// <summary>Spread of the meter targets over neighbouring tenths.</summary>
    public Option<float> TenthsSigma { get; } = new("--tenths-sigma") { Description = $"With --meter: spread each window's target over the neighbouring tenths as a circular Gaussian of this standard deviation, in tenths (0 … {MeterTrainJob.MaxTenthsSigma}; 0 = one-hot)", DefaultValueFactory = _ => 0f };

    /// <summary>Output model.</summary>
    public Option<string?> Out { get; } = new("--out") { Description = "Write the fp32 ONNX model here (metadata .json beside it)" };

    /// <summary>--sequence.</summary>
    public Option<bool> Sequence { get; } = new("--sequence") { Description = "Train the ink sequence model (1-D convolutions over the pen's path) on the --pen digits of --pen-writers (and --ink N MNIST training digits of --data traced into inks) instead of the digit CNN; --arch is then a sequence architecture (cN, cN/2, gap, fc)" };

    /// <summary>--val-writers.</summary>
    public Option<string?> ValWriters { get; } = new("--val-writers") { Description = "With --sequence: pen writers validated on after every epoch, e.g. 19-24 (not the writers you report on)" };

    /// <summary>Creates the command.</summary>
    public TrainCommand() : base("train", "Train the digit CNN on MNIST (+ extra folders), report accuracy, export ONNX + metadata.")
    {
        foreach (var o in new Option[] { Data, Extra, Synthetic, None, Ink, Pipeline, Pen, PenWriters, PenCopies, Replay, Limit, Epochs, Batch, Lr, Optimizer, Schedule, Arch, Width, Dropout, WeightDecay, LabelSmoothing, Augment, DomainAugment, Seed, Threads, ValSplit, Folds, CheckpointDir, Resume, Init, Meter, HoldOut, Validate, CleanTolerance, ConfidenceThreshold, DecoderFrom, LcdFraction, LcdGhost, TenthsSigma, Sequence, ValWriters, Out })
            Add(o);
        ValWriters.Validators.Add(r => { if (r.GetValueOrDefault<string?>() is not null) WriterRangeOption.Validate(r); });
        PenWriters.Validators.Add(WriterRangeOption.Validate);
        LcdFraction.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0 or > 1) r.AddError("--lcd-fraction must be within 0 … 1"); });
        LcdGhost.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0.03 or >= 1) r.AddError("--lcd-ghost must be within 0.03 … <1"); });
        TenthsSigma.Validators.Add(r => { if (r.GetValueOrDefault<float>() is not (>= 0 and <= MeterTrainJob.MaxTenthsSigma)) r.AddError($"--tenths-sigma must be within 0 … {MeterTrainJob.MaxTenthsSigma}"); });
        PenCopies.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--pen-copies must be at least 1"); });
        SetAction((parse, cancel) => Task.FromResult(Execute(parse, cancel)));
    }

    /// <summary>The recipe given on the command line.</summary>
    public TrainOptions OptionsFrom(ParseResult parse) => new()
    {
        Architecture = parse.GetValue(Arch)!,
        Width = parse.GetValue(Width),
        Dropout = parse.GetValue(Dropout),
        Epochs = parse.GetValue(Epochs),
        BatchSize = parse.GetValue(Batch),
        LearningRate = parse.GetValue(Lr),
        Optimizer = parse.GetValue(Optimizer)!,
        Schedule = parse.GetValue(Schedule)!,
        WeightDecay = parse.GetValue(WeightDecay),
        LabelSmoothing = parse.GetValue(LabelSmoothing),
        Augment = parse.GetValue(Augment),
        DomainAugment = parse.GetValue(DomainAugment),
        Seed = parse.GetValue(Seed),
        Threads = parse.GetValue(Threads),
    };

    private int Execute(ParseResult parse, CancellationToken cancel)
    {
        if (parse.GetValue(Meter) is { } meterDir) return ExecuteMeter(parse, meterDir, cancel);
        if (parse.GetValue(Sequence)) return ExecuteSequence(parse, cancel);
        if (parse.GetResult(ValWriters) is { Implicit: false })
        {
            Console.Error.WriteLine("edgedigits train: --val-writers needs --sequence");
            return ExitCodes.Usage;
        }
        if (new Option[] { HoldOut, Validate, CleanTolerance, ConfidenceThreshold, DecoderFrom, LcdFraction, LcdGhost, TenthsSigma }.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } meterOnly)
        {
            Console.Error.WriteLine($"edgedigits train: {meterOnly.Name} needs --meter");
            return ExitCodes.Usage;
        }
        var job = new TrainJob
        {
            DataDir = parse.GetValue(Data)!,
            ExtraDirs = parse.GetValue(Extra) ?? [],
            Replay = parse.GetValue(Replay),
            Synthetic = parse.GetValue(Synthetic),
            NotDigits = parse.GetValue(None),
            InkDigits = parse.GetValue(Ink),
            PipelineDigits = parse.GetValue(Pipeline),
            PenDir = parse.GetValue(Pen),
            PenWriters = WriterRange.Parse(parse.GetValue(PenWriters)!),
            PenCopies = parse.GetValue(PenCopies),
            Limit = parse.GetValue(Limit),
            ValidationFraction = parse.GetValue(ValSplit),
            Folds = parse.GetValue(Folds),
            Options = OptionsFrom(parse),
            CheckpointDir = parse.GetValue(CheckpointDir),
            ResumePath = parse.GetValue(Resume),
            InitPath = parse.GetValue(Init),
            OutPath = parse.GetValue(Out),
            Command = "edgedigits " + string.Join(" ", parse.Tokens.Select(t => t.Value)),
            Log = Console.Error,
        };
        return CommandRunner.Run("train", () => job.Run(cancel), afterProgress: true);
    }

    private int ExecuteSequence(ParseResult parse, CancellationToken cancel)
    {
        // The image data and CNN-only options mean nothing for the sequence model: refuse them rather than ignore them.
        var imageOnly = new Option[] { Synthetic, None, Pipeline, PenCopies, DomainAugment, Replay, Limit, ValSplit, Folds, CheckpointDir, Resume, Init, Meter, HoldOut, Validate, CleanTolerance, ConfidenceThreshold, DecoderFrom, LcdFraction, LcdGhost, TenthsSigma };
        if (imageOnly.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } clash)
        {
            Console.Error.WriteLine($"edgedigits train: {clash.Name} cannot be combined with --sequence");
            return ExitCodes.Usage;
        }
        if (parse.GetValue(Pen) is not { } pen)
        {
            Console.Error.WriteLine("edgedigits train: --sequence needs --pen DIR (edgedigits data fetch pendigits)");
            return ExitCodes.Usage;
        }
        var options = OptionsFrom(parse) with { DomainAugment = 0 };
        if (parse.GetResult(Arch) is null or { Implicit: true }) options = options with { Architecture = Network.DefaultSequenceSpec };
        var job = new PenSequenceTrainJob
        {
            PenDir = pen,
            TrainWriters = WriterRange.Parse(parse.GetValue(PenWriters)!),
            ValidationWriters = parse.GetValue(ValWriters) is { } v ? WriterRange.Parse(v) : null,
            TracedDigits = parse.GetValue(Ink),
            ExtraInkDirs = parse.GetValue(Extra) ?? [],
            MnistDir = parse.GetValue(Data)!,
            Options = options,
            OutPath = parse.GetValue(Out),
            Command = "edgedigits " + string.Join(" ", parse.Tokens.Select(t => t.Value)),
            Log = Console.Error,
        };
        return CommandRunner.Run("train", () => job.Run(cancel), afterProgress: true);
    }

    private int ExecuteMeter(ParseResult parse, string dir, CancellationToken cancel)
    {
        // The digit CNN's data options mean nothing for a meter model: refuse them rather than ignore them.
        var digitOnly = new Option[] { None, Ink, Pipeline, Pen, PenWriters, PenCopies, Replay, Limit, ValSplit, Folds, Resume, Init, Sequence, ValWriters };
        if (digitOnly.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } clash)
        {
            Console.Error.WriteLine($"edgedigits train: {clash.Name} cannot be combined with --meter");
            return ExitCodes.Usage;
        }
        // The meter job brings its own augmentation (MeterTrainJob.Augmenter); --domain-augment is its camera pass there, off unless given.
        var options = OptionsFrom(parse);
        if (parse.GetResult(DomainAugment) is null or { Implicit: true }) options = options with { DomainAugment = 0 };
        if (parse.GetResult(Arch) is null or { Implicit: true }) options = options with { Architecture = MeterTrainJob.DefaultArchitecture };
        var validate = parse.GetValue(Validate) ?? [];
        float? tolerance = parse.GetValue(CleanTolerance), threshold = parse.GetValue(ConfidenceThreshold);
        var decoderFrom = parse.GetValue(DecoderFrom);
        if ((validate.Length > 0 ? 1 : 0) + (tolerance is not null || threshold is not null ? 1 : 0) + (decoderFrom is not null ? 1 : 0) > 1)
        {
            Console.Error.WriteLine("edgedigits train: --validate chooses the decoder settings, --clean-tolerance/--confidence-threshold give them, --decoder-from takes them from a validation run: use only one");
            return ExitCodes.Usage;
        }
        if (tolerance is not (null or (>= 0 and < 0.5f)) || threshold is not (null or (>= 0 and <= 1)))
        {
            Console.Error.WriteLine("edgedigits train: --clean-tolerance must be within 0 … <0.5 and --confidence-threshold within 0 … 1");
            return ExitCodes.Usage;
        }
        var defaults = new TenthsDecoder();
        var job = new MeterTrainJob
        {
            DataDir = dir,
            ExtraDirs = parse.GetValue(Extra) ?? [],
            HoldOut = parse.GetValue(HoldOut) ?? [],
            Validate = validate,
            Decoder = tolerance is null && threshold is null ? null : defaults with { CleanTolerance = tolerance ?? defaults.CleanTolerance, ConfidenceThreshold = threshold ?? defaults.ConfidenceThreshold },
            DecoderFrom = decoderFrom,
            LcdFraction = parse.GetValue(LcdFraction),
            MaxGhost = parse.GetValue(LcdGhost),
            TenthsSigma = parse.GetValue(TenthsSigma),
            Synthetic = parse.GetValue(Synthetic),
            Options = options,
            OutPath = parse.GetValue(Out),
            Command = "edgedigits " + string.Join(" ", parse.Tokens.Select(t => t.Value)),
            Log = Console.Error,
        };
        return CommandRunner.Run("train", () => job.Run(cancel), afterProgress: true);
    }
}
