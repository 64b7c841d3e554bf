using System.Buffers.Binary;
using System.IO.Compression;

namespace EdgeDigits.Training.Data;

/// <summary>
/// Reads IDX files (the MNIST container: a 4-byte magic, big-endian int32 dimensions, then the
/// data), raw or gzip-compressed, validating magic, dimensions and length.
/// </summary>
public static class IdxFile
{
    /// <summary>The IDX type code for unsigned bytes, the only element type MNIST uses.</summary>
    public const byte UnsignedByte = 0x08;

    private static readonly Dictionary<byte, string> TypeNames = new()
    {
        [0x08] = "ubyte", [0x09] = "sbyte", [0x0B] = "short", [0x0C] = "int", [0x0D] = "float", [0x0E] = "double",
    };

    /// <summary>Reads an unsigned-byte IDX file; gzip input is detected by its magic bytes, not the extension.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="expectedRank">The number of dimensions the caller needs, or 0 to accept any (1..4).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Magic, dimensions or length are wrong; the message names the file and the problem.</exception>
    public static IdxData Read(string path, int expectedRank = 0)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: IDX file not found", path);
        byte[] bytes;
        try
        {
            bytes = ReadAllMaybeGzip(path);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: corrupt gzip stream ({ex.Message})", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{path}: truncated gzip stream", ex);
        }
        return Parse(bytes, path, expectedRank);
    }

    /// <summary>Parses IDX bytes already in memory; <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">Magic, dimensions or length are wrong.</exception>
    public static IdxData Parse(byte[] bytes, string source, int expectedRank = 0)
    {
        if (bytes.Length < 4)
            throw new InvalidDataException($"{source}: truncated IDX header ({bytes.Length} bytes, need at least 4)");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{source}: bad IDX magic 0x{bytes[0]:X2}{bytes[1]:X2}{bytes[2]:X2}{bytes[3]:X2} (expected 0x0000TTNN)");
        var type = bytes[2];
        if (type != UnsignedByte)
        {
            var name = TypeNames.TryGetValue(type, out var n) ? n : "unknown";
            throw new InvalidDataException($"{source}: IDX element type 0x{type:X2} ({name}) is not supported (expected 0x08 ubyte)");
        }
        int rank = bytes[3];
        if (rank is < 1 or > 4)
            throw new InvalidDataException($"{source}: IDX rank {rank} is out of range (1..4)");
        if (expectedRank != 0 && rank != expectedRank)
            throw new InvalidDataException($"{source}: IDX file has {rank} dimension(s), expected {expectedRank}");
        var headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new InvalidDataException($"{source}: truncated IDX header ({bytes.Length} bytes, need {headerLength} for {rank} dimensions)");
        var dims = new int[rank];
        long total = 1;
        for (var i = 0; i < rank; i++)
        {
            var d = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (d < 0 || (i > 0 && d == 0))
                throw new InvalidDataException($"{source}: IDX dimension {i} is {d}");
            dims[i] = d;
            total *= d;
            if (total > int.MaxValue - headerLength)
                throw new InvalidDataException($"{source}: IDX dimensions [{string.Join(",", dims[..(i + 1)])}] are too large");
        }
        long actual = bytes.Length - headerLength;
        if (actual < total)
            throw new InvalidDataException($"{source}: truncated IDX data: dimensions [{string.Join(",", dims)}] need {total} bytes, found {actual}");
        if (actual > total)
            throw new InvalidDataException($"{source}: {actual - total} unexpected trailing bytes after IDX data [{string.Join(",", dims)}]");
        var data = new byte[total];
        Buffer.BlockCopy(bytes, headerLength, data, 0, (int)total);
        return new IdxData(dims, data);
    }

    /// <summary>Serializes an unsigned-byte IDX file (used by tests and dataset export); writes atomically.</summary>
    public static void Write(string path, ReadOnlySpan<int> dimensions, ReadOnlySpan<byte> data, bool gzip = false)
    {
        long total = 1;
        foreach (var d in dimensions) total *= d;
        if (total != data.Length) throw new ArgumentException($"data has {data.Length} bytes, dimensions need {total}", nameof(data));
        var header = new byte[4 + 4 * dimensions.Length];
        header[2] = UnsignedByte;
        header[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dimensions[i]);
        var tmp = path + ".tmp";
        using (var file = File.Create(tmp))
        {
            Stream s = gzip ? new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true) : file;
            s.Write(header);
            s.Write(data);
            if (gzip) s.Dispose();
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static byte[] ReadAllMaybeGzip(string path)
    {
        using var file = File.OpenRead(path);
        var b0 = file.ReadByte();
        var b1 = file.ReadByte();
        file.Position = 0;
        if (b0 != 0x1F || b1 != 0x8B) return File.ReadAllBytes(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var ms = new MemoryStream();
        gz.CopyTo(ms);
        return ms.ToArray();
    }
}

/// <summary>The contents of an unsigned-byte IDX file: its dimensions and row-major data.</summary>
/// <param name="Dimensions">Size of each dimension, outermost first.</param>
/// <param name="Data">The elements, row-major.</param>
public sealed record IdxData(int[] Dimensions, byte[] Data);
