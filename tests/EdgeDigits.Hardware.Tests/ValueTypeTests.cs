using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Tm16xx;
using EdgeDigits.Hardware.Xpt204x;
using SkiaSharp;

namespace EdgeDigits.Hardware.Tests;

public class ValueTypeTests
{
    [Theory]
    [InlineData(255, 0, 0, 0xF800)]
    [InlineData(0, 255, 0, 0x07E0)]
    [InlineData(0, 0, 255, 0x001F)]
    [InlineData(255, 255, 255, 0xFFFF)]
    [InlineData(8, 4, 8, 0x0821)]
    public void FromRgb_Channels_PackedAs565(byte r, byte g, byte b, int expected)
    {
        Assert.Equal(expected, Rgb565.FromRgb(r, g, b).Value);
        Assert.Equal(expected, Rgb565.FromColor(new SKColor(r, g, b)).Value);
    }

    [Fact]
    public void FromRgbaAndBgra8888_SamePixel_SameBigEndianBytes()
    {
        var rgba = new byte[] { 0x12, 0x34, 0x56, 0xFF, 0xFF, 0x00, 0x80, 0xFF };
        var bgra = new byte[] { 0x56, 0x34, 0x12, 0xFF, 0x80, 0x00, 0xFF, 0xFF };
        var a = new byte[4];
        var b = new byte[4];
        Rgb565.FromRgba8888(rgba, a);
        Rgb565.FromBgra8888(bgra, b);
        Assert.Equal(a, b);
        var v = Rgb565.FromRgb(0x12, 0x34, 0x56).Value;
        Assert.Equal(new[] { (byte)(v >> 8), (byte)v }, a[..2]);
        Assert.Throws<ArgumentException>(() => Rgb565.FromRgba8888(rgba, new byte[3]));
    }

    [Fact]
    public void Rgb565_ExpandsFullScaleTo255()
    {
        Assert.Equal(SKColors.White, Rgb565.White.ToColor());
        Assert.Equal(new SKColor(255, 0, 0), new Rgb565(0xF800).ToColor());
    }

    [Theory]
    [InlineData("12:34", 4, new byte[] { 0x06, 0xDB, 0x4F, 0x66 })]
    [InlineData("7", 4, new byte[] { 0, 0, 0, 0x07 })]
    [InlineData("-1.5", 4, new byte[] { 0, 0x40, 0x86, 0x6D })]
    [InlineData("Err", 4, new byte[] { 0, 0x79, 0x50, 0x50 })]
    public void EncodeText_Text_SegmentsRightAligned(string text, int digits, byte[] expected)
    {
        Assert.Equal(expected, SevenSegment.EncodeText(text, digits));
    }

    [Fact]
    public void Decode_EveryDigit_RoundTrips()
    {
        foreach (var c in "0123456789-")
            Assert.Equal(c, SevenSegment.Decode(SevenSegment.Encode(c)));
        Assert.Null(SevenSegment.Decode(0x7E));
    }

    [Fact]
    public void FromPoints_FiveNoisyPoints_LeastSquaresNearTrueMap()
    {
        // True map: x = -0.08·ry + 330, y = 0.067·rx − 20 (swapped, one axis inverted).
        var rnd = new Random(3);
        var pts = new List<CalibrationPoint>();
        foreach (var (dx, dy) in new[] { (30.0, 20.0), (290.0, 30.0), (160.0, 120.0), (40.0, 220.0), (280.0, 210.0) })
        {
            var ry = (330 - dx) / 0.08 + rnd.NextDouble() * 4 - 2;
            var rx = (dy + 20) / 0.067 + rnd.NextDouble() * 4 - 2;
            pts.Add(new CalibrationPoint(dx, dy, rx, ry));
        }
        var cal = TouchCalibration.FromPoints(pts, 320, 240);
        var (x, y) = cal.Apply((120 + 20) / 0.067, (330 - 200) / 0.08);
        Assert.Equal(200, x, 0);
        Assert.Equal(120, y, 0);
        Assert.Throws<ArgumentException>(() => TouchCalibration.FromPoints(pts.Take(2).ToList(), 320, 240));
    }
}
