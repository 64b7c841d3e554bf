using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Tests.Imaging;

public class GrayImageTests
{
    [Fact]
    public void Constructor_ZeroSize_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(0, 10));
        Assert.Contains("0x10", e.Message);
    }

    [Fact]
    public void Row_WithStride_AddressesTheRightBytes()
    {
        var buf = new byte[3 * 8];
        for (int i = 0; i < buf.Length; i++) buf[i] = (byte)i;
        var img = new GrayImage(buf, 5, 3, 8);
        Assert.Equal(new byte[] { 16, 17, 18, 19, 20 }, img.Row(2).ToArray());
        Assert.Equal(9, img[1, 1]);
        Assert.False(img.IsContiguous);
    }

    [Fact]
    public void Constructor_BufferTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => new GrayImage(new byte[20], 5, 3, 8));
    }

    [Fact]
    public void Row_OutOfRange_Throws()
    {
        var img = new GrayImage(4, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => img.Row(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => img[4, 0]);
    }

    [Fact]
    public void Crop_CopiesRegion()
    {
        var img = new GrayImage(10, 10);
        for (int y = 0; y < 10; y++) for (int x = 0; x < 10; x++) img[x, y] = (byte)(10 * y + x);
        var c = img.Crop(new PixelRect(2, 3, 4, 2));
        Assert.Equal(new byte[] { 32, 33, 34, 35, 42, 43, 44, 45 }, c.Data.ToArray());
    }

    [Fact]
    public void CropTo_RegionOutside_ThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(10, 10).Crop(new PixelRect(5, 5, 6, 2)));
        Assert.Contains("5,5,6,2", e.Message);
    }

    [Fact]
    public void Resize_Smaller_ReusesBuffer()
    {
        var img = new GrayImage(100, 100);
        var before = img.Buffer;
        img.Resize(50, 60);
        Assert.Same(before, img.Buffer);
        Assert.Equal((50, 60, 50), (img.Width, img.Height, img.Stride));
    }

    [Fact]
    public void Invert_FlipsEveryPixel()
    {
        var img = new GrayImage(new byte[] { 0, 10, 255, 128 }, 2, 2, 2);
        img.Invert();
        Assert.Equal(new byte[] { 255, 245, 0, 127 }, img.Data.ToArray());
    }

    [Theory]
    [InlineData("1,2,3,4", true)]
    [InlineData(" 1, 2, 3, 4 ", true)]
    [InlineData("1,2,3", false)]
    [InlineData("-1,2,3,4", false)]
    [InlineData("1,2,0,4", false)]
    [InlineData("a,b,c,d", false)]
    public void PixelRectTryParse_Text_AcceptsOnlyFourNonNegativeIntegers(string text, bool ok)
    {
        Assert.Equal(ok, PixelRect.TryParse(text, out var r, out var error));
        if (ok) Assert.Equal(new PixelRect(1, 2, 3, 4), r);
        else Assert.NotEmpty(error);
    }
}
