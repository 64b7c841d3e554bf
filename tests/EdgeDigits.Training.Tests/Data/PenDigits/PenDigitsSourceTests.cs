using System.IO.Compression;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.PenDigits;
using EdgeDigits.Training.Data.Sources;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Data.PenDigits;

public sealed class PenDigitsSourceTests
{
    private static readonly PenDigitsSource SampleSource = new()
    {
        Expected = new Dictionary<string, (int, int)> { [PenDigitsFiles.TrainFile] = (16, 2) },
    };

    [Fact]
    public void DataSources_Find_KnowsPendigits()
    {
        Assert.IsType<PenDigitsSource>(DataSources.Find("pendigits"));
    }

    [Fact]
    public void FetchFrom_SampleWithoutTestFile_InstallsAndSaysTestWritersMissing()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pen");
        var log = new StringWriter();
        Assert.True(SampleSource.FetchFrom(PenFixtures.NewSetDir(), dir, new DataFetchOptions { Log = log }));
        Assert.Equal(["pendigits-orig.tra.Z"], Directory.GetFiles(dir).Select(Path.GetFileName));
        Assert.Contains("has no pendigits-orig.tes(.Z): installing the training writers only", log.ToString());
        Assert.Contains("pendigits-orig.tra.Z verified (16 digits, 2 writers)", log.ToString());
        Assert.Equal(16, PenDigitsFiles.Load(dir).Count);
    }

    [Fact]
    public void FetchFrom_CountsDifferFromPublished_ThrowsAndWritesNothing()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pen");
        var ex = Assert.Throws<InvalidDataException>(() => new PenDigitsSource().FetchFrom(PenFixtures.NewSetDir(), dir, new DataFetchOptions()));
        Assert.EndsWith("pendigits-orig.tra.Z: 16 digits by 2 writers; the published file has 7494 digits by 30 writers", ex.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void FetchFrom_TruncatedCopy_ThrowsNamingFileAndLineAndWritesNothing()
    {
        var from = PenFixtures.NewSetDir();
        var path = Path.Combine(from, "pendigits-orig.tra.Z");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pen");
        var ex = Assert.Throws<InvalidDataException>(() => SampleSource.FetchFrom(from, dir, new DataFetchOptions()));
        Assert.StartsWith($"{path}: line ", ex.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void FetchFrom_NoTrainingFile_ThrowsFileNotFound()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => SampleSource.FetchFrom(RepoPaths.NewTempDir(), RepoPaths.NewTempDir(), new DataFetchOptions()));
        Assert.Contains("pendigits-orig.tra(.Z): not found", ex.Message);
    }

    [Fact]
    public void Fetch_UnreachableHost_ThrowsToolUnavailableAndWritesNothing()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pen");
        var options = new DataFetchOptions { Url = "http://127.0.0.1:9/pendigits.zip", Timeout = TimeSpan.FromSeconds(10) };
        var ex = Assert.Throws<ToolUnavailableException>(() => SampleSource.Fetch(dir, options));
        Assert.StartsWith("http://127.0.0.1:9/pendigits.zip: download failed", ex.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Fetch_ServedArchive_ExtractsVerifiesInstallsThenNoOps()
    {
        var zip = Path.Combine(RepoPaths.NewTempDir(), "pen.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntryFromFile(PenFixtures.Compressed, "pendigits-orig.tra.Z");
            archive.CreateEntryFromFile(PenFixtures.Compressed, "pendigits-orig.tes.Z");
            archive.CreateEntry("pendigits-orig.names").Open().Dispose();
            archive.CreateEntry("pendigits.tra").Open().Dispose();
        }
        var source = new PenDigitsSource
        {
            Expected = new Dictionary<string, (int, int)> { [PenDigitsFiles.TrainFile] = (16, 2), [PenDigitsFiles.TestFile] = (16, 2) },
        };
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pen");
        var log = new StringWriter();
        using (var server = new OneFileServer(File.ReadAllBytes(zip)))
            Assert.True(source.Fetch(dir, new DataFetchOptions { Url = server.Url, Log = log }));
        Assert.Equal(["pendigits-orig.names", "pendigits-orig.tes.Z", "pendigits-orig.tra.Z"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        Assert.Equal(32, PenDigitsFiles.Load(dir).Count);
        Assert.False(source.Fetch(dir, new DataFetchOptions { Url = "http://127.0.0.1:9/unused.zip", Log = log }));
        Assert.Contains("already holds the verified pen-digit files", log.ToString());
    }

    [Fact]
    public void Fetch_ServedNonZip_ThrowsInvalidDataAndWritesNothing()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pen");
        using var server = new OneFileServer("<html>moved</html>"u8.ToArray());
        var ex = Assert.Throws<InvalidDataException>(() => SampleSource.Fetch(dir, new DataFetchOptions { Url = server.Url }));
        Assert.StartsWith($"{server.Url}: the download is not a readable zip archive", ex.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Load_TestFileNumberingWritersFromOne_FollowsTrainingWriters()
    {
        var dir = PenFixtures.NewSetDir();
        File.Copy(PenFixtures.PlainText, Path.Combine(dir, "pendigits-orig.tes"));
        var digits = PenDigitsFiles.Load(dir);
        Assert.Equal(32, digits.Count);
        Assert.Equal([1, 25, 26, 50], digits.Select(d => d.Writer).Distinct().Order());
    }
}
