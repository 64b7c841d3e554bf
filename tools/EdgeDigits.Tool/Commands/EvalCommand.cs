using System.CommandLine;
using EdgeDigits.Core.Models;
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
    public Option<string> Data { get; } = new("--data") { Description = "MNIST IDX folder (test pair used) or DIR/<label>/*.png folder dataset", Required = true };

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
    public EvalCommand() : base("eval", "Evaluate one model, or two side by side (fp32 vs int8), on MNIST or a folder dataset.")
    {
        Models.Validators.Add(r =>
        {
            var n = r.GetValueOrDefault<string[]>()?.Length ?? 0;
            if (n is < 1 or > 2) r.AddError("--model must be given once or twice");
        });
        Batch.Validators.Add(r => { if (r.GetValueOrDefault<int>() <= 0) r.AddError("--batch must be positive"); });
        Threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must not be negative"); });
        NotDigits.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--not-digits must not be negative"); });
        Add(Models);
        Add(Data);
        Add(Json);
        Add(Out);
        Add(Batch);
        Add(Threads);
        Add(NotDigits);
        Add(Families);
        SetAction(parse => CommandRunner.Run("eval", () =>
        {
            var models = parse.GetValue(Models)!;
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
