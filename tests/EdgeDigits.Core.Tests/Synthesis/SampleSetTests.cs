using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Core.Tests.Synthesis;

public class SampleSetTests
{
    [Fact]
    public void Write_WithFixedSeeds_ReproducesCommittedSamples()
    {
        var dir = RepoPaths.NewTempDir();
        try
        {
            var files = SampleSet.Write(RepoPaths.Mnist, dir);
            Assert.Equal(10, files.Count);
            foreach (var f in files)
            {
                var rel = Path.GetRelativePath(dir, f);
                var committed = Path.Combine(RepoPaths.Samples, rel);
                Assert.True(File.Exists(committed), $"samples/{rel} is not committed");
                if (f.EndsWith(".png", StringComparison.Ordinal))
                    Assert.True(GrayImageCodec.Decode(f).Data.SequenceEqual(GrayImageCodec.Decode(committed).Data), $"samples/{rel} differs from what 'edgedigits samples' writes");
                else
                    Assert.Equal(File.ReadAllText(committed), File.ReadAllText(f));
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Write_MissingMnist_ThrowsNamingFolder()
    {
        var e = Assert.Throws<FileNotFoundException>(() => SampleSet.Write("/nonexistent/mnist", RepoPaths.NewTempDir()));
        Assert.Contains("/nonexistent/mnist", e.Message);
    }
}
