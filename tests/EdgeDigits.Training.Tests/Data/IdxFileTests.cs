using System.IO.Compression;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Tests.Data;

public sealed class IdxFileTests
{
    private static byte[] Header(byte type, params int[] dims)
    {
        var h = new byte[4 + 4 * dims.Length];
        h[2] = type;
        h[3] = (byte)dims.Length;
        for (var i = 0; i < dims.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(h.AsSpan(4 + 4 * i), dims[i]);
        return h;
    }

    private static string WriteTemp(byte[] bytes, string name = "file-idx3-ubyte")
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Read_ValidRawFile_ReturnsDimensionsAndData()
    {
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)i).ToArray();
        var path = WriteTemp([.. Header(0x08, 2, 3, 4), .. data]);
        var idx = IdxFile.Read(path);
        Assert.Equal([2, 3, 4], idx.Dimensions);
        Assert.Equal(data, idx.Data);
    }

    [Fact]
    public void Read_GzipFile_DecompressesByMagicNotExtension()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "labels");
        IdxFile.Write(path, [5], [1, 2, 3, 4, 9], gzip: true);
        Assert.Equal(0x1F, File.ReadAllBytes(path)[0]);
        var idx = IdxFile.Read(path, expectedRank: 1);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 9 }, idx.Data);
    }

    [Fact]
    public void Read_BadMagic_ThrowsNamingFileAndMagic()
    {
        var path = WriteTemp([1, 2, 8, 1, 0, 0, 0, 1, 7]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("magic", ex.Message);
    }

    [Fact]
    public void Read_FloatElementType_ThrowsUnsupportedType()
    {
        var path = WriteTemp([.. Header(0x0D, 1), 0, 0, 0, 0]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("0x0D", ex.Message);
    }

    [Fact]
    public void Read_TruncatedData_ThrowsWithExpectedAndFoundLengths()
    {
        var path = WriteTemp([.. Header(0x08, 10, 28, 28), .. new byte[7839]]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("7840", ex.Message);
        Assert.Contains("7839", ex.Message);
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        var full = Header(0x08, 10, 28, 28);
        var path = WriteTemp(full[..9]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("truncated IDX header", ex.Message);
    }

    [Fact]
    public void Read_TrailingBytes_Throws()
    {
        var path = WriteTemp([.. Header(0x08, 3), 1, 2, 3, 4]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains("trailing", ex.Message);
    }

    [Fact]
    public void Read_WrongRank_Throws()
    {
        var path = WriteTemp([.. Header(0x08, 3), 1, 2, 3]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path, expectedRank: 3));
        Assert.Contains("expected 3", ex.Message);
    }

    [Fact]
    public void Read_TruncatedGzip_ThrowsNamingFile()
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
            gz.Write([.. Header(0x08, 1000), .. new byte[1000].Select((_, i) => (byte)(i * 7)).ToArray()]);
        var bytes = ms.ToArray();
        var path = WriteTemp(bytes[..(bytes.Length / 2)], "x.gz");
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Read_CorruptGzip_ThrowsNamingFile()
    {
        var path = WriteTemp([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0x13, 0x37], "y.gz");
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.Read(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "nope");
        var ex = Assert.Throws<FileNotFoundException>(() => IdxFile.Read(path));
        Assert.Contains(path, ex.Message);
    }
}
