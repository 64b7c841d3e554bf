using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Data.Meters;
using EdgeDigits.Training.Data.Sources;
using EdgeDigits.Training.Tests.Data;
using EdgeDigits.Training.Tests.TestInfrastructure;
using System.IO.Compression;
using SkiaSharp;

namespace EdgeDigits.Training.Tests.Meters;

public sealed class MeterDigitsSourceTests
{
    /// <summary>A tiny meter set: 20x32 JPEG windows in a few wheel-position folders, two meter families.</summary>
    private static string MakeCopy(int perFolder = 3)
    {
        var dir = RepoPaths.NewTempDir("meter-src");
        foreach (var label in new[] { "0.0", "3.4", "9.9" })
        {
            Directory.CreateDirectory(Path.Combine(dir, label));
            for (var i = 0; i < perFolder; i++)
            {
                FolderDatasetTests.WritePng(Path.Combine(dir, label, $"{label}_dig{i + 5}_2022060{i}-120000.jpg"), 20, 32, 40, 220, SKEncodedImageFormat.Jpeg);
                FolderDatasetTests.WritePng(Path.Combine(dir, label, $"{label}_main_dig{i + 5}_2022060{i}-130000.jpg"), 20, 32, 220, 40, SKEncodedImageFormat.Jpeg);
            }
        }
        return dir;
    }

    [Fact]
    public void FetchFrom_LocalCopy_InstallsVerifiedTreeThenNoOps()
    {
        var src = MakeCopy();
        var dir = Path.Combine(RepoPaths.NewTempDir(), "meterdigits");
        var source = new MeterDigitsSource { MinimumWindows = 10 };
        var log = new StringWriter();
        Assert.True(source.FetchFrom(src, dir, new DataFetchOptions { Log = log }));
        Assert.Equal(6, Directory.GetFiles(Path.Combine(dir, "3.4")).Length);
        Assert.Contains("18 meter digit windows", log.ToString());
        Assert.False(source.FetchFrom(src, dir, new DataFetchOptions { Log = log }));
        Assert.Contains("already holds the verified", log.ToString());
    }

