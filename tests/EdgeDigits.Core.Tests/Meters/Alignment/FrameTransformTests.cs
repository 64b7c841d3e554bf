using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;

namespace EdgeDigits.Core.Tests.Meters.Alignment;

public sealed class FrameTransformTests
{
    private static readonly FrameTransform Moved = FrameTransform.FromShiftRotation(5.5, -3.25, 2.5, 1.02, 320, 240);

    [Fact]
    public void FromShiftRotation_PivotMovesByTheShift_AngleAndScaleReported()
    {
        var p = Moved.Map(320, 240);
        Assert.Equal(325.5, p.X, 9);
        Assert.Equal(236.75, p.Y, 9);
        Assert.Equal(2.5, Moved.AngleDegrees, 9);
        Assert.Equal(1.02, Moved.Scale, 9);
        // Clockwise on screen: a point right of the pivot moves down.
        Assert.True(Moved.Map(420, 240).Y > p.Y);
    }

    [Fact]
    public void Inverse_AfterTheTransform_IsIdentity()
    {
        Assert.True(Moved.Inverse().After(Moved).IsIdentity);
        Assert.True(Moved.After(Moved.Inverse()).IsIdentity);
        Assert.False(Moved.IsIdentity);
    }

    [Fact]
    public void AtScale_HalfThenDouble_ReturnsTheTransform_AndMapsPixelCentres()
    {
        var half = Moved.AtScale(2);
        var back = half.AtScale(0.5);
        Assert.Equal(Moved.Tx, back.Tx, 9);
        Assert.Equal(Moved.Ty, back.Ty, 9);
        // A half-size pixel p covers full pixels 2p and 2p+1, its centre at 2p + 0.5.
        var full = Moved.Map(2 * 10 + 0.5, 2 * 20 + 0.5);
        var level = half.Map(10, 20);
        Assert.Equal((full.X - 0.5) / 2, level.X, 9);
        Assert.Equal((full.Y - 0.5) / 2, level.Y, 9);
    }

    [Fact]
    public void Warp_IdentityAndWholePixelShift_CopyPixelsExactly()
    {
        var img = new GrayImage(50, 40);
        for (int y = 0; y < 40; y++)
            for (int x = 0; x < 50; x++) img[x, y] = (byte)(x * 5 + y * 3);
        var dst = new GrayImage(1, 1);
        FrameTransform.Identity.Warp(img, new PixelRect(3, 4, 20, 10), dst);
        Assert.Equal(img.Crop(new PixelRect(3, 4, 20, 10)).Data.ToArray(), dst.Data.ToArray());
        new FrameTransform(1, 0, 7, -2).Warp(img, new PixelRect(3, 4, 20, 10), dst);
        Assert.Equal(img.Crop(new PixelRect(10, 2, 20, 10)).Data.ToArray(), dst.Data.ToArray());
    }

    [Fact]
    public void Warp_OffTheFrame_Fills()
    {
        var img = new GrayImage(10, 10);
        img.Fill(200);
        var dst = new GrayImage(1, 1);
        new FrameTransform(1, 0, 8, 0).Warp(img, new PixelRect(0, 0, 4, 1), dst, fill: 7);
        Assert.Equal([200, 200, 7, 7], dst.Data.ToArray());
    }

    [Fact]
    public void KeepsInside_CornersOnTheFrame()
    {
        Assert.True(new FrameTransform(1, 0, 5, 5).KeepsInside(new PixelRect(0, 0, 35, 35), 40, 40));
        Assert.False(new FrameTransform(1, 0, 6, 5).KeepsInside(new PixelRect(0, 0, 35, 35), 40, 40));
        Assert.False(new FrameTransform(1, 0, -1, 0).KeepsInside(new PixelRect(0, 0, 10, 10), 40, 40));
    }
}
