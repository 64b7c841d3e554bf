using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Meters.Alignment;

/// <summary>How a frame's digit windows are found again after the camera moved; one implementation per way of aligning.</summary>
public interface IFrameAligner
{
    /// <summary>Width of the reference image; frames must have the same size.</summary>
    int Width { get; }

    /// <summary>Height of the reference image.</summary>
    int Height { get; }

    /// <summary>
    /// Finds the transform from the reference to <paramref name="frame"/>. A frame of another size, one that does not match the
    /// reference well enough, or one that moved further than the options allow is refused with the reason, never thrown.
    /// Not thread-safe: an aligner keeps its working buffers.
    /// </summary>
    AlignmentResult Align(GrayImage frame);

    /// <summary>
    /// Opens the aligner <paramref name="mode"/> names on <paramref name="reference"/>: <see cref="AlignmentMode.Marks"/> uses the two
    /// <paramref name="marks"/>, <see cref="AlignmentMode.Registration"/> registers the face around <paramref name="windows"/>, and
    /// <see cref="AlignmentMode.None"/> gives null (windows are cut where they are).
    /// </summary>
    /// <exception cref="ArgumentException">The options break a rule, or the marks or windows do not suit the reference (one line each).</exception>
    static IFrameAligner? Create(AlignmentMode mode, GrayImage reference, IReadOnlyList<PixelRect> marks, IReadOnlyList<PixelRect> windows, AlignmentOptions options) => mode switch
    {
        AlignmentMode.None => null,
        AlignmentMode.Marks => new MarkAligner(reference, marks, options),
        AlignmentMode.Registration => new RegistrationAligner(reference, windows, options),
        _ => throw new ArgumentException($"alignment mode {mode} is not one of None, Marks, Registration", nameof(mode)),
    };
}

/// <summary>How frames are aligned to the reference before the windows are cut.</summary>
public enum AlignmentMode
{
    /// <summary>No alignment: the windows are cut where they are on the frame.</summary>
    None,

    /// <summary>Two reference marks cut from the reference image are found again by template matching (shift, rotation, optional scale).</summary>
    Marks,

    /// <summary>No marks: the face around the windows is registered against the reference (coarse-to-fine correlation, then Lucas–Kanade).</summary>
    Registration,
}
