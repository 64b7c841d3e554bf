using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Core.Tests.TestInfrastructure;

/// <summary>A meter face made of the real digit windows in samples/meter-windows (their names start with the wheel position).</summary>
internal static class MeterFaces
{
    /// <summary>Wheel positions of the eight windows on the face, most significant first.</summary>
    public static readonly string[] Labels = ["0.0", "1.0", "9.0", "4.0", "5.0", "7.0", "8.0", "2.5"];

    private static readonly Lazy<(GrayImage Frame, MeterLayout Layout)> Cached = new(() => MeterFace.Compose(Windows(Labels)));

    /// <summary>The face (a fresh copy) and its layout.</summary>
    public static (GrayImage Frame, MeterLayout Layout) Sample() => (Cached.Value.Frame.Clone(), Cached.Value.Layout);

    /// <summary>The sample windows of <paramref name="labels"/>.</summary>
    public static List<GrayImage> Windows(IEnumerable<string> labels) =>
        [.. labels.Select(l => GrayImageCodec.Decode(Directory.GetFiles(Path.Combine(RepoPaths.Samples, "meter-windows"), l + "_*.jpg").Single()))];

    /// <summary>The centre of the reference frame.</summary>
    public static (double X, double Y) Centre => ((MeterFace.Width - 1) / 2.0, (MeterFace.Height - 1) / 2.0);
}
