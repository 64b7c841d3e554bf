using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Meters.Alignment;

/// <summary>Both aligners on shifted and rotated copies of a meter face made of real digit windows: the transform comes back within a pixel and half a degree.</summary>
public sealed class AlignerAccuracyTests
{
    public static TheoryData<string, double, double, double> Moves() => new()
    {
        { "Marks", 0, 0, 0 },
        { "Marks", 7, -4, 0 },
        { "Marks", -12.5, 9.3, 1.5 },
        { "Marks", 18, 15, -3 },
        { "Marks", -20, -6, 4.5 },
        { "Registration", 0, 0, 0 },
        { "Registration", 7, -4, 0 },
        { "Registration", -12.5, 9.3, 1.5 },
        { "Registration", 18, 15, -3 },
        { "Registration", -20, -6, 4.5 },
    };

    internal static IFrameAligner Aligner(string mode, GrayImage reference, MeterLayout layout, AlignmentOptions? options = null) =>
        IFrameAligner.Create(Enum.Parse<AlignmentMode>(mode), reference, layout.Marks, layout.Windows, options ?? new AlignmentOptions())!;

    [Theory]
    [MemberData(nameof(Moves))]
    public void Align_MovedNoisyFrame_RecoversTransformWithinPixelAndHalfDegree(string mode, double dx, double dy, double degrees)
    {
        var (face, layout) = MeterFaces.Sample();
        var truth = FrameTransform.FromShiftRotation(dx, dy, degrees, 1, MeterFaces.Centre.X, MeterFaces.Centre.Y);
        var frame = MeterFace.Move(face, truth, gain: 0.85, noise: 4, seed: 7);

        // Corner marks of a face turned 4.5° about its centre move ~24 px more than the centre does.
        var result = Aligner(mode, face, layout, new AlignmentOptions { SearchRadius = 40 }).Align(frame);

        Assert.True(result.Aligned, result.Reason);
        Assert.InRange(result.Score, 0.8, 1.0);
        Assert.InRange(result.Transform.AngleDegrees - degrees, -0.5, 0.5);
        foreach (var w in layout.Windows)
        {
            // Every window corner lands within a pixel of where the camera moved it.
            foreach (var (x, y) in new[] { (w.X, w.Y), (w.Right, w.Y), (w.X, w.Bottom), (w.Right, w.Bottom) })
            {
                var got = result.Transform.Map(x, y);
                var want = truth.Map(x, y);
                Assert.True(Math.Abs(got.X - want.X) < 1 && Math.Abs(got.Y - want.Y) < 1, $"corner ({x},{y}): found ({got.X:0.00},{got.Y:0.00}), moved to ({want.X:0.00},{want.Y:0.00})");
            }
        }
    }

    [Theory]
    [InlineData("Marks")]
    [InlineData("Registration")]
    public void Align_MovedFrame_WindowsCutAfterAlignmentMatchTheUnmovedFrame(string mode)
    {
        var (face, layout) = MeterFaces.Sample();
        var truth = FrameTransform.FromShiftRotation(-9.4, 6.2, 2.2, 1, MeterFaces.Centre.X, MeterFaces.Centre.Y);
        var frame = MeterFace.Move(face, truth);
        var result = Aligner(mode, face, layout).Align(frame);
        Assert.True(result.Aligned, result.Reason);

        var cut = new GrayImage(1, 1);
        foreach (var w in layout.Windows)
        {
            var still = face.Crop(w);
            result.Transform.Warp(frame, w, cut);
            var unaligned = frame.Crop(w);
            double aligned = MeanAbsoluteDifference(still, cut), notAligned = MeanAbsoluteDifference(still, unaligned);
            // Two bilinear resamplings (the camera's move, then the cut) soften edges a little; a cut without alignment lands on the wrong pixels.
            Assert.True(aligned < 4, $"window {w}: the aligned cut differs by {aligned:0.0} grey levels on average");
            Assert.True(notAligned > 4 * aligned, $"window {w}: unaligned {notAligned:0.0}, aligned {aligned:0.0}");
        }
    }

    private static double MeanAbsoluteDifference(GrayImage a, GrayImage b)
    {
        Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
        double sum = 0;
        for (int y = 0; y < a.Height; y++)
            for (int x = 0; x < a.Width; x++) sum += Math.Abs(a[x, y] - b[x, y]);
        return sum / (a.Width * a.Height);
    }
}
