namespace EdgeDigits.Deploy.Tests.TestInfrastructure;

/// <summary>
/// One self-contained linux-arm64 publish of the real EdgeDigits.Device per test run
/// (dotnet publish -c Release -r linux-arm64 --self-contained), shared by the flash sd and qemu test classes so they
/// can run in parallel; made on first use, removed when the test process exits.
/// </summary>
public sealed class Arm64Publish
{
    private static readonly Lazy<Arm64Publish> Instance = new(() => new Arm64Publish(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared publish.</summary>
    public static Arm64Publish Shared => Instance.Value;

    public string Dir { get; }
    public long Bytes { get; }
    public TimeSpan PublishTime { get; }

    private Arm64Publish()
    {
        Dir = RepoPaths.NewTempDir("edgedigits-arm64-publish");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        };
        var r = Publisher.Publish(Dir, "-c", "Release", "-r", "linux-arm64", "--self-contained", "-p:DebugType=none");
        if (r.ExitCode != 0) throw new InvalidOperationException("linux-arm64 publish failed: " + r);
        PublishTime = r.Elapsed;
        Bytes = Directory.EnumerateFiles(Dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    }
}
