namespace EdgeDigits.Core.Segmentation;

/// <summary>
/// A group that <see cref="DigitSegmenter"/> cut into layers one above the other at empty rows (a digit with a stamp or a
/// tick above or below it, or a digit with a detached piece): the layers are regions of their own, and the group whole is
/// kept so a recognizer can weigh one against the other.
/// </summary>
/// <param name="Whole">The group as one region (its group id covers the ink of every layer).</param>
/// <param name="FirstGroup">Group id of the top layer; the layers have the consecutive ids below it.</param>
/// <param name="GroupCount">Number of layers (2 or more).</param>
public readonly record struct LayerAlternative(DigitRegion Whole, int FirstGroup, int GroupCount)
{
    /// <summary>Whether <paramref name="group"/> is one of the layers.</summary>
    public bool HasLayer(int group) => group >= FirstGroup && group < FirstGroup + GroupCount;
}
