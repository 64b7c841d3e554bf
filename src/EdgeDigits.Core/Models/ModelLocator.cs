namespace EdgeDigits.Core.Models;

/// <summary>Finds the shipped model when the user names none: <c>models/digits-int8.onnx</c>, else <c>models/digits-fp32.onnx</c>.</summary>
public static class ModelLocator
{
    /// <summary>File names tried, in order of preference.</summary>
    public static IReadOnlyList<string> DefaultNames { get; } = ["digits-int8.onnx", "digits-fp32.onnx"];

    /// <summary>
    /// Returns <paramref name="explicitPath"/> when given (it must exist); otherwise the first default model in
    /// <c>./models</c>, then in <c>models/</c> beside the program or in any folder above it.
    /// </summary>
    /// <exception cref="FileNotFoundException">No model found; the message lists where it looked.</exception>
    public static string Resolve(string? explicitPath) => Resolve(explicitPath, DefaultNames);

    /// <summary>The shipped meter wheel models, in order of preference.</summary>
    public static IReadOnlyList<string> MeterNames { get; } = ["meter-int8.onnx", "meter-fp32.onnx"];

    /// <summary>The shipped ink sequence models, in order of preference (int8, else fp32), read beside the digit model on inks.</summary>
    public static IReadOnlyList<string> InkSequenceNames { get; } = ["inkseq-int8.onnx", "inkseq-fp32.onnx"];

    /// <summary>The word that turns the ink sequence model off (<c>--ink-model none</c>).</summary>
    public const string NoInkModel = "none";

    /// <summary>
    /// The ink sequence model to read inks with: <paramref name="explicitPath"/> when given (it must exist), null for
    /// <see cref="NoInkModel"/>, else the shipped one when found (null when not: the digit model then reads alone).
    /// </summary>
    /// <exception cref="FileNotFoundException">The given file does not exist.</exception>
    public static string? ResolveInk(string? explicitPath)
    {
        if (explicitPath == NoInkModel) return null;
        if (!string.IsNullOrEmpty(explicitPath)) return Resolve(explicitPath, InkSequenceNames);
        try { return Resolve(null, InkSequenceNames); }
        catch (FileNotFoundException) { return null; }
    }

    /// <summary>As <see cref="Resolve(string?)"/>, looking for <paramref name="names"/> (e.g. <see cref="MeterNames"/>).</summary>
    /// <exception cref="FileNotFoundException">No model found; the message lists where it looked.</exception>
    public static string Resolve(string? explicitPath, IReadOnlyList<string> names)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            if (!File.Exists(explicitPath)) throw new FileNotFoundException($"{explicitPath}: model file not found", explicitPath);
            return explicitPath;
        }
        var folders = new List<string> { Path.Combine(Directory.GetCurrentDirectory(), "models") };
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            folders.Add(Path.Combine(d.FullName, "models"));
        foreach (var name in names)
            foreach (var folder in folders)
            {
                var p = Path.Combine(folder, name);
                if (File.Exists(p)) return p;
            }
        throw new FileNotFoundException($"no model given and none of {string.Join(", ", names)} found in ./models or above {AppContext.BaseDirectory} (use --model)");
    }
}
