using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Device.Configuration;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>The shipped real-window meter frames (samples/meter-frames) and their layout, as meter-mode settings.</summary>
internal static class SampleMeter
{
    public static string Dir => Path.Combine(RepoPaths.Samples, "meter-frames");

    public static string Reference => Path.Combine(Dir, "frame-0.jpg");

    public static MeterLayout Layout => MeterLayout.Load(Path.Combine(Dir, "meter.json"));

    public static List<RectOptions> Windows => [.. Layout.Windows.Select(Rect)];

    /// <summary>The layout's alignment with <paramref name="mode"/> and the reference frame.</summary>
    public static MeterAlignmentOptions Alignment(string mode = "Marks") => new()
    {
        Mode = mode, Reference = Reference, Marks = [.. Layout.Marks.Select(Rect)],
        SearchRadius = Layout.Options.SearchRadius, MaxRotationDegrees = Layout.Options.MaxRotationDegrees, MinScore = Layout.Options.MinScore,
    };

    /// <summary>The reference frame as the camera sees it after moving (<paramref name="dx"/>, <paramref name="dy"/>) px and <paramref name="degrees"/> about the centre, JPEG.</summary>
    public static byte[] Moved(double dx, double dy, double degrees, double gain = 1, double noise = 2)
    {
        var face = GrayImageCodec.Decode(Reference);
        var t = FrameTransform.FromShiftRotation(dx, dy, degrees, 1, (face.Width - 1) / 2.0, (face.Height - 1) / 2.0);
        return GrayImageCodec.EncodeJpeg(MeterFace.Move(face, t, gain, noise, seed: 7), 90);
    }

    /// <summary>The reference frame with <paramref name="box"/> painted over in the face's grey (a mark covered by a sticker, dirt, a hand).</summary>
    public static byte[] Covered(PixelRect box)
    {
        var face = GrayImageCodec.Decode(Reference);
        for (var y = box.Y; y < box.Bottom; y++)
            for (var x = box.X; x < box.Right; x++) face[x, y] = MeterFace.FaceGrey;
        return GrayImageCodec.EncodeJpeg(face, 90);
    }

    private static RectOptions Rect(PixelRect r) => new() { X = r.X, Y = r.Y, Width = r.Width, Height = r.Height };
}
