using System.CommandLine;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits bench</c>: latency and allocation of ink → reading and frame → reading on one core.</summary>
public sealed class BenchCommand : Command
{
    /// <summary>The model.</summary>
    public Option<string?> Model { get; } = new("--model") { Description = "ONNX model (default: models/digits-int8.onnx, else models/digits-fp32.onnx)" };

    /// <summary>JSON output (the default; kept so scripts can be explicit).</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print the JSON report only (no summary line on stderr)" };

    /// <summary>Timed iterations.</summary>
    public Option<int> Iterations { get; } = new("--iterations") { Description = "Timed reads per path (after warm-up)", DefaultValueFactory = _ => 500 };

    /// <summary>The <c>--train</c> benchmark's options.</summary>
    public TrainBenchOptions TrainBench { get; } = new();

    /// <summary>Creates the command.</summary>
    public BenchCommand() : base("bench", "Benchmark ink → reading and a 640x480 6-digit frame → reading on one ONNX Runtime thread; prints JSON (p50/p99 ms, bytes allocated).")
    {
        Iterations.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--iterations must be at least 1"); });
        Add(Model);
        Add(Json);
        Add(Iterations);
        TrainBench.AddTo(this);
        SetAction(parse => parse.GetValue(TrainBench.Train)
            ? TrainBench.Execute(parse, parse.GetValue(Json), Console.Out, Console.Error)
            : Execute(parse.GetValue(Model), parse.GetValue(Iterations), parse.GetValue(Json), Console.Out, Console.Error));
    }

    /// <summary>Runs the benchmark; exit code 0 when every target is met, 1 when one is missed.</summary>
    internal static int Execute(string? model, int iterations, bool jsonOnly, TextWriter output, TextWriter error)
    {
        try
        {
            var path = ModelLocator.Resolve(model);
            using var classifier = new DigitClassifier(path, new DigitClassifierOptions { IntraOpThreads = 1 });
            if (!jsonOnly) error.WriteLine($"edgedigits bench: {path}, 1 intra-op thread, {iterations} iterations per path …");
            var (ink, frame, classifyBytes) = RecognitionBenchmark.Run(classifier, iterations, Math.Max(20, iterations / 10));
            var report = RecognitionBenchmark.ToJson(path, 1, ink, frame, classifyBytes);
            output.WriteLine(RecognitionBenchmark.ToJsonText(report));
            bool met = ink.P50Ms <= RecognitionBenchmark.InkTargetMs && frame.P50Ms <= RecognitionBenchmark.FrameTargetMs && report["zeroAllocation"]!.GetValue<bool>();
            if (!jsonOnly) error.WriteLine(met ? "edgedigits bench: all targets met" : "edgedigits bench: a target was missed (see JSON)");
            return met ? ExitCodes.Success : ExitCodes.Failed;
        }
        catch (Exception e) when (e is FileNotFoundException or ModelLoadException or IOException)
        {
            error.WriteLine($"edgedigits bench: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }
    }
}
