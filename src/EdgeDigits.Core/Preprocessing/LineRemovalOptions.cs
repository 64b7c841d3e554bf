namespace EdgeDigits.Core.Preprocessing;

/// <summary>
/// Settings of <see cref="LineRemover"/>: what counts as a ruling line, a table border or a scanner strip
/// (long, thin, straight runs of ink along a row or a column) rather than a digit stroke.
/// </summary>
public sealed record LineRemovalOptions
{
    /// <summary>The defaults (shared instance).</summary>
    public static LineRemovalOptions Default { get; } = new();

    /// <summary>No line removal (frames that are known to hold only digits, e.g. a meter's fixed windows).</summary>
    public static LineRemovalOptions Off { get; } = new() { Enabled = false };

    /// <summary>Remove lines at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// A line is at least this fraction of the frame's side long (width for a horizontal line, height for a vertical one).
    /// A handwritten number on a label photo fills well under half the frame's height per digit, and a digit's bar
    /// (the top of a 7) is far shorter than half the width of any frame it sits in.
    /// </summary>
    public double MinLengthFraction { get; init; } = 0.45;

    /// <summary>A line is at least this many pixels long, whatever the frame size.</summary>
    public int MinLength { get; init; } = 30;

    /// <summary>
    /// A line is at least this many times as long as it is thick: a digit's straightest stroke (a 1, a 7's bar)
    /// is at most about 10 stroke widths long.
    /// </summary>
    public double MinAspect { get; init; } = 15;

    /// <summary>
    /// At least this fraction of the run's length is ink on the row (column) itself; the run is measured on the
    /// row dilated by <see cref="Tolerance"/> rows, so a slightly tilted line still counts as one run.
    /// </summary>
    public double MinFill { get; init; } = 0.25;

    /// <summary>Rows (columns) either side that a run may step into: tilt tolerance of a line (1 = about 2° on a 640 px frame).</summary>
    public int Tolerance { get; init; } = 1;

    /// <summary>
    /// A pixel of a line is removed when the ink across the line through it is at most this many times the line's
    /// thickness (its median across-run) plus one pixel: where a digit stroke crosses the line, the ink across is the
    /// stroke's length, so the crossing stays.
    /// </summary>
    public double CrossingFactor { get; init; } = 1.5;
}
