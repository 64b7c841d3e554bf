using System.Globalization;

namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>A set of writer numbers written as ranges and single numbers, e.g. <c>1-24</c>, <c>25-30</c> or <c>1,3,5-7</c>.</summary>
public sealed class WriterRange
{
    private readonly SortedSet<int> _writers;

    private WriterRange(SortedSet<int> writers, string text)
    {
        _writers = writers;
        Text = text;
    }

    /// <summary>Largest writer number accepted.</summary>
    public const int MaxWriter = 10_000;

    /// <summary>The text it was parsed from, normalized (no spaces).</summary>
    public string Text { get; }

    /// <summary>The writers, ascending.</summary>
    public IReadOnlyCollection<int> Writers => _writers;

    /// <summary>True when <paramref name="writer"/> is in the set.</summary>
    public bool Contains(int writer) => _writers.Contains(writer);

    /// <summary>Parses <c>a-b</c>, <c>n</c> and comma-separated lists of them.</summary>
    /// <exception cref="ArgumentException">Empty, not numbers, a reversed range or a writer below 1; the message quotes the bad part.</exception>
    public static WriterRange Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = new SortedSet<int>();
        var normalized = text.Replace(" ", "", StringComparison.Ordinal);
        if (normalized.Length == 0) throw new ArgumentException("writer range is empty (expected e.g. 1-24 or 1,3,5-7)");
        foreach (var part in normalized.Split(','))
        {
            var ends = part.Split('-');
            if (ends.Length is < 1 or > 2 || !ends.All(e => int.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new ArgumentException($"writer range '{text}': '{part}' is not a writer number or a range a-b (expected e.g. 1-24 or 1,3,5-7)");
            int lo = int.Parse(ends[0], CultureInfo.InvariantCulture), hi = int.Parse(ends[^1], CultureInfo.InvariantCulture);
            if (lo < 1 || hi > MaxWriter) throw new ArgumentException($"writer range '{text}': writers are numbered 1 to {MaxWriter} ('{part}')");
            if (lo > hi) throw new ArgumentException($"writer range '{text}': '{part}' runs backwards");
            for (int w = lo; w <= hi; w++) set.Add(w);
        }
        return new WriterRange(set, normalized);
    }

    /// <summary>The text form, e.g. <c>1-24</c>.</summary>
    public override string ToString() => Text;
}
