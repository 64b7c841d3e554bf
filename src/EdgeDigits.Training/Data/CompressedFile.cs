using System.IO.Compression;

namespace EdgeDigits.Training.Data;

/// <summary>Opens data files that may or may not be gzip-compressed (published data sets come both ways).</summary>
public static class CompressedFile
{
    /// <summary>
    /// Opens <paramref name="path"/> for reading; a gzip file (magic bytes 1F 8B, whatever its name) is
    /// decompressed on the fly. A corrupt gzip stream throws <see cref="InvalidDataException"/> while reading.
    /// </summary>
    public static Stream OpenRead(string path)
    {
        var input = File.OpenRead(path);
        try
        {
            var b0 = input.ReadByte();
            var b1 = input.ReadByte();
            input.Position = 0;
            return b0 == 0x1F && b1 == 0x8B ? new GZipStream(input, CompressionMode.Decompress) : input;
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }
}
