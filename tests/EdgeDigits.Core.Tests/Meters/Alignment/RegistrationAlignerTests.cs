using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Meters.Alignment;

/// <summary>The marker-free aligner's rules: a frame that is not this meter, a face half out of view or covered, and bad set-ups are refused with the reason.</summary>
public sealed class RegistrationAlignerTests
{
    [Fact]
    public void Align_DigitsChangedBetweenFrames_StillAligned()
    {
        // The windows show other digits than on the reference: the band leaves window interiors out.
        var (face, layout) = MeterFaces.Sample();
        var (other, _) = MeterFace.Compose(MeterFaces.Windows(["9.0", "8.0", "7.0", "6.4", "5.0", "4.0", "1.0", "0.0"]));
        var truth = FrameTransform.FromShiftRotation(6, -5, -1.2, 1, MeterFaces.Centre.X, MeterFaces.Centre.Y);
        var result = new RegistrationAligner(face, layout.Windows).Align(MeterFace.Move(other, truth, noise: 3));
        Assert.True(result.Aligned, result.Reason);
        Assert.InRange(result.Transform.AngleDegrees, -1.7, -0.7);
        Assert.InRange(result.Transform.ShiftAt(320, 232).X - truth.ShiftAt(320, 232).X, -1, 1);
    }

    [Fact]
    public void Align_AnotherScene_RefusedWithTheScore()
    {
        var (face, layout) = MeterFaces.Sample();
        var scene = new GrayImage(face.Width, face.Height);
        var rng = new Random(3);
        for (int y = 0; y < scene.Height; y++)
            for (int x = 0; x < scene.Width; x++) scene[x, y] = (byte)(((x / 37 + y / 23) % 3) * 60 + rng.Next(20));
        var result = new RegistrationAligner(face, layout.Windows).Align(scene);
        Assert.False(result.Aligned);
        Assert.Matches(@"^frame does not match the reference: score -?0\.\d\d < 0\.60$", result.Reason);
    }

    [Fact]
    public void Align_CounterPlateCovered_Refused()
    {
        var (face, layout) = MeterFaces.Sample();
        var frame = face.Clone();
        for (int y = 150; y < 330; y++)
            for (int x = 0; x < frame.Width; x++) frame[x, y] = 128;
        var result = new RegistrationAligner(face, layout.Windows).Align(frame);
        Assert.False(result.Aligned);
        Assert.StartsWith("frame does not match the reference: score", result.Reason);
    }

    [Fact]
    public void Align_TurnedMoreThanAllowed_RefusedWithTheAngle()
    {
        var (face, layout) = MeterFaces.Sample();
        var frame = MeterFace.Move(face, FrameTransform.FromShiftRotation(0, 0, 3, 1, MeterFaces.Centre.X, MeterFaces.Centre.Y));
        var result = new RegistrationAligner(face, layout.Windows, new AlignmentOptions { MaxRotationDegrees = 2 }).Align(frame);
        Assert.Equal("rotation 3.0° exceeds the 2.0° allowed", result.Reason);
    }

    [Fact]
    public void Align_FrameOfAnotherSize_Refused()
    {
        var (face, layout) = MeterFaces.Sample();
        var result = new RegistrationAligner(face, layout.Windows).Align(new GrayImage(640, 360));
        Assert.Equal("frame is 640x360, the reference 640x480", result.Reason);
    }

    [Fact]
    public void Constructor_FlatReference_ThrowsNothingToRegisterOn()
    {
        var flat = new GrayImage(640, 480);
        flat.Fill(90);
        var e = Assert.Throws<ArgumentException>(() => new RegistrationAligner(flat, [new PixelRect(100, 100, 40, 64)]));
        Assert.StartsWith("the face around the windows (68,68,104,128) has 0 pixels with an edge; registration needs 40", e.Message);
    }

    [Fact]
    public void Constructor_WindowOutsideTheReference_Throws()
    {
        var (face, _) = MeterFaces.Sample();
        var e = Assert.Throws<ArgumentException>(() => new RegistrationAligner(face, [new PixelRect(620, 100, 40, 64)]));
        Assert.StartsWith("window 1 (620,100,40,64) is outside the 640x480 reference", e.Message);
    }

    [Fact]
    public void Band_WindowsPlusHalfAWindowHeight_ClippedToTheImage()
    {
        Assert.Equal(new PixelRect(68, 168, 504, 128), RegistrationAligner.BandAround([new PixelRect(100, 200, 40, 64), new PixelRect(500, 200, 40, 64)], 640, 480));
        Assert.Equal(new PixelRect(0, 0, 72, 96), RegistrationAligner.BandAround([new PixelRect(0, 0, 40, 64)], 640, 480));
        Assert.Equal(new PixelRect(0, 0, 640, 480), RegistrationAligner.BandAround([], 640, 480));
    }
}
