using EdgeDigits.Core;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Core.Tests;

public sealed class AtomicFileTests
{
    [Fact]
    public void WriteAllText_ReplacesTheFileWholeAndLeavesNoTemporaryFile()
    {
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "a.json");
        File.WriteAllText(path, "old content that is longer");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void WriteAllBytes_TargetIsADirectory_ThrowsAndLeavesTheDirectoryAndNoTemporaryFile()
    {
        var dir = RepoPaths.NewTempDir();
        var target = Path.Combine(dir, "taken");
        Directory.CreateDirectory(target);
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllBytes(target, [1, 2, 3]));
        Assert.True(Directory.Exists(target));
        Assert.Empty(Directory.GetFiles(dir));
    }
}