    [Fact]
    public void FetchFrom_FolderThatIsNotAWheelPosition_FailsNamingItAndLeavesNothing()
    {
        var src = MakeCopy();
        Directory.CreateDirectory(Path.Combine(src, "N"));
        var dir = Path.Combine(RepoPaths.NewTempDir(), "meterdigits");
        var ex = Assert.Throws<InvalidDataException>(() => new MeterDigitsSource { MinimumWindows = 10 }.FetchFrom(src, dir, new DataFetchOptions()));
        Assert.Contains("'N' is not a wheel position", ex.Message);
        Assert.False(Directory.Exists(dir));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(dir)!));
    }

    [Fact]
    public void FetchFrom_FileThatIsNotAJpeg_FailsNamingIt()
    {
        var src = MakeCopy();
        File.WriteAllText(Path.Combine(src, "3.4", "broken.jpg"), "not a jpeg");
        var ex = Assert.Throws<InvalidDataException>(() => new MeterDigitsSource { MinimumWindows = 10 }.FetchFrom(src, Path.Combine(RepoPaths.NewTempDir(), "m"), new DataFetchOptions()));
        Assert.Contains("broken.jpg: not a JPEG", ex.Message);
    }

    [Fact]
    public void FetchFrom_TooFewWindows_Fails()
    {
        var ex = Assert.Throws<InvalidDataException>(() => new MeterDigitsSource().FetchFrom(MakeCopy(), Path.Combine(RepoPaths.NewTempDir(), "m"), new DataFetchOptions()));
        Assert.Contains("18 windows, expected at least 1000", ex.Message);
    }

    [Fact]
    public void Fetch_HostUnreachable_IsToolUnavailable()
    {
        // A loopback port nobody listens on: the download must fail with one clear line and write nothing.
        var dir = Path.Combine(RepoPaths.NewTempDir(), "m");
        var ex = Assert.Throws<ToolUnavailableException>(() => new MeterDigitsSource().Fetch(dir, new DataFetchOptions { Url = "http://127.0.0.1:9/meter.zip", Timeout = TimeSpan.FromSeconds(20) }));
        Assert.Contains("--from DIR", ex.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Fetch_ServedRepositoryArchive_InstallsItsMeterdigitsFolder()
    {
        // The public home is a GitHub archive: <repo>-<commit>/datasets/meterdigits/<d.t>/*.jpg among other files.
        var src = MakeCopy();
        var zip = Path.Combine(RepoPaths.NewTempDir(), "repo.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            archive.CreateEntry("Tenth-of-step-of-a-meter-digit-ebf9b2b/README.md");
            foreach (var file in Directory.GetFiles(src, "*.jpg", SearchOption.AllDirectories))
                archive.CreateEntryFromFile(file, $"Tenth-of-step-of-a-meter-digit-ebf9b2b/datasets/meterdigits/{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}");
        }
        using var server = new OneFileServer(File.ReadAllBytes(zip));
        var dir = Path.Combine(RepoPaths.NewTempDir(), "meterdigits");
        Assert.True(new MeterDigitsSource { MinimumWindows = 10 }.Fetch(dir, new DataFetchOptions { Url = server.Url }));
        Assert.Equal(18, MeterDigitSet.Load(dir).Count);
        Assert.False(File.Exists(Path.Combine(dir, "README.md")));
    }

    [Fact]
    public void Fetch_ServedArchiveWithoutMeterFolder_FailsAndWritesNothing()
    {
        var zip = Path.Combine(RepoPaths.NewTempDir(), "repo.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create)) archive.CreateEntry("repo/README.md");
        using var server = new OneFileServer(File.ReadAllBytes(zip));
        var dir = Path.Combine(RepoPaths.NewTempDir(), "meterdigits");
        var ex = Assert.Throws<InvalidDataException>(() => new MeterDigitsSource().Fetch(dir, new DataFetchOptions { Url = server.Url }));
        Assert.Contains("has no datasets/meterdigits/ folder", ex.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Load_Copy_GivesTenthsLabelsFamiliesAndNormalizedWindows()
    {
        var set = MeterDigitSet.Load(MakeCopy());
        Assert.Equal(18, set.Count);
        Assert.Equal(new[] { 0, 34, 99 }, set.Windows.Labels.Distinct().Order().ToArray());
        Assert.Equal(new[] { "dig", "main_dig" }, set.Families.Distinct().Order().ToArray());
        Assert.Equal("9.9", set.Windows.ClassNames[99]);
        // The light-on-dark windows stay light on dark: their centre is bright.
        var i = Array.FindIndex(set.Files, f => f.Contains("_dig5_", StringComparison.Ordinal));
        Assert.True(set.Windows.Image(i)[14 * 28 + 14] > 200);
        var (main, others) = set.SplitByFamily(["main_dig"]);
        Assert.Equal(9, main.Count);
        Assert.Equal(9, others.Count);
        var ex = Assert.Throws<InvalidDataException>(() => set.SplitByFamily(["gas"]));
        Assert.Contains("no meter family 'gas'", ex.Message);
    }

    [Fact]
    public void SplitBySeries_ValidationSeries_TakesOnlyThoseWheelsOfTheFamily()
    {
        var dig = MeterDigitSet.Load(MakeCopy()).SplitByFamily(["dig"]).Selected;
        var (validation, train) = dig.SplitBySeriesOrFamily(["dig5", "dig7"]);
        Assert.Equal(6, validation.Count);
        Assert.Equal(3, train.Count);
        Assert.Equal(new[] { "dig5", "dig7" }, validation.Series.Distinct().Order().ToArray());
        Assert.All(train.Series, s => Assert.Equal("dig6", s));
        Assert.Equal(dig.Count, dig.SplitBySeriesOrFamily([]).Others.Count);
        // A series of a test family held out elsewhere (or a typo) is refused by name, not silently ignored.
        var ex = Assert.Throws<InvalidDataException>(() => dig.SplitBySeriesOrFamily(["main_dig5"]));
        Assert.StartsWith("no meter series or family 'main_dig5' among the training windows (series: dig5, dig6, dig7)", ex.Message);
    }

    [Fact]
    public void SplitBySeriesOrFamily_FamilyAndRare_TakeEveryWheelOfThoseMeters()
    {
        var set = MeterDigitSet.Load(MakeCopy());
        var (main, rest) = set.SplitBySeriesOrFamily(["main_dig"]);
        Assert.All(main.Families, f => Assert.Equal("main_dig", f));
        Assert.Equal(9, main.Count);
        Assert.All(rest.Families, f => Assert.Equal("dig", f));
        // With a bound of 10 windows both 9-window families are one-off meters: "rare" takes them all.
        var (rare, none) = set.SplitBySeriesOrFamily([MeterDigitSet.RareFamily], rareWindows: 10);
        Assert.Equal(18, rare.Count);
        Assert.Equal(0, none.Count);
        // With a bound of 5 no family is that small, so "rare" names nothing and is refused.
        var ex = Assert.Throws<InvalidDataException>(() => set.SplitBySeriesOrFamily([MeterDigitSet.RareFamily], rareWindows: 5));
        Assert.StartsWith("no meter series or family 'rare'", ex.Message);
    }
}
