using System.Globalization;
using System.IO.Compression;
using System.Text;
using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Tests.Shared;

/// <summary>Tiny USPS look-alikes for tests: <c>zip.train</c>-style text lines and 16x16 dark-on-light PNG folders.</summary>
internal static class UspsFixtures
{
    /// <summary>
    /// A 16x16 digit, dark ink on light paper: a vertical bar two pixels wide in rows 3..12, its
    /// column shifted by <paramref name="variant"/> so digits differ.
    /// </summary>
    public static byte[] Bar(int variant)
    {
        var px = new byte[256];
        Array.Fill(px, (byte)255);
        var x0 = 5 + variant % 5;
        for (var y = 3; y <= 12; y++) { px[y * 16 + x0] = 0; px[y * 16 + x0 + 1] = 0; }
        return px;
    }

    /// <summary>One text line <c>label v1..v256</c> (ESL format, four decimals, -1 = paper) holding <paramref name="pixels"/>.</summary>
    public static string Line(int label, byte[] pixels) =>
        label.ToString("F4", CultureInfo.InvariantCulture) + " " +
        string.Join(" ", pixels.Select(p => (1 - p / 127.5).ToString("F4", CultureInfo.InvariantCulture)));

    /// <summary>Writes <paramref name="perClass"/> bar digits of every class 0..9 as a text file (gzip when the name ends in .gz), classes interleaved like the real file.</summary>
    public static string WriteText(string path, int perClass)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < perClass; i++)
            for (var c = 0; c < 10; c++)
                sb.Append(Line(c, Bar(i))).Append('\n');
        var bytes = Encoding.ASCII.GetBytes(sb.ToString());
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = File.Create(path);
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            gz.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
        return path;
    }

    /// <summary>Writes <paramref name="perClass"/> bar digits per class as <c>DIR/0..9/usps_train_NNNN.png</c>, 16x16 grey.</summary>
    public static string WriteFolder(string dir, int perClass)
    {
        for (var c = 0; c < 10; c++)
        {
            Directory.CreateDirectory(Path.Combine(dir, c.ToString(CultureInfo.InvariantCulture)));
            for (var i = 0; i < perClass; i++)
                GrayImageCodec.SavePng(new GrayImage(Bar(i), 16, 16, 16), Path.Combine(dir, c.ToString(CultureInfo.InvariantCulture), $"usps_train_{i * 10 + c:D4}.png"));
        }
        return dir;
    }
}
