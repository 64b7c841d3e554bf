using EdgeDigits.Hardware.Camera;
using SkiaSharp;

namespace EdgeDigits.Hardware.Tests.Camera;

public class MjpegFrameParserTests
{
    internal static byte[] Jpeg(int seed, int w = 64, int h = 48)
    {
        using var bmp = new SKBitmap(w, h);
        var rnd = new Random(seed);
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++) bmp.SetPixel(x, y, new SKColor((byte)rnd.Next(256), (byte)(x * 4), (byte)(y * 5)));
        using var data = bmp.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }

    // A JPEG whose APP1 segment carries a complete thumbnail JPEG (SOI..EOI), like camera EXIF.
    private static byte[] WithThumbnail(byte[] jpeg, byte[] thumbnail)
    {
        var app1 = new List<byte> { 0xFF, 0xE1 };
        var len = thumbnail.Length + 2 + 6;
        app1.Add((byte)(len >> 8));
        app1.Add((byte)len);
        app1.AddRange("Exif\0\0"u8.ToArray());
        app1.AddRange(thumbnail);
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    [Fact]
    public void Append_FramesSplitAtEveryBoundaryWithGarbage_ReassemblesExactFrames()
    {
        var frames = new[] { Jpeg(1), Jpeg(2), WithThumbnail(Jpeg(3), Jpeg(4, 16, 12)) };
        var stream = new List<byte>();
        stream.AddRange("garbage\xFF\xD8 not a frame"u8.ToArray());
        stream.AddRange(frames[0]);
        stream.AddRange(new byte[] { 0xFF, 0xFF, 0x00, 0xD9, 1, 2, 3 });
        stream.AddRange(frames[1]);
        stream.AddRange(frames[2]);
        stream.AddRange(new byte[] { 0xFF, 0xD8 }); // a frame that never completes
        var bytes = stream.ToArray();

        foreach (var chunk in new[] { 1, 2, 3, 7, 64, 4096, bytes.Length })
        {
            var parser = new MjpegFrameParser();
            var found = new List<byte[]>();
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                parser.Append(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
                while (parser.TryTake(out var f)) found.Add(f);
            }
            Assert.Equal(3, found.Count);
            for (var i = 0; i < 3; i++) Assert.Equal(frames[i], found[i]);
            using var decoded = SKBitmap.Decode(found[2]);
            Assert.Equal(64, decoded.Width);
        }
    }

    [Fact]
    public void Append_FrameCutByNewSoi_DropsCutFrameKeepsNext()
    {
        var a = Jpeg(5);
        var b = Jpeg(6);
        var parser = new MjpegFrameParser();
        parser.Append(a.AsSpan(0, a.Length / 2));
        parser.Append(b);
        Assert.True(parser.TryTake(out var f));
        Assert.Equal(b, f);
        Assert.False(parser.TryTake(out _));
        Assert.Equal(1, parser.DroppedFrames);
    }

    [Fact]
    public void Append_FrameOverLimit_IsDroppedAndStreamResyncs()
    {
        var big = Jpeg(7, 400, 300);
        var small = Jpeg(8, 16, 16);
        Assert.True(big.Length > 4096);
        var parser = new MjpegFrameParser(maxFrameBytes: 4096);
        parser.Append(big);
        parser.Append(small);
        Assert.True(parser.TryTake(out var f));
        Assert.Equal(small, f);
        Assert.Equal(1, parser.DroppedFrames);
    }
}
