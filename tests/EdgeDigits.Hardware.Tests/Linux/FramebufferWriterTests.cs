using EdgeDigits.Hardware.Linux;
using EdgeDigits.Tests.Shared;
using SkiaSharp;

namespace EdgeDigits.Hardware.Tests.Linux;

public class FramebufferWriterTests
{
    [Fact]
    public void Draw_Rgb565Region_WritesLittleEndianPixelsAtRowOffsetsOnly()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "fb1");
        File.WriteAllBytes(path, new byte[320 * 240 * 2]);
        using var bmp = new SKBitmap(40, 30);
        bmp.Erase(new SKColor(255, 0, 0));
        using (var fb = new FramebufferWriter(path, 320, 240, FramebufferFormat.Rgb565))
            fb.Draw(bmp, new SKRectI(0, 0, 10, 5), 100, 50);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(320 * 240 * 2, bytes.Length);
        int Px(int x, int y) => bytes[(y * 320 + x) * 2] | bytes[(y * 320 + x) * 2 + 1] << 8;
        Assert.Equal(0xF800, Px(100, 50));
        Assert.Equal(0xF800, Px(109, 54));
        Assert.Equal(0, Px(110, 54));
        Assert.Equal(0, Px(100, 55));
        Assert.Equal(10 * 5, Enumerable.Range(0, 320 * 240).Count(i => Px(i % 320, i / 320) != 0));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Draw_Xrgb8888WithStride_WritesBgrxBytes()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "fb0");
        using var bmp = new SKBitmap(2, 2);
        bmp.Erase(new SKColor(0x11, 0x22, 0x33));
        using (var fb = new FramebufferWriter(path, 8, 4, FramebufferFormat.Xrgb8888, stride: 40))
            fb.Draw(bmp, 1, 2);
        var bytes = File.ReadAllBytes(path);
        var o = 2 * 40 + 1 * 4;
        Assert.Equal(new byte[] { 0x33, 0x22, 0x11, 0x00 }, bytes[o..(o + 4)]);
        Assert.Equal(new byte[] { 0x33, 0x22, 0x11, 0x00 }, bytes[(o + 40 + 4)..(o + 40 + 8)]);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Draw_OutsideBuffer_ThrowsNamingPath()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "fb");
        using var bmp = new SKBitmap(20, 20);
        using var fb = new FramebufferWriter(path, 16, 16, FramebufferFormat.Rgb565);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => fb.Draw(bmp));
        Assert.Contains($"framebuffer {path}: 20x20 at (0,0) is outside 16x16", ex.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void OpenDevice_MissingFramebuffer_ThrowsNamingDevice()
    {
        var ex = Assert.Throws<HardwareUnavailableException>(() => FramebufferWriter.OpenDevice("/dev/fb9"));
        Assert.StartsWith("framebuffer /dev/fb9: no such framebuffer device", ex.Message);
    }
}
