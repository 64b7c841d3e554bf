using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Meters.Alignment;

namespace EdgeDigits.Device.Configuration;

/// <summary>
/// <c>Meter:Alignment</c>: how each frame is aligned to the reference image before the digit windows are cut (the shape of a
/// <see cref="MeterLayout"/>'s <c>Alignment</c> section, so a layout checked with <c>edgedigits read --windows</c> pastes in).
/// A frame whose alignment score is below <see cref="MinScore"/> is refused with the reason; the last good value is kept.
/// </summary>
public sealed class MeterAlignmentOptions
{
    /// <summary><c>None</c> (windows cut where they are), <c>Marks</c> (two reference marks) or <c>Registration</c> (the face around the windows).</summary>
    public string Mode { get; set; } = nameof(AlignmentMode.None);

    /// <summary>The reference image the windows and marks were drawn on (relative paths resolve against the app folder).</summary>
    public string Reference { get; set; } = "";

    /// <summary>The two reference marks for <c>Marks</c>: boxes on the reference image.</summary>
    public List<RectOptions> Marks { get; set; } = [];

    /// <summary>How far, in pixels, a mark (or the face) is searched from where it was on the reference.</summary>
    public int SearchRadius { get; set; } = AlignmentOptions.DefaultSearchRadius;

    /// <summary>Largest rotation accepted, in degrees either way.</summary>
    public double MaxRotationDegrees { get; set; } = AlignmentOptions.DefaultMaxRotationDegrees;

    /// <summary>Largest change of size accepted (0.05 = ±5%); 0 = shift and rotation only.</summary>
    public double MaxScaleChange { get; set; } = AlignmentOptions.DefaultMaxScaleChange;

    /// <summary>Alignment score (normalised cross-correlation) below which a frame is refused rather than read.</summary>
    public double MinScore { get; set; } = AlignmentOptions.DefaultMinScore;

    /// <summary>The parsed mode, or null when <see cref="Mode"/> names none.</summary>
    public AlignmentMode? ParsedMode =>
        Enum.TryParse<AlignmentMode>(Mode, ignoreCase: true, out var m) && Enum.IsDefined(m) && !int.TryParse(Mode, out _) ? m : null;

    /// <summary>The search, rotation, scale and score limits as the aligners take them.</summary>
    public AlignmentOptions Limits => new()
    {
        SearchRadius = SearchRadius, MaxRotationDegrees = MaxRotationDegrees, MaxScaleChange = MaxScaleChange, MinScore = MinScore,
    };

    /// <summary>The meter layout of <paramref name="windows"/> with this alignment and the reference at <paramref name="referencePath"/>.</summary>
    public MeterLayout ToLayout(IReadOnlyList<RectOptions> windows, string referencePath) => new()
    {
        Windows = [.. windows.Select(w => w.ToPixelRect())],
        Mode = ParsedMode ?? AlignmentMode.None,
        Reference = referencePath,
        Marks = [.. Marks.Select(m => m.ToPixelRect())],
        Options = Limits,
    };

    /// <summary>
    /// Opens the aligner for <paramref name="windows"/> on the reference image (null for <c>None</c>); the start-up check and
    /// meter mode both open it here, so a config that passes the check opens.
    /// </summary>
    /// <exception cref="ImageFormatException">The reference image is missing or cannot be decoded.</exception>
    /// <exception cref="ArgumentException">The mode is unknown, or the windows or marks do not suit the reference (one line).</exception>
    public IFrameAligner? OpenAligner(IReadOnlyList<RectOptions> windows, Func<string, string> resolvePath)
    {
        var mode = ParsedMode ?? throw new ArgumentException($"alignment mode '{Mode}' is not one of None, Marks, Registration");
        if (mode == AlignmentMode.None) return null;
        var path = resolvePath(Reference);
        if (!File.Exists(path)) throw new ImageFormatException($"{Reference}: reference image not found (resolved to {path})");
        return ToLayout(windows, path).CreateAligner(GrayImageCodec.Decode(path));
    }
}
