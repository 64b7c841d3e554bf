using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeDigits.Training.Evaluation;

/// <summary>What <c>edgedigits eval --pen</c> measured for one model: single real pen digits and composed strings, read by <see cref="Core.Recognition.NumberReader"/>.</summary>
/// <param name="Model">The model file.</param>
/// <param name="PenDir">The pen-digit folder.</param>
/// <param name="Writers">The writers read (text form, e.g. 25-30).</param>
/// <param name="Seed">Seed of the composed strings.</param>
/// <param name="Singles">Every single digit of those writers, as written.</param>
/// <param name="Strings">Composed 2-6 digit strings of those writers.</param>
/// <param name="TouchingStrings">The composed strings in which some neighbours touch or overlap (a part of <paramref name="Strings"/>).</param>
public sealed record PenEvalReport(string Model, string PenDir, string Writers, int Seed, PenReadFigures Singles, PenReadFigures Strings, PenReadFigures TouchingStrings)
{
    /// <summary>The ink sequence model read beside <see cref="Model"/>, or null.</summary>
    public string? InkModel { get; init; }

    /// <summary>With <see cref="InkModel"/>: the sequence model's share of the blend.</summary>
    public float? SequenceWeight { get; init; }

    /// <summary>The single digits by the digit written.</summary>
    public IReadOnlyDictionary<int, PenReadFigures> SinglesByDigit { get; init; } = new Dictionary<int, PenReadFigures>();

    /// <summary>The single digits by writer.</summary>
    public IReadOnlyDictionary<int, PenReadFigures> SinglesByWriter { get; init; } = new Dictionary<int, PenReadFigures>();

    /// <summary>The composed strings by their number of digits.</summary>
    public IReadOnlyDictionary<int, PenReadFigures> StringsByLength { get; init; } = new Dictionary<int, PenReadFigures>();

    /// <summary>The report as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["model"] = Model,
        ["inkModel"] = InkModel,
        ["sequenceWeight"] = SequenceWeight,
        ["penDir"] = PenDir,
        ["writers"] = Writers,
        ["seed"] = Seed,
        ["singleDigits"] = Singles.ToJson(),
        ["singleDigitsByDigit"] = ByKey(SinglesByDigit),
        ["singleDigitsByWriter"] = ByKey(SinglesByWriter),
        ["strings"] = Strings.ToJson(),
        ["stringsWithTouchingDigits"] = TouchingStrings.ToJson(),
        ["stringsByLength"] = ByKey(StringsByLength),
    };

    /// <summary>The format tag of <see cref="ToJsonText"/> (docs/eval-json.md).</summary>
    public const string Format = "edgedigits-eval-pen/1";

    /// <summary>Several reports as one indented JSON document (<c>{"format":…,"pen":[...]}</c>).</summary>
    public static string ToJsonText(IEnumerable<PenEvalReport> reports) =>
        new JsonObject { ["format"] = Format, ["pen"] = new JsonArray(reports.Select(r => (JsonNode)r.ToJson()).ToArray()) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>A few lines for people.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{Model}{(InkModel is null ? "" : $" + {InkModel} (sequence weight {SequenceWeight:0.##})")}: pen inks of writers {Writers} in {PenDir}, read by NumberReader\n");
        Line(sb, "single digits", Singles);
        AccuracyLine(sb, "accuracy by digit", SinglesByDigit);
        AccuracyLine(sb, "accuracy by writer", SinglesByWriter);
        Line(sb, $"strings 2-6 (seed {Seed})", Strings);
        Line(sb, "  of which touching", TouchingStrings);
        AccuracyLine(sb, "accuracy by length", StringsByLength);
        return sb.ToString();
    }

    private static void AccuracyLine(StringBuilder sb, string what, IReadOnlyDictionary<int, PenReadFigures> figures) =>
        sb.Append(CultureInfo.InvariantCulture, $"    {what}: ")
          .AppendJoin("  ", figures.OrderBy(kv => kv.Key).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}:{kv.Value.Accuracy * 100:F1}%")))
          .Append('\n');

    private static JsonObject ByKey(IReadOnlyDictionary<int, PenReadFigures> figures)
    {
        var o = new JsonObject();
        foreach (var (k, f) in figures.OrderBy(kv => kv.Key)) o[k.ToString(CultureInfo.InvariantCulture)] = f.ToJson();
        return o;
    }

    private static void Line(StringBuilder sb, string what, PenReadFigures f) =>
        sb.Append(CultureInfo.InvariantCulture,
            $"  {what,-24} {f.Count,6}: correct {f.Accuracy * 100,6:F2}%  unsure '?' {f.UnsureRate * 100,5:F2}%  wrong {f.WrongRate * 100,5:F2}%  (digit count off in {f.LengthMismatch})\n");
}
