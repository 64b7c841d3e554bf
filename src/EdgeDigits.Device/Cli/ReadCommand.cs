using System.Text.Json;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Cli;

/// <summary>
/// <c>EdgeDigits.Device read FILE... [--model M] [--json]</c>: reads image and ink files with the same recognizer the
/// device runs and prints one line per file (<c>path&lt;TAB&gt;text&lt;TAB&gt;min confidence</c>, or a JSON object).
/// Exit 0 when every file was read, 1 when any failed, 2 for a bad command line, 3 when the model cannot be loaded.
/// </summary>
public static class ReadCommand
{
    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? model = null;
        var json = false;
        var threads = 1;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model" when i + 1 < args.Length: model = args[++i]; break;
                case "--model": stderr.WriteLine("read: --model needs a path"); return 2;
                case "--json": json = true; break;
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out var t) && t is > 0 and <= 64: threads = t; i++; break;
                case "--threads": stderr.WriteLine("read: --threads needs a number 1..64"); return 2;
                case "-h" or "--help":
                    stdout.WriteLine("usage: EdgeDigits.Device read FILE... [--model M] [--json] [--threads N]");
                    stdout.WriteLine("  reads images (PNG/JPEG/BMP/WebP) and ink JSON files; one line per file: path<TAB>text<TAB>min confidence");
                    return 0;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal)) { stderr.WriteLine($"read: unknown option '{args[i]}'"); return 2; }
                    files.Add(args[i]);
                    break;
            }
        }
        if (files.Count == 0) { stderr.WriteLine("read: no files given (usage: read FILE... [--model M] [--json])"); return 2; }
        var paths = new PathResolver();
        model = paths.Resolve(model ?? "models/digits-int8.onnx");
        if (!File.Exists(model)) { stderr.WriteLine($"read: model file '{model}' not found (use --model)"); return 3; }
        IRecognizer recognizer;
        try { recognizer = RecognizerFactory.Load(threads)(model); }
        catch (Exception ex) { stderr.WriteLine($"read: model '{model}' failed to load: {ex.Message}"); return 3; }
        using var _ = recognizer;
        var failed = 0;
        // Folder expansion is Core's, so `edgedigits read` on the PC and this read on the board see the same files.
        foreach (var (file, problem) in ReadService.Expand(files))
        {
            try
            {
                if (problem is not null) throw new FileNotFoundException(problem);
                var bytes = File.ReadAllBytes(file);
                var r = ReadService.IsInk(file) ? recognizer.ReadInk(Core.Inks.Ink.Parse(bytes, file)) : recognizer.ReadImage(bytes);
                if (json)
                    stdout.WriteLine(JsonSerializer.Serialize(new { file, text = r.Text, minConfidence = Math.Round(r.MinConfidence, 4), digits = r.Digits }));
                else
                    stdout.WriteLine($"{file}\t{r.Text}\t{r.MinConfidence.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}");
            }
            catch (Exception ex)
            {
                failed++;
                stderr.WriteLine($"read: {file}: {ex.Message}");
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
