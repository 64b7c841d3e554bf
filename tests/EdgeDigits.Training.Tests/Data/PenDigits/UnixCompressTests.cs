using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Data.PenDigits;

public sealed class UnixCompressTests
{
    [Fact]
    public void Decompress_FileMadeByCompress_EqualsOriginalText()
    {
        var expected = File.ReadAllBytes(PenFixtures.PlainText);
        var actual = UnixCompress.Decompress(File.ReadAllBytes(PenFixtures.Compressed));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Decompress_TenBitCodesTableFull_EqualsOriginalText()
    {
        // compress -b 10: the table fills at 1,024 entries and the rest of the file reuses it.
        var z = File.ReadAllBytes(PenFixtures.Compressed10Bit);
        Assert.Equal(0x80 | 10, z[2]);
        Assert.Equal(File.ReadAllBytes(PenFixtures.PlainText), UnixCompress.Decompress(z));
    }

    [Fact]
    public void Decompress_ClearCode_SkipsRestOfGroupAndRestartsTable()
    {
        // compress(1) pads a cleared group of eight codes: A B CLEAR + five fillers, then C D.
        var data = NineBitStream(65, 66, 256, 0, 0, 0, 0, 0, 67, 68);
        Assert.Equal("ABCD"u8.ToArray(), UnixCompress.Decompress(data));
    }

    [Fact]
    public void Decompress_CodeNotYetInTable_RepeatsPreviousStringPlusItsFirstByte()
    {
        Assert.Equal("AAAB"u8.ToArray(), UnixCompress.Decompress(NineBitStream(65, 257, 66)));
    }

    /// <summary>A block-mode .Z stream (maximum 16 bits) of 9-bit codes, packed least significant bit first.</summary>
    private static byte[] NineBitStream(params int[] codes)
    {
        var bytes = new List<byte> { 0x1F, 0x9D, 0x90 };
        long acc = 0;
        int n = 0;
        foreach (var c in codes)
        {
            acc |= (long)c << n;
            n += 9;
            while (n >= 8) { bytes.Add((byte)acc); acc >>= 8; n -= 8; }
        }
        if (n > 0) bytes.Add((byte)acc);
        return bytes.ToArray();
    }

    [Fact]
    public void Decompress_HeaderOnly_ReturnsEmpty()
    {
        Assert.Empty(UnixCompress.Decompress(new byte[] { 0x1F, 0x9D, 0x90 }));
    }

    [Fact]
    public void Decompress_NoMagic_ThrowsNamingSource()
    {
        var ex = Assert.Throws<InvalidDataException>(() => UnixCompress.Decompress("hello"u8, "x.Z"));
        Assert.Equal("x.Z: not a compress(1) .Z stream (magic bytes 1F 9D missing)", ex.Message);
    }

    [Fact]
    public void Decompress_UnsupportedCodeWidth_Throws()
    {
        var ex = Assert.Throws<InvalidDataException>(() => UnixCompress.Decompress(new byte[] { 0x1F, 0x9D, 0x80 | 20, 0, 0 }, "x.Z"));
        Assert.Contains("20-bit codes", ex.Message);
    }

    [Fact]
    public void Decompress_CodeBeyondTable_ThrowsWithBytePosition()
    {
        // 9-bit codes, LSB first: 'A' (65), then 300, which the table cannot hold yet (next free is 257).
        long bits = 65L | (300L << 9);
        var data = new byte[] { 0x1F, 0x9D, 0x90, (byte)bits, (byte)(bits >> 8), (byte)(bits >> 16), 0 };
        var ex = Assert.Throws<InvalidDataException>(() => UnixCompress.Decompress(data, "bad.Z"));
        Assert.StartsWith("bad.Z: corrupt .Z stream at byte", ex.Message);
        Assert.Contains("code 300 is beyond the table (256)", ex.Message);
    }

    [Fact]
    public void IsCompressed_PlainText_False()
    {
        Assert.False(UnixCompress.IsCompressed(File.ReadAllBytes(PenFixtures.PlainText)));
        Assert.True(UnixCompress.IsCompressed(File.ReadAllBytes(PenFixtures.Compressed)));
    }

    [Fact]
    public void ReadFile_PlainFile_ReturnsItsBytes()
    {
        Assert.Equal(File.ReadAllBytes(PenFixtures.PlainText), UnixCompress.ReadFile(PenFixtures.PlainText));
    }
}
