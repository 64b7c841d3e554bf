using System.CommandLine;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Cli;

/// <summary><c>edgedigits bench</c>: latency and allocation of ink → reading and frame → reading on one core.</summary>
public sealed class BenchCommand : Command
{
    /// <summary>The model.</summary>
    public Option<string?> Model { get; } = new("--model") { Description = "ONNX model (default: models/digits-int8.onnx, else models/digits-fp32.onnx)" };

    /// <summary>The ink sequence model.</summary>
    public Option<string?> InkModel { get; } = new("--ink-model") { Description = "Also time ink → reading with this ink sequence model read beside --model (what the kiosk does with Model:InkModel)" };

    /// <summary>JSON output (the default; kept so scripts can be explicit).</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print the JSON report only (no summary line on stderr)" };

    /// <summary>Timed iterations.</summary>
    public Option<int> Iterations { get; } = new("--iterations") { Description = "Timed reads per path (after warm-up)", DefaultValueFactory = _ => 500 };

    /// <summary>Meter frame benchmark.</summary>
    public Option<string?> Meter { get; } = new("--meter") { Description = "Benchmark meter frames instead: alignment (marks, marker-free) and the whole frame (align + windows + gear model) on the images beside this layout, e.g. samples/meter-frames/meter.json; --model is then a meter model" };

    /// <summary>Further benchmarks the hosting binary brings (the PC tool's <c>--train</c>); each adds its options and runs when selected.</summary>
    public IReadOnlyList<IBenchMode> Modes { get; }

    /// <summary>Creates the command, with the hosting binary's own <paramref name="modes"/>.</summary>
    public BenchCommand(params IBenchMode[] modes) : base("bench", "Benchmark ink → reading and a 640x480 6-digit frame → reading on one ONNX Runtime thread; prints JSON (p50/p99 ms, bytes allocated).")
    {
        Iterations.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--iterations must be at least 1"); });
        Add(Model);
        Add(Json);
        Add(Iterations);
        Add(Meter);
        Add(InkModel);
        Modes = modes;
        foreach (var m in modes) m.AddTo(this);
        SetAction(parse =>
        {
            foreach (var m in Modes)
                if (m.IsSelected(parse)) return m.Execute(parse, parse.GetValue(Json), Console.Out, Console.Error);
            return parse.GetValue(Meter) is { } layout
                ? ExecuteMeter(layout, parse.GetValue(Model), parse.GetValue(Iterations), Console.Out, Console.Error)
                : Execute(parse.GetValue(Model), parse.GetValue(Iterations), parse.GetValue(Json), Console.Out, Console.Error, parse.GetValue(InkModel));
        });
    }

    /// <summary>Runs the meter frame benchmark; exit code 0 when the frame target is met, 1 when missed.</summary>
    internal static int ExecuteMeter(string layout, string? model, int iterations, TextWriter output, TextWriter error)
    {
        try
        {
            var report = MeterFrameBenchmark.Run(layout, model, iterations, Math.Max(20, iterations / 10));
            output.WriteLine(RecognitionBenchmark.ToJsonText(report));
            return report["frame"]!["met"]!.GetValue<bool>() ? ExitCodes.Success : ExitCodes.Failed;
        }
        catch (Exception e) when (e is FileNotFoundException or ModelLoadException or IOException or InvalidDataException or ImageFormatException)
        {
            error.WriteLine($"edgedigits bench: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Runs the benchmark; exit code 0 when every target is met, 1 when one is missed.</summary>
    public static int Execute(string? model, int iterations, bool jsonOnly, TextWriter output, TextWriter error, string? inkModel = null)
    {
        try
        {
            var path = ModelLocator.Resolve(model);
            var options = new DigitClassifierOptions { IntraOpThreads = 1 };
            using var classifier = new DigitClassifier(path, options);
            if (inkModel is not null && !File.Exists(inkModel)) throw new FileNotFoundException($"{inkModel}: ink model file not found", inkModel);
            using var sequence = inkModel is null ? null : new DigitClassifier(inkModel, options);
            if (!jsonOnly) error.WriteLine($"edgedigits bench: {path}{(inkModel is null ? "" : $" + {inkModel}")}, 1 intra-op thread, {iterations} iterations per path …");
            int warmup = Math.Max(20, iterations / 10);
            var (ink, frame, classifyBytes) = RecognitionBenchmark.Run(classifier, iterations, warmup);
            PathFigures? withSequence = sequence is null ? null : RecognitionBenchmark.RunInk(classifier, sequence, iterations, warmup);
            var report = RecognitionBenchmark.ToJson(path, 1, ink, frame, classifyBytes, inkModel, withSequence);
            output.WriteLine(RecognitionBenchmark.ToJsonText(report));
            bool met = ink.P50Ms <= RecognitionBenchmark.InkTargetMs && frame.P50Ms <= RecognitionBenchmark.FrameTargetMs && report["zeroAllocation"]!.GetValue<bool>()
                && withSequence is not { P50Ms: > RecognitionBenchmark.InkTargetMs };
            if (!jsonOnly) error.WriteLine(met ? "edgedigits bench: all targets met" : "edgedigits bench: a target was missed (see JSON)");
            return met ? ExitCodes.Success : ExitCodes.Failed;
        }
        catch (Exception e) when (e is FileNotFoundException or ModelLoadException or IOException or ArgumentException)
        {
            error.WriteLine($"edgedigits bench: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }
    }
}

/// <summary>A benchmark a binary adds to <c>bench</c> (the PC tool's trainer benchmark needs Training, which the device does not carry).</summary>
public interface IBenchMode
{
    /// <summary>Adds the mode's options to <paramref name="command"/>.</summary>
    void AddTo(Command command);

    /// <summary>Whether the command line asks for this benchmark.</summary>
    bool IsSelected(ParseResult parse);

    /// <summary>Runs it; the exit code.</summary>
    int Execute(ParseResult parse, bool json, TextWriter output, TextWriter error);
}
