using System.Globalization;
using System.Text;
using EdgeDigits.Core.Inks;

namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>
/// Parses the UNIPEN text of the UCI pen-digit set (<c>pendigits-orig.tra</c> / <c>.tes</c>):
/// <c>.SEGMENT DIGIT n ? "8"</c>, <c>.COMMENT digit writer index</c>, then <c>.PEN_DOWN</c>, lines of
/// <c>x y</c>, <c>.PEN_UP</c>, <c>.DT ms</c> per stroke. The tablet's y axis points up; the inks it
/// makes point down, like a touch panel. Points are 10 ms apart (the tablet sends about 100 per second).
/// </summary>
public static class UnipenReader
{
    /// <summary>Side of the tablet box each digit was written in, in tablet pixels.</summary>
    public const int TabletSize = 500;

    /// <summary>Milliseconds between two points of a stroke.</summary>
    public const int PointIntervalMs = 10;

    /// <summary>Pen-up time before the next stroke when a file gives no <c>.DT</c>.</summary>
    public const int DefaultPenUpMs = 100;

    /// <summary>Keywords of the file header (before the first segment) that carry nothing a digit needs.</summary>
    private static readonly HashSet<string> HeaderKeywords = new(StringComparer.Ordinal)
    {
        ".INCLUDE", ".LEXICON", ".HIERARCHY", ".VERSION", ".DATA_SOURCE", ".DATA_ID", ".DATA_CONTACT", ".DATA_INFO",
        ".SETUP", ".PAD", ".COORD", ".X_DIM", ".Y_DIM", ".H_LINE", ".V_LINE", ".X_POINTS_PER_INCH", ".Y_POINTS_PER_INCH",
        ".POINTS_PER_SECOND", ".COMMENT", ".DT",
    };

    /// <summary>Reads a <c>.tra</c> / <c>.tes</c> file, compressed (<c>.Z</c>) or plain.</summary>
    /// <exception cref="InvalidDataException">Unreadable, corrupt or malformed; the message names the file and the line.</exception>
    public static IReadOnlyList<PenDigit> Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = UnixCompress.ReadFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read file ({e.Message})", e);
        }
        return Parse(Encoding.ASCII.GetString(bytes), path);
    }

    /// <summary>Parses UNIPEN text; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Malformed text; the message gives <paramref name="source"/> and the line number.</exception>
    public static IReadOnlyList<PenDigit> Parse(string text, string source = "unipen")
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = new List<PenDigit>();
        Segment? seg = null;
        List<InkPoint>? stroke = null;
        long nextStrokeMs = 0;
        int lineNo = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } raw)
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            InvalidDataException Error(string what) => new($"{source}: line {lineNo}: {what}");
            if (line[0] != '.')
            {
                if (stroke is null) throw Error($"'{Shorten(line)}' is not a keyword and the pen is not down");
                var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int x)
                    || !int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int y))
                    throw Error($"expected a point 'x y' (two integers), got '{Shorten(line)}'");
                stroke.Add(new InkPoint(x, TabletSize - y, nextStrokeMs + (long)stroke.Count * PointIntervalMs));
                continue;
            }
            int space = line.IndexOfAny([' ', '\t']);
            var keyword = space < 0 ? line : line[..space];
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            switch (keyword)
            {
                case ".SEGMENT":
                    if (stroke is not null) throw Error(".SEGMENT while the pen is down (missing .PEN_UP)");
                    if (seg is not null) digits.Add(seg.Finish(source));
                    seg = new Segment(ParseSegmentLabel(rest, Error), lineNo);
                    nextStrokeMs = 0;
                    break;
                case ".COMMENT" when seg is not null:
                    var c = rest.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    if (c.Length < 3 || !int.TryParse(c[0], CultureInfo.InvariantCulture, out int d) || !int.TryParse(c[1], CultureInfo.InvariantCulture, out int w)
                        || !int.TryParse(c[2], CultureInfo.InvariantCulture, out int idx) || w < 1)
                        throw Error($"expected '.COMMENT digit writer index', got '{Shorten(line)}'");
                    if (d != seg.Digit) throw Error($".COMMENT names digit {d} but the segment is labelled \"{seg.Digit}\"");
                    seg.Writer = w;
                    seg.Index = idx;
                    break;
                case ".PEN_DOWN":
                    if (seg is null) throw Error(".PEN_DOWN before any .SEGMENT");
                    if (stroke is not null) throw Error(".PEN_DOWN while the pen is already down");
                    stroke = [];
                    break;
                case ".PEN_UP":
                    if (stroke is null) throw Error(".PEN_UP without .PEN_DOWN");
                    if (stroke.Count == 0) throw Error("a stroke without points");
                    seg!.Strokes.Add(stroke.ToArray());
                    nextStrokeMs = stroke[^1].TimeMs + DefaultPenUpMs;
                    stroke = null;
                    break;
                case ".DT" when seg is not null:
                    if (!int.TryParse(rest, CultureInfo.InvariantCulture, out int dt) || dt < 0) throw Error($"expected '.DT milliseconds', got '{Shorten(line)}'");
                    if (seg.Strokes.Count > 0) nextStrokeMs = seg.Strokes[^1][^1].TimeMs + dt;
                    break;
                default:
                    if (seg is null && HeaderKeywords.Contains(keyword)) break;
                    throw Error($"unexpected keyword {keyword}");
            }
        }
        if (stroke is not null) throw new InvalidDataException($"{source}: line {lineNo}: file ends while the pen is down (missing .PEN_UP)");
        if (seg is not null) digits.Add(seg.Finish(source));
        return digits;
    }

    private static int ParseSegmentLabel(string rest, Func<string, InvalidDataException> error)
    {
        // DIGIT <id or id range> ? "<label>"
        var parts = rest.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != "DIGIT") throw error($"expected '.SEGMENT DIGIT n ? \"d\"', got '.SEGMENT {Shorten(rest)}'");
        var label = parts[^1];
        if (label.Length != 3 || label[0] != '"' || label[2] != '"' || !char.IsAsciiDigit(label[1]))
            throw error($"segment label {label} is not one digit in quotes");
        return label[1] - '0';
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private sealed class Segment(int digit, int line)
    {
        public int Digit { get; } = digit;
        public int Writer { get; set; }
        public int Index { get; set; } = -1;
        public List<InkPoint[]> Strokes { get; } = [];

        public PenDigit Finish(string source)
        {
            if (Writer == 0) throw new InvalidDataException($"{source}: line {line}: segment has no '.COMMENT digit writer index' line");
            if (Strokes.Count == 0) throw new InvalidDataException($"{source}: line {line}: segment has no strokes");
            var ink = new Ink(TabletSize, TabletSize, Strokes, Digit.ToString(CultureInfo.InvariantCulture));
            return new PenDigit(ink, Digit, Writer, Index);
        }
    }
}
