using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeDigits.Core.Inks;

/// <summary>
/// A pen recording: a panel size and strokes of timed points, with an optional expected label.
/// JSON: <c>{"width":320,"height":240,"strokes":[[[x,y,t_ms],...],...],"label":"..."}</c>.
/// </summary>
public sealed class Ink
{
    /// <summary>
    /// Creates an ink from strokes (each an array of points). Points with a non-finite coordinate (a touch
    /// controller glitch, a division by zero in a caller's mapping) are left out, so every reader sees only real
    /// points; a clean ink is taken as is, without a copy.
    /// </summary>
    public Ink(int width, int height, IReadOnlyList<InkPoint[]> strokes, string? label = null)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"ink panel size {width}x{height} must be positive");
        ArgumentNullException.ThrowIfNull(strokes);
        Width = width;
        Height = height;
        Strokes = AllFinite(strokes) ? strokes : strokes.Select(s => s.Where(IsFinite).ToArray()).ToArray();
        Label = label;
    }

    private static bool IsFinite(InkPoint p) => float.IsFinite(p.X) && float.IsFinite(p.Y);

    private static bool AllFinite(IReadOnlyList<InkPoint[]> strokes)
    {
        for (var s = 0; s < strokes.Count; s++)
            foreach (var p in strokes[s])
                if (!IsFinite(p)) return false;
        return true;
    }

    /// <summary>Most strokes a parsed ink may hold (a number has a few dozen at most).</summary>
    public const int MaxStrokes = 2000;

    /// <summary>Most points a parsed ink may hold.</summary>
    public const int MaxPoints = 500_000;

    /// <summary>Panel width in pixels.</summary>
    public int Width { get; }

    /// <summary>Panel height in pixels.</summary>
    public int Height { get; }

    /// <summary>The strokes in writing order; each is the points from pen-down to pen-up.</summary>
    public IReadOnlyList<InkPoint[]> Strokes { get; }

    /// <summary>The expected text, when known (tests, collected samples).</summary>
    public string? Label { get; }

    /// <summary>Total number of points.</summary>
    public int PointCount => Strokes.Sum(s => s.Length);

    /// <summary>Reads an ink JSON file.</summary>
    /// <exception cref="InkFormatException">Unreadable or malformed; the message names the file and the line/column.</exception>
    public static Ink Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InkFormatException($"{path}: cannot read file ({e.Message})", inner: e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses ink JSON text; <paramref name="source"/> names it in errors.</summary>
    public static Ink Parse(string json, string source = "ink") => Parse(Encoding.UTF8.GetBytes(json), source);

    /// <summary>Parses UTF-8 ink JSON; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InkFormatException">Malformed JSON or a field of the wrong shape; the message gives line and column.</exception>
    public static Ink Parse(ReadOnlySpan<byte> utf8, string source = "ink")
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var ctx = new ParseContext(utf8, source);
        int width = -1, height = -1;
        string? label = null;
        List<InkPoint[]>? strokes = null;
        try
        {
            if (!reader.Read()) throw ctx.Error(ref reader, "empty document");
            if (reader.TokenType != JsonTokenType.StartObject) throw ctx.Error(ref reader, "expected a JSON object {\"width\":…,\"height\":…,\"strokes\":[…]}");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "width": width = ctx.PositiveInt(ref reader, "width"); break;
                    case "height": height = ctx.PositiveInt(ref reader, "height"); break;
                    case "label":
                        if (reader.TokenType == JsonTokenType.Null) break;
                        if (reader.TokenType != JsonTokenType.String) throw ctx.Error(ref reader, "\"label\" must be a string");
                        label = reader.GetString();
                        break;
                    case "strokes": strokes = ReadStrokes(ref reader, ctx); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException e)
        {
            throw new InkFormatException($"{source}: invalid JSON at line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {FirstSentence(e.Message)}",
                (e.LineNumber ?? 0) + 1, (e.BytePositionInLine ?? 0) + 1, e);
        }
        if (width < 0) throw new InkFormatException($"{source}: missing \"width\"");
        if (height < 0) throw new InkFormatException($"{source}: missing \"height\"");
        if (strokes is null) throw new InkFormatException($"{source}: missing \"strokes\"");
        return new Ink(width, height, strokes, label);
    }

    private static List<InkPoint[]> ReadStrokes(ref Utf8JsonReader reader, ParseContext ctx)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw ctx.Error(ref reader, "\"strokes\" must be an array of strokes");
        var strokes = new List<InkPoint[]>();
        var points = new List<InkPoint>();
        int total = 0;
        Span<double> v = stackalloc double[3];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw ctx.Error(ref reader, $"stroke {strokes.Count} must be an array of [x,y,t_ms] points");
            if (strokes.Count >= MaxStrokes) throw ctx.Error(ref reader, $"more than {MaxStrokes} strokes; not a handwritten number");
            points.Clear();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartArray) throw ctx.Error(ref reader, $"stroke {strokes.Count} point {points.Count} must be [x,y,t_ms]");
                int n = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number || n >= 3)
                        throw ctx.Error(ref reader, $"stroke {strokes.Count} point {points.Count} must be exactly three numbers [x,y,t_ms]");
                    v[n++] = reader.GetDouble();
                }
                if (n < 2) throw ctx.Error(ref reader, $"stroke {strokes.Count} point {points.Count} has {n} numbers, needs [x,y,t_ms]");
                if (!double.IsFinite(v[0]) || !double.IsFinite(v[1])) throw ctx.Error(ref reader, $"stroke {strokes.Count} point {points.Count} is not finite");
                if (++total > MaxPoints) throw ctx.Error(ref reader, $"more than {MaxPoints} points; not a handwritten number");
                points.Add(new InkPoint((float)v[0], (float)v[1], n == 3 ? (long)v[2] : 0));
            }
            strokes.Add(points.ToArray());
        }
        return strokes;
    }

    /// <summary>Writes the ink as compact JSON (one stroke per line).</summary>
    public string ToJson()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{{\"width\":{Width},\"height\":{Height},");
        if (Label is not null) sb.Append("\"label\":\"").Append(JsonEncodedText.Encode(Label).Value).Append("\",");
        sb.Append("\"strokes\":[");
        for (int s = 0; s < Strokes.Count; s++)
        {
            sb.Append(s == 0 ? "\n  [" : ",\n  [");
            var pts = Strokes[s];
            for (int i = 0; i < pts.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(CultureInfo.InvariantCulture, $"[{Num(pts[i].X)},{Num(pts[i].Y)},{pts[i].TimeMs}]");
            }
            sb.Append(']');
        }
        sb.Append("\n]}\n");
        return sb.ToString();
    }

    /// <summary>Writes the ink JSON to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(tmp, ToJson());
        File.Move(tmp, full, overwrite: true);
    }

    private static string Num(float v) => MathF.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).Trim();
    }

    private sealed class ParseContext(ReadOnlySpan<byte> utf8, string source)
    {
        private readonly byte[] _text = utf8.ToArray();

        public InkFormatException Error(ref Utf8JsonReader reader, string what)
        {
            long pos = reader.TokenStartIndex;
            long line = 1, col = 1;
            for (long i = 0; i < pos && i < _text.Length; i++)
            {
                if (_text[i] == '\n') { line++; col = 1; }
                else col++;
            }
            return new InkFormatException($"{source}: {what} (line {line}, column {col})", line, col);
        }

        public int PositiveInt(ref Utf8JsonReader reader, string name)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int v) || v <= 0)
                throw Error(ref reader, $"\"{name}\" must be a positive integer");
            return v;
        }
    }
}
