using System.Text.RegularExpressions;

namespace EdgeDigits.Training.Data.Meters;

/// <summary>
/// Which meter a digit window file came from, read from its name, so validation can hold out whole
/// meters: consecutive photos of one meter are near-identical, and a random split would flatter
/// the model. Names in the public set look like <c>3.0_3_dig6_20220620-182826.jpg</c> (labels, the
/// window's position on the meter, the capture time), <c>4.7_Ziffer_5_0018.jpg</c>, or
/// <c>3.0_01354c829af96f4737dbd667247c4b06.jpg</c> (anonymised).
/// </summary>
public static partial class MeterSeries
{
    /// <summary>The family of anonymised files (a content hash for a name): their meter is unknown.</summary>
    public const string Anonymous = "hash";

    /// <summary>
    /// The series: the name without its label prefixes, capture time and frame counter, e.g. <c>dig6</c>,
    /// <c>main_dig7</c>, <c>ROI5</c>, <c>ziffer5</c>. Anonymised files give <see cref="Anonymous"/>.
    /// </summary>
    public static string SeriesOf(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        stem = TimeStamp().Replace(stem, "_");
        // Labels, counters and copy marks are numbers or notes; what stays names the meter and the wheel.
        var tokens = stem.Split(['_', '-', '(', ')', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => !NumberToken().IsMatch(t) && !Notes.Contains(t.ToLowerInvariant()))
            .ToList();
        if (tokens.Count == 0) return "unnamed";
        var series = string.Join("_", tokens).ToLowerInvariant();
        return HashName().IsMatch(series) ? Anonymous : series;
    }

    /// <summary>Words people add to a file name that say nothing about the meter ("neu" = new, "wrong").</summary>
    private static readonly HashSet<string> Notes = ["neu", "new", "wrong", "copy", "grafik"];

    /// <summary>
    /// The family: the series without the window's position (<c>dig6</c> and <c>dig7</c> are two wheels of
    /// one meter installation), e.g. <c>dig</c>, <c>main_dig</c>, <c>digit</c>, <c>roi</c>. Holding out a
    /// family holds out every wheel of those meters.
    /// </summary>
    public static string FamilyOf(string fileName)
    {
        var series = SeriesOf(fileName);
        if (series == Anonymous) return Anonymous;
        var family = TrailingDigits().Replace(series, "");
        family = family.TrimEnd('_');
        return family.Length == 0 ? series : family;
    }

    [GeneratedRegex(@"\d{8}-\d{6}|\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}")]
    private static partial Regex TimeStamp();

    [GeneratedRegex(@"^(\d+(\.\d+)*|nan|NaN|\d+[a-f]?)$")]
    private static partial Regex NumberToken();

    [GeneratedRegex(@"^[0-9a-f]{32}$")]
    private static partial Regex HashName();

    [GeneratedRegex(@"[_]?\d+$")]
    private static partial Regex TrailingDigits();
}
