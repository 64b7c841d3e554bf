namespace EdgeDigits.Deploy.Tests.TestInfrastructure;

/// <summary>
/// One self-contained linux-arm64 publish of the real EdgeDigits.Device per test run, shared by the flash sd and
/// qemu tests (dotnet publish -c Release -r linux-arm64 --self-contained).
/// </summary>
public sealed class Arm64Publish : IDisposable
{
    public string Dir { get; }
    public long Bytes { get; }
    public TimeSpan PublishTime { get; }

    public Arm64Publish()
    {
        Dir = RepoPaths.NewTempDir("edgedigits-arm64-publish");
        var r = ProcessRunner.Run("dotnet", ["publish", Path.Combine(RepoPaths.Root, "src/EdgeDigits.Device"), "-c", "Release",
            "-r", "linux-arm64", "--self-contained", "-p:DebugType=none", "-o", Dir], timeout: TimeSpan.FromMinutes(5));
        if (r.ExitCode != 0) throw new InvalidOperationException("linux-arm64 publish failed: " + r);
        PublishTime = r.Elapsed;
        Bytes = Directory.EnumerateFiles(Dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class Arm64Collection : ICollectionFixture<Arm64Publish>
{
    public const string Name = "linux-arm64 publish";
}
