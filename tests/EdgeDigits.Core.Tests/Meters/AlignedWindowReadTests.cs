using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Meters.Alignment;
using EdgeDigits.Core.Models;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;

namespace EdgeDigits.Core.Tests.Meters;

/// <summary>The shipped meter wheel model reading a face of real windows after the camera moved: aligned, it reads what it reads on the unmoved face.</summary>
public sealed class AlignedWindowReadTests
{
    [Fact]
    public void Read_MovedFrameAligned_SameWheelsAsTheUnmovedFrame_NotWithoutAlignment()
    {
        var (face, layout) = MeterFaces.Sample();
        var frame = MeterFace.Move(face, FrameTransform.FromShiftRotation(-11, 7, -2, 1, MeterFaces.Centre.X, MeterFaces.Centre.Y), gain: 0.9, noise: 3);
        using var reader = new MeterWindowReader(ModelLocator.Resolve(null, ModelLocator.MeterNames), maxWindows: layout.Windows.Count);
        var windows = layout.Windows.ToArray();
        var still = new RollingDigit[windows.Length];
        var aligned = new RollingDigit[windows.Length];
        var unaligned = new RollingDigit[windows.Length];

        reader.Read(face, windows, still);
        var result = layout.CreateAligner(face)!.Align(frame);
        Assert.True(result.Aligned, result.Reason);
        reader.Read(frame, windows, result.Transform, aligned);
        reader.Read(frame, windows, unaligned);

        Assert.Equal("01945782", new string([.. still.Take(7).Select(d => d.Text)]) + still[7].Lower);
        for (int i = 0; i < windows.Length; i++) Assert.InRange(aligned[i].Value - still[i].Value, -0.3, 0.3);
        Assert.NotEqual(still.Select(d => d.Text), unaligned.Select(d => d.Text));
    }

    [Fact]
    public void Read_WindowMovedOffTheFrame_ThrowsNamingTheWindow()
    {
        var (face, layout) = MeterFaces.Sample();
        using var reader = new MeterWindowReader(ModelLocator.Resolve(null, ModelLocator.MeterNames), maxWindows: 1);
        var e = Assert.Throws<ArgumentException>(() => reader.Read(face, [layout.Windows[0]], new FrameTransform(1, 0, -200, 0), new RollingDigit[1]));
        Assert.StartsWith($"window {layout.Windows[0]}, moved by the alignment (shift (-200.0, 0.0) px, 0.00°, scale 1.000), is not inside the 640x480 frame", e.Message);
    }
}
