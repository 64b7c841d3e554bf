using EdgeDigits.Core.Imaging;
using SkiaSharp;

namespace EdgeDigits.Core.Tests.Imaging;

public class GrayImageCodecTests
{
    /// <summary>A left-dark / right-light colour picture encoded in <paramref name="format"/>.</summary>
    private static byte[] HalfAndHalf(int w, int h, SKEncodedImageFormat format)
    {
        using var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bmp))
        {
            canvas.Clear(new SKColor(240, 240, 240));
            using var paint = new SKPaint { Color = new SKColor(20, 20, 20) };
            canvas.DrawRect(0, 0, w / 2f, h, paint);
        }
        using var img = SKImage.FromBitmap(bmp);
        using var data = img.Encode(format, 95);
        return data.ToArray();
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void Decode_ColourImage_ReturnsGrayPixels(SKEncodedImageFormat format)
    {
        var gray = GrayImageCodec.Decode(HalfAndHalf(64, 32, format), "pic");
        Assert.Equal((64, 32), (gray.Width, gray.Height));
        Assert.InRange(gray[8, 16], 10, 30);
        Assert.InRange(gray[56, 16], 230, 250);
    }

    [Fact]
    public void Decode_Bmp_ReturnsGrayPixels()
    {
        // Skia does not encode BMP, so write a 24-bit BMP by hand: 2x2, bottom-up, BGR rows padded to 4 bytes.
        var bmp = new List<byte>();
        void U32(int v) => bmp.AddRange(BitConverter.GetBytes(v));
        void U16(short v) => bmp.AddRange(BitConverter.GetBytes(v));
        bmp.AddRange("BM"u8.ToArray()); U32(54 + 16); U32(0); U32(54);
        U32(40); U32(2); U32(2); U16(1); U16(24); U32(0); U32(16); U32(2835); U32(2835); U32(0); U32(0);
        bmp.AddRange(new byte[] { 255, 255, 255, 0, 0, 0, 0, 0 });       // bottom row: white, black
        bmp.AddRange(new byte[] { 0, 0, 0, 128, 128, 128, 0, 0 });       // top row: black, gray
        var gray = GrayImageCodec.Decode(bmp.ToArray(), "x.bmp");
        Assert.Equal(0, gray[0, 0]);
        Assert.Equal(128, gray[1, 0]);
        Assert.Equal(255, gray[0, 1]);
        Assert.Equal(0, gray[1, 1]);
    }

    [Fact]
    public void EncodePng_ThenDecode_RoundTripsExactly()
    {
        var img = new GrayImage(37, 11);
        for (int y = 0; y < 11; y++)
            for (int x = 0; x < 37; x++) img[x, y] = (byte)(x * 7 + y * 13);
        var back = GrayImageCodec.Decode(GrayImageCodec.EncodePng(img), "rt");
        Assert.Equal(img.Data.ToArray(), back.Data.ToArray());
    }

    [Fact]
    public void SavePng_WritesFileAndNoTempLeft()
    {
        var dir = EdgeDigits.Tests.Shared.RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "a.png");
        GrayImageCodec.SavePng(new GrayImage(5, 5), path);
        Assert.Equal(new[] { "a.png" }, Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Equal(5, GrayImageCodec.Decode(path).Width);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Decode_TruncatedPng_ThrowsNamingTheFile()
    {
        var png = HalfAndHalf(200, 100, SKEncodedImageFormat.Png);
        var e = Assert.Throws<ImageFormatException>(() => GrayImageCodec.Decode(png.AsSpan(0, png.Length / 2), "cut.png"));
        Assert.StartsWith("cut.png: ", e.Message);
    }

    [Fact]
    public void Decode_TruncatedJpeg_Throws()
    {
        var jpg = HalfAndHalf(200, 100, SKEncodedImageFormat.Jpeg);
        Assert.Throws<ImageFormatException>(() => GrayImageCodec.Decode(jpg.AsSpan(0, jpg.Length / 2), "cut.jpg"));
    }

    [Fact]
    public void Decode_Garbage_ThrowsNotAnImage()
    {
        var e = Assert.Throws<ImageFormatException>(() => GrayImageCodec.Decode("hello, not an image"u8, "x.png"));
        Assert.Contains("x.png", e.Message);
    }

    [Fact]
    public void Decode_EmptyFile_Throws()
    {
        var e = Assert.Throws<ImageFormatException>(() => GrayImageCodec.Decode(ReadOnlySpan<byte>.Empty, "empty.png"));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Decode_MissingFile_ThrowsImageFormatException()
    {
        var e = Assert.Throws<ImageFormatException>(() => GrayImageCodec.Decode("/nonexistent/nope.png"));
        Assert.Contains("/nonexistent/nope.png", e.Message);
    }

    [Fact]
    public void Decode_OverPixelBudget_ThrowsBeforeDecoding()
    {
        var png = HalfAndHalf(400, 300, SKEncodedImageFormat.Png);
        var e = Assert.Throws<ImageFormatException>(() => GrayImageCodec.Decode(png, "big.png", maxPixels: 100_000));
        Assert.Contains("pixel budget", e.Message);
        Assert.Contains("400x300", e.Message);
    }

    [Fact]
    public void Decode_HugeDeclaredPng_RefusedByDefaultBudget()
    {
        // A PNG header claiming 10000x10000 (100 MP) with no data: must be refused, not allocated.
        var png = HalfAndHalf(8, 8, SKEncodedImageFormat.Png);
        WriteBigEndian(png, 16, 10000);
        WriteBigEndian(png, 20, 10000);
        FixIhdrCrc(png);
        var e = Assert.Throws<ImageFormatException>(() => GrayImageCodec.Decode(png, "huge.png"));
        Assert.Contains("pixel budget", e.Message);
    }

    [Theory]
    [InlineData(1, 64, 32, true)]    // as stored: dark left
    [InlineData(6, 32, 64, true)]    // turn 90 clockwise: stored left goes to the top
    [InlineData(8, 32, 64, false)]   // turn 90 counter-clockwise: stored left goes to the bottom
    [InlineData(3, 64, 32, false)]   // 180: dark moves right
    public void Decode_JpegWithExifOrientation_AppliesIt(int orientation, int w, int h, bool darkFirst)
    {
        var jpg = WithExifOrientation(HalfAndHalf(64, 32, SKEncodedImageFormat.Jpeg), orientation);
        var gray = GrayImageCodec.Decode(jpg, "exif.jpg");
        Assert.Equal((w, h), (gray.Width, gray.Height));
        // Probe the first and last quarter along the long axis.
        byte first = w > h ? gray[w / 8, h / 2] : gray[w / 2, h / 8];
        byte last = w > h ? gray[w - w / 8, h / 2] : gray[w / 2, h - h / 8];
        Assert.Equal(darkFirst, first < last);
    }

    [Theory]
    [InlineData(ImageOrientation.TopRight, new byte[] { 2, 1, 4, 3, 6, 5 }, 2)]
    [InlineData(ImageOrientation.BottomLeft, new byte[] { 5, 6, 3, 4, 1, 2 }, 2)]
    [InlineData(ImageOrientation.LeftTop, new byte[] { 1, 3, 5, 2, 4, 6 }, 3)]
    [InlineData(ImageOrientation.RightTop, new byte[] { 5, 3, 1, 6, 4, 2 }, 3)]
    [InlineData(ImageOrientation.RightBottom, new byte[] { 6, 4, 2, 5, 3, 1 }, 3)]
    [InlineData(ImageOrientation.LeftBottom, new byte[] { 2, 4, 6, 1, 3, 5 }, 3)]
    public void Orient_SmallImage_MapsPixelsLikeExif(ImageOrientation o, byte[] expected, int expectedWidth)
    {
        // Stored 2x3: rows (1 2) (3 4) (5 6).
        var img = new GrayImage(new byte[] { 1, 2, 3, 4, 5, 6 }, 2, 3, 2);
        var r = GrayImageCodec.Orient(img, o);
        Assert.Equal(expectedWidth, r.Width);
        Assert.Equal(expected, r.Data.ToArray());
    }

    private static void WriteBigEndian(byte[] b, int at, int v)
    {
        b[at] = (byte)(v >> 24); b[at + 1] = (byte)(v >> 16); b[at + 2] = (byte)(v >> 8); b[at + 3] = (byte)v;
    }

    private static void FixIhdrCrc(byte[] png)
    {
        // IHDR chunk: length at 8, type at 12, data 16..29, CRC at 29 over type+data.
        uint crc = Crc32(png.AsSpan(12, 17));
        WriteBigEndian(png, 29, (int)crc);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFF;
    }

    /// <summary>Inserts an APP1 Exif segment with one Orientation (0x0112) entry right after the JPEG SOI.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        var tiff = new byte[]
        {
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,   // big-endian TIFF header, IFD at 8
            0, 1,                                       // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0,
            0, 0, 0, 0,                                 // no next IFD
        };
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        int len = payload.Length + 2;
        var app1 = new byte[] { 0xFF, 0xE1, (byte)(len >> 8), (byte)len }.Concat(payload);
        return jpeg.Take(2).Concat(app1).Concat(jpeg.Skip(2)).ToArray();
    }
}
