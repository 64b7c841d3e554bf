using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Tool.Tests;

public sealed class PenDataCommandTests
{
    private static string SampleZ => Path.Combine(RepoPaths.Root, "tests", "EdgeDigits.Training.Tests", "TestData", "pendigits-sample.tra.Z");

    [Fact]
    public void FetchPendigits_UnreachableUrl_ExitsUnavailableWithOneErrorLine()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pen");
        var r = ToolProcess.Run("data", "fetch", "pendigits", "--dir", dir, "--url", "http://127.0.0.1:9/pendigits.zip");
        Assert.Equal(ExitCodes.Unavailable, r.ExitCode);
        var error = Assert.Single(r.Stderr.Split('\n'), l => l.StartsWith("edgedigits data fetch:", StringComparison.Ordinal));
        Assert.Contains("http://127.0.0.1:9/pendigits.zip: download failed", error);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void FetchPendigits_FromCorruptCopy_ExitsBadInputNamingFileAndLine()
    {
        var from = RepoPaths.NewTempDir();
        var bytes = File.ReadAllBytes(SampleZ);
        File.WriteAllBytes(Path.Combine(from, "pendigits-orig.tra.Z"), bytes[..(bytes.Length * 2 / 3)]);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pen");
        var r = ToolProcess.Run("data", "fetch", "pendigits", "--from", from, "--dir", dir);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains($"edgedigits data fetch: {Path.Combine(from, "pendigits-orig.tra.Z")}: line ", r.Stderr);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void FetchPendigits_FromSampleWithPublishedCounts_ExitsBadInputSayingCounts()
    {
        var from = RepoPaths.NewTempDir();
        File.Copy(SampleZ, Path.Combine(from, "pendigits-orig.tra.Z"));
        var r = ToolProcess.Run("data", "fetch", "pendigits", "--from", from, "--dir", Path.Combine(RepoPaths.NewTempDir(), "pen"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("16 digits by 2 writers; the published file has 7494 digits by 30 writers", r.Stderr);
    }
}
