namespace EdgeDigits.Core.Meters;

/// <summary>
/// File names of a replayed meter sequence, shared by its writer (<c>edgedigits samples --meter-sequence</c>) and its replay
/// (<c>EdgeDigits.Device bench --meter-sequence</c>).
/// </summary>
public static class MeterSequenceFiles
{
    /// <summary>The file of capture <paramref name="index"/> (1 …) of the burst whose first frame is <paramref name="frame"/>: <c>frame-0007.jpg</c> → <c>frame-0007-1.jpg</c>.</summary>
    public static string BurstFrameName(string frame, int index) => $"{Path.GetFileNameWithoutExtension(frame)}-{index}{Path.GetExtension(frame)}";
}
