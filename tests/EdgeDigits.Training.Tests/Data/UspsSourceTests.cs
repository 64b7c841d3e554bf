using System.Text.Json.Nodes;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.Sources;

namespace EdgeDigits.Training.Tests.Data;

public sealed class UspsSourceTests
{
    private static readonly DataFetchOptions Quiet = new();

    private static int Pngs(string dir) => Directory.Exists(dir) ? Directory.GetFiles(dir, "*.png", SearchOption.AllDirectories).Length : 0;

    [Fact]
    public void DataSources_Usps_IsRegistered()
    {
        Assert.IsType<UspsSource>(DataSources.Find("USPS"));
    }

    [Fact]
    public void ParseLine_PaperInkAndMidGrey_MapsToDarkOnLightBytes()
    {
        var values = Enumerable.Repeat("-1.0000", 256).ToArray();
        values[0] = "1.0000";
        values[17] = "0";
        values[255] = "-0.9999";
        var d = UspsReader.ParseLine("3.0000 " + string.Join(" ", values), "f:1", "n");
        Assert.Equal(3, d.Label);
        Assert.Equal(0, d.Pixels[0]);
        Assert.Equal(128, d.Pixels[17]);
        Assert.Equal(255, d.Pixels[255]);
        Assert.Equal(255, d.Pixels[1]);
    }

    [Theory]
    [InlineData("255 values", "expected 257")]
    [InlineData("label 10", "label '10.0000' is not a digit")]
    [InlineData("label 2.5", "label '2.5' is not a digit")]
    [InlineData("pixel 1.5", "pixel 5 '1.5' is not a number within -1..1")]
    [InlineData("pixel NaN", "pixel 5 'NaN' is not a number")]
    public void ReadText_MalformedSecondLine_ThrowsNamingFileLineAndProblem(string defect, string expected)
    {
        var path = Path.Combine(RepoPaths.NewTempDir(), "zip.train");
        var bad = UspsFixtures.Line(4, UspsFixtures.Bar(0)).Split(' ');
        switch (defect)
        {
            case "255 values": bad = bad[..^2]; break;
            case "label 10": bad[0] = "10.0000"; break;
            case "label 2.5": bad[0] = "2.5"; break;
            case "pixel 1.5": bad[5] = "1.5"; break;
            case "pixel NaN": bad[5] = "NaN"; break;
        }
        File.WriteAllText(path, UspsFixtures.Line(1, UspsFixtures.Bar(0)) + "\n" + string.Join(" ", bad) + "\n");
        var ex = Assert.Throws<InvalidDataException>(() => UspsReader.ReadText(path, "train"));
        Assert.StartsWith($"{path}:2: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void ReadText_Gzip_ReadsEveryLineInOrder()
    {
        var path = UspsFixtures.WriteText(Path.Combine(RepoPaths.NewTempDir(), "zip.test.gz"), perClass: 2);
        var digits = UspsReader.ReadText(path, "test");
        Assert.Equal(20, digits.Count);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], digits.Take(12).Select(d => d.Label));
        Assert.Equal("usps_test_0011", digits[11].Name);
        Assert.Equal(UspsFixtures.Bar(1), digits[11].Pixels);
    }

