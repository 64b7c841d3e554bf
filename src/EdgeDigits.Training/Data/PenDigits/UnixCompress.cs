namespace EdgeDigits.Training.Data.PenDigits;

/// <summary>
/// Reads the unix <c>compress(1)</c> <c>.Z</c> format (adaptive LZW, 9 to 16-bit codes), as the UCI
/// pen-digit files are shipped. Managed, no external tool.
/// </summary>
public static class UnixCompress
{
    private const int ClearCode = 256;
    private const int HeaderBytes = 3;

    /// <summary>True when <paramref name="data"/> starts with the <c>.Z</c> magic bytes 1F 9D.</summary>
    public static bool IsCompressed(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0x1F && data[1] == 0x9D;

    /// <summary>Decompresses a whole <c>.Z</c> stream; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Not a <c>.Z</c> stream, or a corrupt one.</exception>
    public static byte[] Decompress(ReadOnlySpan<byte> data, string source = ".Z data")
    {
        if (!IsCompressed(data)) throw new InvalidDataException($"{source}: not a compress(1) .Z stream (magic bytes 1F 9D missing)");
        if (data.Length < HeaderBytes) throw new InvalidDataException($"{source}: truncated .Z header");
        int maxBits = data[2] & 0x1F;
        bool blockMode = (data[2] & 0x80) != 0;
        if (maxBits is < 9 or > 16) throw new InvalidDataException($"{source}: .Z header asks for {maxBits}-bit codes (9-16 supported)");

        var prefix = new int[1 << maxBits];
        var suffix = new byte[1 << maxBits];
        var stack = new byte[1 << maxBits];
        var output = new List<byte>(data.Length * 3);
        long totalBits = (long)data.Length * 8;
        long pos = HeaderBytes * 8L, mark = pos;
        int bits = 9, mask = (1 << bits) - 1, end = blockMode ? ClearCode : ClearCode - 1;
        if (pos + bits > totalBits) return [];

        int prev = ReadCode(data, ref pos, bits);
        if (prev > 255) throw Corrupt(source, pos, $"first code {prev} is not a literal byte");
        byte final = (byte)prev;
        output.Add(final);
        while (true)
        {
            if (end >= mask && bits < maxBits)
            {
                pos = Flush(pos, mark, bits);
                mark = pos;
                bits++;
                mask = (mask << 1) | 1;
            }
            if (pos + bits > totalBits) break;
            int code = ReadCode(data, ref pos, bits);
            if (code == ClearCode && blockMode)
            {
                // After a clear the compressor restarts at 9 bits on the next group boundary.
                pos = Flush(pos, mark, bits);
                mark = pos;
                bits = 9;
                mask = (1 << bits) - 1;
                end = ClearCode - 1;
                continue;
            }
            int sp = 0, temp = code;
            if (code > end)
            {
                // The one code the decoder cannot know yet (KwKwK): the previous string plus its own first byte.
                if (code != end + 1 || prev > end) throw Corrupt(source, pos, $"code {code} is beyond the table ({end})");
                stack[sp++] = final;
                temp = prev;
            }
            while (temp > 255)
            {
                if (sp >= stack.Length) throw Corrupt(source, pos, "a code loops back on itself");
                stack[sp++] = suffix[temp];
                temp = prefix[temp];
            }
            final = (byte)temp;
            stack[sp++] = final;
            for (int i = sp - 1; i >= 0; i--) output.Add(stack[i]);
            if (end < mask)
            {
                end++;
                prefix[end] = prev;
                suffix[end] = final;
            }
            prev = code;
        }
        return output.ToArray();
    }

    /// <summary>
    /// Reads a file that is either <c>.Z</c>-compressed (by its magic bytes, whatever its name) or plain.
    /// </summary>
    /// <exception cref="InvalidDataException">A corrupt <c>.Z</c> stream; the message names the file.</exception>
    public static byte[] ReadFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return IsCompressed(bytes) ? Decompress(bytes, path) : bytes;
    }

    /// <summary>
    /// compress(1) writes codes in groups of eight (one group is <paramref name="bits"/> bytes); when the
    /// code width changes or the table is cleared, the rest of the current group is padding.
    /// </summary>
    private static long Flush(long pos, long mark, int bits)
    {
        long bytes = (pos - mark + 7) / 8;
        long rem = bytes % bits;
        if (rem != 0) bytes += bits - rem;
        return mark + bytes * 8;
    }

    private static int ReadCode(ReadOnlySpan<byte> data, ref long pos, int bits)
    {
        // Codes are packed least significant bit first.
        int byteIndex = (int)(pos >> 3), shift = (int)(pos & 7);
        int v = data[byteIndex];
        if (byteIndex + 1 < data.Length) v |= data[byteIndex + 1] << 8;
        if (byteIndex + 2 < data.Length) v |= data[byteIndex + 2] << 16;
        pos += bits;
        return (v >> shift) & ((1 << bits) - 1);
    }

    private static InvalidDataException Corrupt(string source, long bitPos, string what) =>
        new($"{source}: corrupt .Z stream at byte {bitPos / 8}: {what}");
}