    [Fact]
    public void ReadText_CorruptGzip_ThrowsNamingFile()
    {
        var path = UspsFixtures.WriteText(Path.Combine(RepoPaths.NewTempDir(), "zip.train.gz"), perClass: 50);
        var bytes = File.ReadAllBytes(path);
        for (var i = 20; i < 60; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InvalidDataException>(() => UspsReader.ReadText(path, "train"));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void SplitValidation_TwelveDigitsOfOneClass_HoldsOutFifthAndTenthByName()
    {
        // Names out of order on purpose: the rule follows name order, not list order.
        var digits = Enumerable.Range(0, 12).Reverse().Select(i => new UspsDigit(7, $"d{i:D2}", new byte[256])).ToList();
        var (train, val) = UspsSource.SplitValidation(digits);
        Assert.Equal(["d04", "d09"], val.Select(d => d.Name));
        Assert.Equal(10, train.Count);
        Assert.DoesNotContain(train, d => d.Name is "d04" or "d09");
    }

    [Fact]
    public void FetchFrom_ZipTrainAndTest_InstallsTrainValTestAndManifest()
    {
        var src = RepoPaths.NewTempDir();
        UspsFixtures.WriteText(Path.Combine(src, "zip.train.gz"), perClass: 6);
        UspsFixtures.WriteText(Path.Combine(src, "zip.test"), perClass: 1);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "usps");
        var log = new StringWriter();
        Assert.True(new UspsSource().FetchFrom(src, dir, new DataFetchOptions { Log = log }));
        Assert.Equal(50, Pngs(Path.Combine(dir, "train")));
        Assert.Equal(10, Pngs(Path.Combine(dir, "val")));
        Assert.Equal(10, Pngs(Path.Combine(dir, "test")));
        // zip.train lists classes interleaved: the 5th "3" is line 4*10+3.
        Assert.True(File.Exists(Path.Combine(dir, "val", "3", "usps_train_0043.png")));
        var stored = GrayImageCodec.Decode(Path.Combine(dir, "val", "3", "usps_train_0043.png"));
        Assert.Equal((16, 16), (stored.Width, stored.Height));
        Assert.Equal(UspsFixtures.Bar(4), stored.Data.ToArray());
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, UspsSource.ManifestName)))!;
        Assert.Equal(Enumerable.Repeat(5, 10), manifest["counts"]!["train"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal(UspsSource.ValidationRule, manifest["validationRule"]!.GetValue<string>());
        Assert.Contains("the 5th, 10th, 15th", UspsSource.ValidationRule);
        Assert.Contains("note: 60 training digits; the published training split has 7291", log.ToString());
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(dir)!));
    }

    [Fact]
    public void FetchFrom_FolderOf16x16Pngs_FolderDatasetLoadsWhiteOnBlackMnistLayout()
    {
        var src = UspsFixtures.WriteFolder(RepoPaths.NewTempDir(), perClass: 5);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "usps");
        Assert.True(new UspsSource().FetchFrom(src, dir, Quiet));
        Assert.False(Directory.Exists(Path.Combine(dir, "test")));
        var val = FolderDataset.Load(Path.Combine(dir, "val"));
        Assert.Equal(10, val.Count);
        Assert.Equal(Enumerable.Range(0, 10), val.Labels);
        for (var i = 0; i < val.Count; i++)
        {
            var img = val.Image(i);
            Assert.Equal(0, img[0]);
            Assert.Equal(0, img[27 * 28 + 27]);
            // The 10-pixel bar is scaled to MNIST's 20-pixel box and centred: rows 4..23, ink around column 14.
            Assert.True(img[14 * 28 + 14] > 200, $"image {i}: centre {img[14 * 28 + 14]}");
            Assert.Equal(0, img[2 * 28 + 14]);
            Assert.True(img[5 * 28 + 14] > 100, $"image {i}: top of the bar {img[5 * 28 + 14]}");
        }
    }

    [Fact]
    public void FetchFrom_AlreadyInstalled_ReturnsFalseAndKeepsFiles()
    {
        var src = UspsFixtures.WriteFolder(RepoPaths.NewTempDir(), perClass: 5);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "usps");
        var source = new UspsSource();
        Assert.True(source.FetchFrom(src, dir, Quiet));
        var log = new StringWriter();
        Assert.False(source.FetchFrom(src, dir, new DataFetchOptions { Log = log }));
        Assert.Contains("already holds the USPS splits", log.ToString());
        Assert.Equal(50, Pngs(dir));
    }

    [Theory]
    [InlineData("a file deleted")]
    [InlineData("manifest counts null")]
    [InlineData("manifest not JSON")]
    public void FetchFrom_InstallDamaged_ReinstallsInPlace(string damage)
    {
        var src = UspsFixtures.WriteFolder(RepoPaths.NewTempDir(), perClass: 5);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "usps");
        var source = new UspsSource();
        source.FetchFrom(src, dir, Quiet);
        var manifest = Path.Combine(dir, UspsSource.ManifestName);
        switch (damage)
        {
            case "a file deleted": File.Delete(Directory.GetFiles(Path.Combine(dir, "train", "2"))[0]); break;
            case "manifest counts null": File.WriteAllText(manifest, """{"counts":{"train":null,"val":[1]}}"""); break;
            case "manifest not JSON": File.WriteAllText(manifest, "{"); break;
        }
        Assert.False(UspsSource.IsInstalled(dir, requireTest: false));
        Assert.True(source.FetchFrom(src, dir, Quiet));
        Assert.True(UspsSource.IsInstalled(dir, requireTest: false));
        Assert.Equal(40, Pngs(Path.Combine(dir, "train")));
    }

    [Fact]
    public void FetchFrom_InstalledWithoutTestThenZipTestAdded_Reinstalls()
    {
        var src = UspsFixtures.WriteFolder(RepoPaths.NewTempDir(), perClass: 5);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "usps");
        var source = new UspsSource();
        source.FetchFrom(src, dir, Quiet);
        UspsFixtures.WriteText(Path.Combine(src, "zip.test"), perClass: 2);
        Assert.True(source.FetchFrom(src, dir, Quiet));
        Assert.Equal(20, Pngs(Path.Combine(dir, "test")));
        Assert.Equal(40, Pngs(Path.Combine(dir, "train")));
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(dir)!));
    }

    [Fact]
    public void FetchFrom_ImageNot16x16_ThrowsNamingItAndWritesNothing()
    {
        var src = UspsFixtures.WriteFolder(RepoPaths.NewTempDir(), perClass: 5);
        var odd = Path.Combine(src, "6", "odd.png");
        GrayImageCodec.SavePng(new GrayImage(20, 20), odd);
        var parent = RepoPaths.NewTempDir();
        var ex = Assert.Throws<InvalidDataException>(() => new UspsSource().FetchFrom(src, Path.Combine(parent, "usps"), Quiet));
        Assert.Contains(odd, ex.Message);
        Assert.Contains("20x20", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void FetchFrom_ClassWithFourDigits_ThrowsNamingClassAndWritesNothing()
    {
        var src = UspsFixtures.WriteFolder(RepoPaths.NewTempDir(), perClass: 5);
        File.Delete(Directory.GetFiles(Path.Combine(src, "8"))[0]);
        var parent = RepoPaths.NewTempDir();
        var ex = Assert.Throws<InvalidDataException>(() => new UspsSource().FetchFrom(src, Path.Combine(parent, "usps"), Quiet));
        Assert.Contains("no val digits of class 8", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void FetchFrom_NeitherZipTrainNorFolders_ThrowsFileNotFound()
    {
        var src = RepoPaths.NewTempDir();
        File.WriteAllText(Path.Combine(src, "readme.txt"), "nothing here");
        var ex = Assert.Throws<FileNotFoundException>(() => new UspsSource().FetchFrom(src, Path.Combine(RepoPaths.NewTempDir(), "usps"), Quiet));
        Assert.Contains("neither zip.train[.gz] nor a folder dataset", ex.Message);
    }

    [Fact]
    public void FetchFrom_TargetHoldsOtherFiles_ThrowsIOExceptionAndKeepsThem()
    {
        var src = UspsFixtures.WriteFolder(RepoPaths.NewTempDir(), perClass: 5);
        var dir = RepoPaths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "mine.txt"), "keep");
        var ex = Assert.Throws<IOException>(() => new UspsSource().FetchFrom(src, dir, Quiet));
        Assert.Contains("is not a USPS install", ex.Message);
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Fetch_HostUnreachable_ThrowsToolUnavailableAndWritesNothing()
    {
        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        var source = new UspsSource { TrainUrl = "http://127.0.0.1:9/zip.train.gz", TestUrl = "http://127.0.0.1:9/zip.test.gz" };
        var parent = RepoPaths.NewTempDir();
        var ex = Assert.Throws<ToolUnavailableException>(() => source.Fetch(Path.Combine(parent, "usps"), Quiet));
        Assert.Contains("http://127.0.0.1:9/zip.train.gz: download failed", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }
}
